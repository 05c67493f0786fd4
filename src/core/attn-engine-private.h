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

/* Tokenizes @text, or the pair (@text, @text_b) when @text_b is not NULL
 * or "" (attn-pair.c): a decoder refuses a pair with
 * ATTN_ENGINE_ERROR_UNSUPPORTED.  @max_tokens > 0 stops there; @cancel
 * may be NULL. */
gboolean _attn_engine_encode          (AttnEngine         *self,
                                       const char         *text,
                                       const char         *text_b,
                                       gsize               max_tokens,
                                       const AeCancelFlag *cancel,
                                       AeTokens           *tokens,
                                       GError            **error);

G_END_DECLS
