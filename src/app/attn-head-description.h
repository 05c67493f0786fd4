/* attn-head-description.h
 *
 * Copyright 2026 The Attention authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * What the selected head does on the current sentence, in words and with
 * the figures behind them ("62 % of weight on the previous token"), from
 * the engine's head statistics (ae-stats).
 */
#pragma once

#include <gtk/gtk.h>

#include "attn-document.h"
#include "attn-head-scores.h"
#include "attn-head-stats.h"

G_BEGIN_DECLS

#define ATTN_TYPE_HEAD_DESCRIPTION (attn_head_description_get_type ())
G_DECLARE_FINAL_TYPE (AttnHeadDescription, attn_head_description, ATTN, HEAD_DESCRIPTION, GtkWidget)

GtkWidget    *attn_head_description_new          (void);
AttnDocument *attn_head_description_get_document (AttnHeadDescription *self);
void          attn_head_description_set_document (AttnHeadDescription *self,
                                                  AttnDocument        *document);
/* The head detectors' scores (issue 14; a reference is kept, NULL none):
 * when they are the current result's, the description gives the head's
 * scores and names a head an induction head when its score on the
 * induction probe says so. */
void          attn_head_description_set_scores   (AttnHeadDescription *self,
                                                  AttnHeadScores      *scores);
/* The visible text, for tests. */
const char   *attn_head_description_get_summary  (AttnHeadDescription *self);
/* The figures line under it, for tests. */
const char   *attn_head_description_get_details  (AttnHeadDescription *self);

/* Below this many tokens a head's averages rest on three rows or fewer and
 * every head looks like a "first token" or "previous token" head, so no
 * label is given: the description says the text is too short to tell. */
#define ATTN_HEAD_DESCRIPTION_MIN_TOKENS 5

/* "Layer 2, head 5: Attends to the previous token (62 % of weight on the
 * previous token)", from the head's weights on @result's sentence; NULL
 * when the head is out of range.  On a text of fewer than
 * ATTN_HEAD_DESCRIPTION_MIN_TOKENS tokens, *@label is ATTN_HEAD_LABEL_NONE
 * and the line says the text is too short to tell.  @stats and @label, when not NULL,
 * receive the statistics behind it. (transfer full) */
char         *_attn_head_dup_summary             (AttnResult          *result,
                                                  guint                layer,
                                                  guint                head,
                                                  AttnHeadStats       *stats,
                                                  AttnHeadLabel       *label);

/* The head's detector scores as one line of details; when its score on
 * the induction probe reaches ATTN_INDUCTION_PROBE_THRESHOLD, *@summary
 * (from _attn_head_dup_summary ()) is replaced by one that names it an
 * induction head with the number.  (transfer full)
 * (attn-head-description-scores.c) */
char         *_attn_head_dup_detector_lines      (AttnHeadScores      *scores,
                                                  guint                layer,
                                                  guint                head,
                                                  char               **summary);

G_END_DECLS
