/* attn-detector-table.h
 *
 * Copyright 2026 The Attention authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Every head × every detector score in one sortable table (issue 14): a
 * row per head, a column per score on the text and on the induction probe.
 * Clicking a column's header sorts by it; clicking a row (or Enter on it)
 * emits "head-activated" with its layer and head.
 */
#pragma once

#include <gtk/gtk.h>

#include "attn-head-scores.h"

G_BEGIN_DECLS

#define ATTN_TYPE_DETECTOR_TABLE (attn_detector_table_get_type ())
G_DECLARE_FINAL_TYPE (AttnDetectorTable, attn_detector_table, ATTN, DETECTOR_TABLE, GtkWidget)

GtkWidget  *attn_detector_table_new       (void);
/* The scores shown (a reference is kept); NULL empties the table. */
void        attn_detector_table_set_scores (AttnDetectorTable *self,
                                            AttnHeadScores    *scores);
AttnHeadScores *attn_detector_table_get_scores (AttnDetectorTable *self);
/* Sorts by one score column, as a click on its header does. */
void        attn_detector_table_sort_by   (AttnDetectorTable *self,
                                           AttnScoreSource    source,
                                           AttnDetector       detector,
                                           GtkSortType        order);
/* The rows as shown (sorted); @position's head in *layer, *head. */
guint       attn_detector_table_get_n_rows (AttnDetectorTable *self);
gboolean    attn_detector_table_get_row   (AttnDetectorTable *self,
                                           guint              position,
                                           guint             *layer,
                                           guint             *head);
/* Activates the row at @position, as a click does. */
void        attn_detector_table_activate_row (AttnDetectorTable *self,
                                              guint              position);

G_END_DECLS
