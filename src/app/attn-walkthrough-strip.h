/* attn-walkthrough-strip.h
 *
 * Copyright 2026 The Attention authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The walkthrough's pictures of numbers: a vector as a wrapped strip of
 * coloured cells, a matrix as a block of cells, or a softmax row as bars.
 * Hovering a cell or bar tells its index and its value at full precision.
 */
#pragma once

#include <gtk/gtk.h>

G_BEGIN_DECLS

typedef enum
{
  ATTN_WALKTHROUGH_STRIP_VECTOR,   /* cells wrapped to the width, diverging colours */
  ATTN_WALKTHROUGH_STRIP_MATRIX,   /* rows × cols cells fitted to the width */
  ATTN_WALKTHROUGH_STRIP_BARS,     /* one bar per entry, height ∝ value (0..1) */
} AttnWalkthroughStripKind;

#define ATTN_TYPE_WALKTHROUGH_STRIP (attn_walkthrough_strip_get_type ())
G_DECLARE_FINAL_TYPE (AttnWalkthroughStrip, attn_walkthrough_strip, ATTN, WALKTHROUGH_STRIP, GtkWidget)

GtkWidget *attn_walkthrough_strip_new         (AttnWalkthroughStripKind  kind,
                                               const char               *accessible_label);
/* Copies @n_rows × @n_cols values (row-major); a vector has one row. */
void       attn_walkthrough_strip_set_values  (AttnWalkthroughStrip     *self,
                                               const float              *values,
                                               guint                     n_rows,
                                               guint                     n_cols);
/* The entry drawn outlined and pointed at (this key), or -1. */
void       attn_walkthrough_strip_set_marked  (AttnWalkthroughStrip     *self,
                                               int                       index);
/* Vectors: @n entries from @first outlined (this head's part of all heads). */
void       attn_walkthrough_strip_set_marked_range (AttnWalkthroughStrip *self,
                                               int                       first,
                                               guint                     n);
/* Bars: entries from @first_masked on are in the future, drawn hatched. */
void       attn_walkthrough_strip_set_first_masked (AttnWalkthroughStrip *self,
                                               guint                     first_masked);
/* Bars: each entry's name for tooltips and, when wide enough, under its bar;
 * and a second number to show on hover (the score).  Both copied; may be NULL. */
void       attn_walkthrough_strip_set_labels  (AttnWalkthroughStrip     *self,
                                               const char *const        *labels,
                                               const float              *secondary,
                                               const char               *secondary_name);
guint      attn_walkthrough_strip_get_n_values (AttnWalkthroughStrip    *self);
/* The entry under (x, y) in widget coordinates, or -1. */
int        attn_walkthrough_strip_hit_test    (AttnWalkthroughStrip     *self,
                                               double                    x,
                                               double                    y);

G_END_DECLS
