/* attn-memory.h
 *
 * Copyright 2026 The Attention authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* Sets the C library's allocator up for a process that makes passes over
 * long texts (the app, the CLI): call once, first thing in main (). */
void attn_memory_setup (void);

G_END_DECLS
