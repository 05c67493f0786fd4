/* ae-stats.h
 *
 * Copyright 2026 The Attention authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * What one head does on one sentence, in a few numbers and a plain label:
 * "induction", "previous token", "first token (sink)", "self", "nearby
 * tokens", "broad" or "specific tokens".  tools/train/heads.py applies the
 * same rule, so the model card and the app agree.  An encoder's heads see
 * both ways and get their own figures and rule (the patterns of Clark et
 * al., "What does BERT look at?"): [SEP], [CLS], next or previous token,
 * the other pieces of the same word, broad.
 */
#pragma once

#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

typedef enum
{
  AE_HEAD_LABEL_NONE,        /* fewer than two tokens: nothing to say */
  AE_HEAD_LABEL_PREVIOUS,
  AE_HEAD_LABEL_FIRST,
  AE_HEAD_LABEL_SELF,
  AE_HEAD_LABEL_NEARBY,
  AE_HEAD_LABEL_BROAD,
  AE_HEAD_LABEL_SPECIFIC,
  AE_HEAD_LABEL_INDUCTION,   /* on repeated text: looks at what followed the earlier occurrence */
  /* encoders only: they look ahead, so these never describe a decoder */
  AE_HEAD_LABEL_SEP,         /* [SEP] / </s> */
  AE_HEAD_LABEL_CLS,         /* [CLS] / <s> */
  AE_HEAD_LABEL_NEXT,        /* the next token */
  AE_HEAD_LABEL_SAME_WORD,   /* the other pieces of the query's own word */
  AE_HEAD_LABEL_COUNT
} AeHeadLabel;

/* Means over the query rows 1..T-1; row 0 can only attend to itself and
 * would say nothing about the head. */
typedef struct
{
  size_t n_rows;         /* rows averaged: T - 1 */
  double prev;           /* mean weight on the previous token */
  double first;          /* mean weight on token 0 (BOS or the first word) */
  double self;           /* mean weight on the query itself */
  double local;          /* mean weight within 3 tokens back, self included */
  double entropy_norm;   /* mean row entropy / log(keys visible), 0..1 */
  double prev_argmax;    /* share of rows whose largest weight is the previous token */
  double mean_distance;  /* mean of Σ_k w·(query - key), in tokens */
  size_t top_key;        /* the key (other than 0) with the most weight over all rows */
  double top_key_weight; /* its mean weight over the rows that can see it */
  /* Rows q whose token occurred before, at some j <= q - 3 (so that the
   * token after it, j + 1, is neither q nor its previous token): an
   * induction head looks at those j + 1 ("… Mr Dursley … Mr" → "Dursley"). */
  size_t n_repeat_rows;
  double induction;      /* mean over those rows of the weight on all such j + 1 */
} AeHeadStats;

/* @weights is one head's (T, T) causal matrix, rows summing to 1. */
void        ae_head_stats_compute   (const float       *weights,
                                     size_t             T,
                                     AeHeadStats       *out);
/* The same, plus the induction figures, which need the token ids (T,);
 * @ids NULL leaves them 0 like ae_head_stats_compute(). */
void        ae_head_stats_compute_tokens (const float   *weights,
                                          const int32_t *ids,
                                          size_t         T,
                                          AeHeadStats   *out);
AeHeadLabel ae_head_label           (const AeHeadStats *stats);

/* What each token of an encoder's input is, for its heads' figures. */
typedef enum
{
  AE_TOKEN_ROLE_WORD,   /* a piece of the text */
  AE_TOKEN_ROLE_CLS,    /* [CLS] / <s>, before the text */
  AE_TOKEN_ROLE_SEP     /* [SEP] / </s>, after a sentence */
} AeTokenRole;

/* Means over all T rows: an encoder's query sees every key. */
typedef struct
{
  size_t n_rows;          /* T */
  double cls;             /* mean weight on the [CLS] token(s) */
  double sep;             /* on the [SEP] tokens (all of them, in a pair) */
  double next;            /* on the next token (over rows 0..T-2) */
  double prev;            /* on the previous token (over rows 1..T-1) */
  double self;            /* on the query itself */
  double entropy_norm;    /* mean row entropy / log T, 0..1 */
  /* Rows of tokens whose word has other pieces ("play ##ing"): their mean
   * weight on those other pieces. */
  size_t n_piece_rows;
  double same_word;
  size_t top_key;         /* the word token with the most weight over all rows */
  double top_key_weight;  /* its mean weight */
} AeEncoderHeadStats;

/* @weights is one encoder head's (T, T) matrix, rows summing to 1;
 * @roles (T,) says which tokens are [CLS] and [SEP]; @word (T,) numbers
 * each token's word (pieces of one word share it), NULL for none. */
void        ae_encoder_head_stats_compute (const float        *weights,
                                           const uint8_t      *roles,
                                           const uint32_t     *word,
                                           size_t              T,
                                           AeEncoderHeadStats *out);
AeHeadLabel ae_encoder_head_label         (const AeEncoderHeadStats *stats);
/* English, for logs and the CLI; the app translates the enum itself. */
const char *ae_head_label_to_string (AeHeadLabel        label);

#ifdef __cplusplus
}
#endif
