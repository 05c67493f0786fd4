/* attn-pair.h
 *
 * Copyright 2026 The Attention authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Sentence pairs (issue 15).  An encoder (BERT, DistilBERT, RoBERTa) reads
 * two sentences in one pass, as it was trained for next-sentence and
 * entailment tasks:
 *
 *   BERT, DistilBERT   [CLS] A … [SEP] B … [SEP]      token types 0…0 1…1
 *   RoBERTa            <s> A … </s></s> B … </s>      token types all 0
 *
 * and every token attends to every token of both.  A decoder (GPT-2, Llama,
 * …) has no pair template: it reads one text.
 *
 * Where pairs enter:
 *
 *   - AttnDocument's "text-b" property (attn_document_set_text_b ()): the
 *     app's "Sentence B".  NULL or "" is one sentence.  It is sent with
 *     every pass while the engine accepts pairs and kept, unsent, while it
 *     does not (a decoder): switching GPT-2 → BERT brings B back.  The
 *     pass runs off the main thread like every other.
 *   - AttnRunOptions.text_b (attn-engine.h) for attn_engine_run_options ():
 *     a decoder refuses a non-empty B with ATTN_ENGINE_ERROR_UNSUPPORTED
 *     and attn_engine_dup_pair_refusal ()'s sentence.
 *   - attn_engine_tokenize_pair () below: tokens only.
 *
 * What a result says about its tokens (every result, one sentence too):
 * the segment of each token (A, B, or a template token), which sentence it
 * belongs to for the A→B filters, and the token type id the model read.
 * Token spans (attn_result_get_token_span ()) of a B token are byte offsets
 * in text B (attn_result_get_text_b ()).
 */
#pragma once

#include "attn-document.h"
#include "attn-engine.h"
#include "attn-result.h"

G_BEGIN_DECLS

typedef enum
{
  ATTN_SEGMENT_A,        /* a token of sentence A's text */
  ATTN_SEGMENT_B,        /* a token of sentence B's text */
  ATTN_SEGMENT_SPECIAL,  /* added by the template: [CLS], [SEP], <s>, </s>, BOS, EOS */
} AttnSegment;

/* Which query → key links a view or an export keeps, as BertViz's
 * sentence-pair selector: by the sentence (attn_result_get_sentence ())
 * of the query and of the key. */
typedef enum
{
  ATTN_PAIR_FILTER_ALL,
  ATTN_PAIR_FILTER_A_TO_A,
  ATTN_PAIR_FILTER_A_TO_B,
  ATTN_PAIR_FILTER_B_TO_A,
  ATTN_PAIR_FILTER_B_TO_B,
} AttnPairFilter;

/* TRUE when @self's model reads sentence pairs (an encoder whose tokenizer
 * has a pair template). */
gboolean     attn_engine_accepts_pairs      (AttnEngine       *self);
/* Why @self reads no pairs, translated, for a tooltip or an error ("GPT-2
 * reads one text from left to right: sentence pairs are for encoders such
 * as BERT"); NULL when it accepts them. */
char        *attn_engine_dup_pair_refusal   (AttnEngine       *self);

/* Tokenizes the pair (@text, @text_b) without running the model (@text_b
 * NULL or "": one sentence).  A decoder refuses a non-empty @text_b with
 * ATTN_ENGINE_ERROR_UNSUPPORTED. */
AttnResult  *attn_engine_tokenize_pair      (AttnEngine       *self,
                                             const char       *text,
                                             const char       *text_b,
                                             GError          **error);

/* Whether the engine that made @self accepts pairs (FALSE for results made
 * outside an engine). */
gboolean     attn_result_accepts_pairs      (const AttnResult *self);
/* TRUE when @self was run on two sentences. */
gboolean     attn_result_has_pair           (const AttnResult *self);
/* Sentence B, or NULL for one sentence. */
const char  *attn_result_get_text_b         (const AttnResult *self);

AttnSegment  attn_result_get_segment        (const AttnResult *self,
                                             guint             index);
/* 0 for sentence A, 1 for B, the template's tokens belonging to the
 * sentence they close or open ([CLS] A [SEP] | B [SEP]; RoBERTa's
 * <s> A </s> | </s> B </s>): what BertViz's A→B filters split on. */
guint        attn_result_get_sentence       (const AttnResult *self,
                                             guint             index);
/* The index of the first token of B's part (the token the previous comment
 * puts first in sentence 1); n_tokens when there is no B. */
guint        attn_result_get_first_b        (const AttnResult *self);
/* The token type (segment embedding row) the model read for the token: 0,
 * or 1 for B's tokens in BERT; RoBERTa and the decoders read 0 throughout. */
gint32       attn_result_get_token_type_id  (const AttnResult *self,
                                             guint             index);

/* What did not fit in the model's context of @n_ctx tokens, translated,
 * for the notice above the strip: which sentence was cut and how many of
 * its characters were left out ("Showing the first 32 tokens; the last 12
 * characters of sentence B do not fit …"); NULL when it all fit.  A pair
 * is cut in A first, and then B is left out whole.  (transfer full) */
char        *attn_result_dup_truncation_notice (const AttnResult *self,
                                                guint             n_ctx);

/* The Links filter the document's tint follows (AttnDocument's
 * "pair-filter", set by the app with the maps' filter): the token strip
 * and the editor tint only the links it keeps. */
AttnPairFilter attn_document_get_pair_filter (AttnDocument   *self);
void         attn_document_set_pair_filter  (AttnDocument     *self,
                                             AttnPairFilter    filter);
/* Whether the filter keeps the link @query → @key of the view result
 * (indices in it); TRUE for a text of one sentence. */
gboolean     attn_document_keeps_link       (AttnDocument     *self,
                                             int               query,
                                             int               key);
/* "links A → B only", translated, for titles and legends; NULL for ALL. */
const char  *attn_pair_filter_describe      (AttnPairFilter    filter);

/* "A", "B" or "special" (JSON's "segments"; not translated). */
const char  *attn_segment_to_string         (AttnSegment       segment);

/* Whether @filter keeps the link from @query to @key of @self.  Every
 * filter but ALL keeps nothing in a result without a pair. */
gboolean     attn_pair_filter_keeps         (AttnPairFilter    filter,
                                             const AttnResult *self,
                                             guint             query,
                                             guint             key);
/* The links @filter keeps as one block, since each sentence is a run of
 * tokens (A: everything before B's first token, the template's leading
 * tokens too): queries [*q0, *q1) and keys [*k0, *k1); all of @self's
 * tokens for ATTN_PAIR_FILTER_ALL.  FALSE with an error for another
 * filter on a result without a pair.  Every export of numbers (attention,
 * Δ, rollout) cuts its block here. */
gboolean     attn_pair_filter_get_block     (AttnPairFilter    filter,
                                             const AttnResult *self,
                                             guint            *q0,
                                             guint            *q1,
                                             guint            *k0,
                                             guint            *k1,
                                             GError          **error);
/* "all", "A->A", "A->B", "B->A", "B->B" <-> the filter (the CLI's and
 * exports' spelling); FALSE for anything else. */
gboolean     attn_pair_filter_from_string   (const char       *name,
                                             AttnPairFilter   *filter);
const char  *attn_pair_filter_to_string     (AttnPairFilter    filter);

G_END_DECLS
