/* attn-head-stats.h
 *
 * Copyright 2026 The Attention authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * What one head does on one result's text, in a few numbers and a plain
 * label, for the app and attention-cli (the rule itself is the engine's,
 * ae-stats.h, shared with tools/train/heads.py).  A plain boxed value.
 */
#pragma once

#include <glib-object.h>

#include "attn-result.h"

G_BEGIN_DECLS

typedef enum
{
  ATTN_HEAD_LABEL_NONE,        /* fewer than two tokens: nothing to say */
  ATTN_HEAD_LABEL_PREVIOUS,
  ATTN_HEAD_LABEL_FIRST,
  ATTN_HEAD_LABEL_SELF,
  ATTN_HEAD_LABEL_NEARBY,
  ATTN_HEAD_LABEL_BROAD,
  ATTN_HEAD_LABEL_SPECIFIC,
  ATTN_HEAD_LABEL_INDUCTION,
  /* encoders only (they look both ways) */
  ATTN_HEAD_LABEL_SEP,         /* [SEP] / </s> */
  ATTN_HEAD_LABEL_CLS,         /* [CLS] / <s> */
  ATTN_HEAD_LABEL_NEXT,
  ATTN_HEAD_LABEL_SAME_WORD,   /* the other pieces of its own word */
  ATTN_HEAD_LABEL_COUNT
} AttnHeadLabel;

/* Means over the query rows 1..T-1 (see ae-stats.h for each figure); an
 * encoder's (bidirectional) are over all T rows and fill prev, self,
 * entropy_norm, top_key and the encoder figures below, the rest 0. */
typedef struct
{
  gsize         n_rows;
  double        prev;            /* mean weight on the previous token */
  double        first;           /* on token 0 */
  double        self;            /* on the query itself */
  double        local;           /* within 3 tokens back, self included */
  double        entropy_norm;    /* mean row entropy / log(keys visible), 0..1 */
  double        prev_argmax;     /* share of rows whose largest weight is the previous token */
  double        mean_distance;   /* in tokens */
  gsize         top_key;         /* the key (other than 0) with the most weight */
  double        top_key_weight;
  gsize         n_repeat_rows;   /* rows whose token occurred before */
  double        induction;       /* mean weight on what followed the earlier occurrence */
  gboolean      bidirectional;   /* an encoder's head: the figures below are set */
  double        cls;             /* mean weight on [CLS] / <s> */
  double        sep;             /* on [SEP] / </s> */
  double        next;            /* on the next token */
  gsize         n_piece_rows;    /* tokens of words split into pieces */
  double        same_word;       /* their mean weight on their word's other pieces */
  AttnHeadLabel label;
} AttnHeadStats;

#define ATTN_TYPE_HEAD_STATS (attn_head_stats_get_type ())

GType          attn_head_stats_get_type  (void) G_GNUC_CONST;
AttnHeadStats *attn_head_stats_copy      (const AttnHeadStats *self);
void           attn_head_stats_free      (AttnHeadStats       *self);

/* The statistics of @head of @layer on @result's text, with the induction
 * figures from its tokens; FALSE when the head is out of range.  One head
 * costs O(T²). */
gboolean       attn_result_get_head_stats (AttnResult         *result,
                                           guint               layer,
                                           guint               head,
                                           AttnHeadStats      *out);

/* English, for attention-cli and logs: "previous token", "induction"… */
const char    *attn_head_label_to_string (AttnHeadLabel        label);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (AttnHeadStats, attn_head_stats_free)

G_END_DECLS
