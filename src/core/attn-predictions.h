/* attn-predictions.h
 *
 * Copyright 2026 The Attention authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * What a result says beyond attention (issue 14): the model's next-token
 * predictions at any position, each token's probability under the model,
 * the logit lens, and which heads the run switched off.  The run keeps the
 * residual stream (engine hook, ae-logits.h) so that a prediction for any
 * selected token is a few dot products over the head, not another pass.
 */
#pragma once

#include <stdbool.h>

#include <glib.h>

#include "ae-ablation.h"
#include "ae-model.h"
#include "ae-sample.h"
#include "attn-engine.h"
#include "attn-result.h"
#include "attn-sample.h"

G_BEGIN_DECLS

typedef struct
{
  gint32  id;
  char   *token;        /* the token's text, valid UTF-8 */
  double  probability;
  float   logit;
} AttnPrediction;

/* TRUE when @self can predict: a whole-stack run of a model with an LM head. */
gboolean          attn_result_has_predictions   (const AttnResult *self);

/* The @k most probable next tokens after token @position, by falling
 * probability: a GArray of AttnPrediction that frees their strings. */
GArray           *attn_result_predict           (const AttnResult *self,
                                                 guint             position,
                                                 guint             k,
                                                 GError          **error);

/* The logit lens at @position: for each block b = 0 .. L of the residual
 * stream (0: the embeddings, l + 1: after layer l, L: the model's own
 * output), the @k most probable tokens, (L + 1)·k predictions in order. */
GArray           *attn_result_lens              (const AttnResult *self,
                                                 guint             position,
                                                 guint             k,
                                                 GError          **error);

/* log p(@id | tokens 0 .. @position): the probability of @id coming next;
 * NaN when it cannot be computed. */
double            attn_result_logprob_of        (const AttnResult *self,
                                                 guint             position,
                                                 gint32            id);

/* (T,) log p(token t | tokens before it); NaN for token 0; NULL without
 * predictions. */
const float      *attn_result_get_token_logprobs (const AttnResult *self);

/* The heads the run switched off, or NULL for the intact model. */
const AeAblation *attn_result_get_ablation      (const AttnResult *self);
/* "0.1,1.2" (layer.head, in order), or NULL for the intact model. */
char             *attn_result_dup_ablation_list (const AttnResult *self);
/* The same of any ablation; NULL when it switches nothing off. */
char             *attn_ablation_dup_list        (const AeAblation *ablation);
/* "heads 0.1, 1.2 off (zero)" for titles and metadata; NULL when intact. */
char             *attn_result_dup_ablation_label (const AttnResult *self);

/* Token @id's text as valid UTF-8 (a byte-level piece of a character gives
 * U+FFFD); a WordPiece continuation as its vocabulary has it ("##h"), so
 * it never reads as the word "h". */
char             *attn_token_text               (const AeModel    *model,
                                                 gint32            id);

/* The one pass that keeps the residual stream: the whole stack over @ids
 * with @ablation (copying the prefix it shares with @reuse, an earlier
 * trace of the model, or NULL), as a linear trace (in *@trace, or freed when @trace is
 * NULL); *@residual gets a new (L + 1, T, C) buffer (AeForwardHooks).
 * Behind a result's predictions, each step of generation and the residual
 * stream of a result that did not keep one (attn-residual.c). */
AeStatus          _attn_run_residual            (const AeModel      *model,
                                                 const int32_t      *ids,
                                                 size_t              T,
                                                 const AeAblation   *ablation,
                                                 const AeTrace      *reuse,
                                                 const AeCancelFlag *cancel,
                                                 AeTrace           **trace,
                                                 float             **residual,
                                                 AeError            *error);

/* For attn-engine.c and attn-result.c. */
typedef struct
{
  float      *residual;    /* (L + 1, T, C) or NULL */
  float      *logprobs;    /* (T,) or NULL */
  bool       *heads;       /* (L, NH) the ablation's own copy, or NULL */
  AeAblation  ablation;
  GArray     *masked;      /* AttnMasked of each mask token (attn-masked.h), or NULL
                            * without a masked-LM head */
} AttnRunOutputs;

/* A pass as attn_engine_run_options() asks for it: its n_layers,
 * ablation, first_layer, attention_only and reuse.  @type_ids (T,) each
 * token's type, or NULL for all 0. */
AeStatus          _attn_run_forward             (const AeModel      *model,
                                                 const int32_t      *ids,
                                                 const int32_t      *type_ids,
                                                 size_t              T,
                                                 const AttnRunOptions *options,
                                                 const AeCancelFlag *cancel,
                                                 AeTrace           **trace,
                                                 AttnRunOutputs     *outputs,
                                                 AeError            *error);
/* An engine status as an ATTN_ENGINE_ERROR (attn-engine.c); FALSE when it set one. */
gboolean          _attn_status_to_error         (AeStatus          status,
                                                 const AeError    *ae_error,
                                                 GError          **error);
void              _attn_run_outputs_clear       (AttnRunOutputs   *outputs);
/* The face's sampling parameters as the engine's (attn-sample.c). */
AeSampleParams    _attn_sample_params           (const AttnSampleParams *params);
const AttnRunOutputs *_attn_result_get_outputs  (const AttnResult *self);
void              _attn_result_set_outputs      (AttnResult       *self,
                                                 AttnRunOutputs   *outputs);

static inline void
attn_prediction_clear (gpointer data)
{
  g_free (((AttnPrediction *) data)->token);
}

/* An empty GArray of AttnPrediction that frees their strings. */
GArray           *attn_prediction_array_new     (void);

G_END_DECLS
