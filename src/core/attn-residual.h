/* attn-residual.h
 *
 * Copyright 2026 The Attention authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The residual stream of a result: the vector each token carries into
 * layer 0 and out of every layer, (L + 1, T, C).  It is the stream the
 * result's own run kept for its predictions and logit lens when it did
 * (attn-predictions.h); a result that did not keep it (a model without an
 * LM head, a run of the first layers) gets it from the same pass run once
 * more, with the same heads switched off.  With the trace's attention
 * outputs it says what each layer's attention and
 * feed-forward part add to a token (mlp = x_{l+1} − x_l − attn_l, in both
 * sequential and parallel blocks).
 */
#pragma once

#include <gio/gio.h>

#include "attn-result.h"

G_BEGIN_DECLS

typedef struct _AttnResidual AttnResidual;

/* NULL with an error when @result has no engine or the pass fails or is
 * cancelled (ATTN_ENGINE_ERROR_*). */
AttnResidual *attn_residual_compute        (AttnResult          *result,
                                            GCancellable        *cancellable,
                                            GError             **error);
/* The same on a worker thread. */
void          attn_residual_compute_async  (AttnResult          *result,
                                            GCancellable        *cancellable,
                                            GAsyncReadyCallback  callback,
                                            gpointer             user_data);
AttnResidual *attn_residual_compute_finish (GAsyncResult        *async_result,
                                            GError             **error);

/* The result it was computed for (borrowed). */
AttnResult   *attn_residual_get_result     (const AttnResidual  *self);
/* @token's vector (C,) entering layer @block (@block == L: after the last
 * layer, before the final norm); NULL out of range. */
const float  *attn_residual_get_row        (const AttnResidual  *self,
                                            guint                block,
                                            guint                token,
                                            guint               *n_values);
void          attn_residual_free           (AttnResidual        *self);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (AttnResidual, attn_residual_free)

G_END_DECLS
