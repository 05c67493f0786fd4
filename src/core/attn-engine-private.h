/* attn-engine-private.h
 *
 * Copyright 2026 The Attention authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * For the core's own files that call the engine on an AttnEngine's behalf.
 */
#pragma once

#include "ae-status.h"
#include "attn-engine.h"

G_BEGIN_DECLS

/* Turns an engine status into a GError in ATTN_ENGINE_ERROR, with the
 * engine's message when it has one; FALSE when it set one. */
gboolean _attn_engine_status_to_error (AeStatus       status,
                                       const AeError *ae_error,
                                       GError       **error);

G_END_DECLS
