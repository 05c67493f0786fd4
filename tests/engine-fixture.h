/* engine-fixture.h — an AttnEngine on a fixture model, for core tests
 *
 * Copyright 2026 The Attention authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Header-only, included by each core test that opens fixture models.
 */
#pragma once

#include "attn-engine.h"
#include "model-dir.h"

/* tests/fixtures/models/@name, loaded; the test fails when it does not. */
static inline AttnEngine *
load_fixture_engine (const char *name)
{
  g_autofree char *dir = model_path (name);
  g_autoptr(GError) error = NULL;
  AttnEngine *engine = attn_engine_new (dir, NULL, &error);

  g_assert_no_error (error);
  return engine;
}
