/* attn-masked.h
 *
 * Copyright 2026 The Attention authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Masked-word predictions (issue 15).  An encoder checkpoint with a
 * masked-LM head (BertForMaskedLM, DistilBertForMaskedLM,
 * RobertaForMaskedLM) fills in the blanks: put [MASK] (RoBERTa: <mask>) in
 * the sentence and the head — dense, GELU, LayerNorm, then the decoder tied
 * to the word embeddings plus a bias — gives a distribution over the
 * vocabulary at that token.
 *
 * The pass computes the top ATTN_MASKED_TOP_K predictions of every mask
 * token in its worker thread, so a view only reads them:
 *
 *   for (guint i = 0; i < attn_result_get_n_masks (result); i++)
 *     {
 *       guint at = attn_result_get_mask_position (result, i);
 *       const GArray *top = attn_result_get_mask_predictions (result, i);
 *       // g_array_index (top, AttnPrediction, 0) is the likeliest word
 *     }
 *
 * attn_result_predict_masked () computes any position's distribution on
 * demand (V·C multiply-adds: some 25 ms on BERT-base; call it from a worker
 * for many positions).
 */
#pragma once

#include "attn-engine.h"
#include "attn-predictions.h"
#include "attn-result.h"

G_BEGIN_DECLS

/* How many predictions the pass keeps per mask token. */
#define ATTN_MASKED_TOP_K 10

/* TRUE when the engine's checkpoint has a masked-LM head. */
gboolean      attn_engine_has_masked_lm        (AttnEngine       *self);
/* The mask token's text ("[MASK]", "<mask>"), or NULL when the vocabulary
 * has none. */
const char   *attn_engine_get_mask_token       (AttnEngine       *self);

/* TRUE when @self can give masked predictions: a run of every layer of a
 * model with a masked-LM head. */
gboolean      attn_result_has_masked_lm        (const AttnResult *self);
/* The mask tokens of @self's text, in order (0 without a masked-LM head).
 * A result of words (attn_result_merge_words ()) has its pieces' masks,
 * at the words that hold them, so its tooltips still say what fills in. */
guint         attn_result_get_n_masks          (const AttnResult *self);
/* The token index of mask @i (< attn_result_get_n_masks ()). */
guint         attn_result_get_mask_position    (const AttnResult *self,
                                                guint             i);
/* Mask @i's top ATTN_MASKED_TOP_K predictions (AttnPrediction,
 * attn-predictions.h) by falling probability; borrowed, valid as long as
 * @self. */
const GArray *attn_result_get_mask_predictions (const AttnResult *self,
                                                guint             i);
/* The @k most probable words at token @position (a mask or any other),
 * by falling probability: a GArray of AttnPrediction that frees their
 * strings.  ATTN_ENGINE_ERROR_UNSUPPORTED without a masked-LM head (or
 * when only the first layers ran), ATTN_ENGINE_ERROR_INVALID past the
 * tokens. */
GArray       *attn_result_predict_masked       (const AttnResult *self,
                                                guint             position,
                                                guint             k,
                                                GError          **error);

/* For attn-predictions.c: the top @k of every token of @ids equal to the
 * mask id, from the last hidden state @hidden (T, C); *out is a new array
 * of AttnMasked (NULL when the model has no head).  Checks @cancel between
 * masks. */
typedef struct
{
  guint   position;
  GArray *predictions;   /* AttnPrediction */
} AttnMasked;

AeStatus      _attn_masked_compute             (const AeModel      *model,
                                                const int32_t      *ids,
                                                size_t              T,
                                                const float        *hidden,
                                                guint               k,
                                                const AeCancelFlag *cancel,
                                                GArray            **out,
                                                AeError            *error);
void          _attn_masked_free                (GArray           *masked);

G_END_DECLS
