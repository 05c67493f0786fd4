/* attn-walkthrough-blocks.h
 *
 * Copyright 2026 The Attention authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The walkthrough's building blocks: numbers as it writes them, headings
 * and text, and vectors and matrices with their names, as the step pages
 * and the sandbox's controls show them.
 */
#pragma once

#include <gtk/gtk.h>

#include "attn-walkthrough-strip.h"

G_BEGIN_DECLS

/* Matrices up to this many entries are shown as numbers, larger as cells. */
#define ATTN_WALKTHROUGH_MATRIX_NUMBERS_MAX 64

/* "0.412", "−0.412" with a real minus sign, so columns line up; "0.000"
 * for anything that would print as −0.000. (transfer full) */
char                 *_attn_walkthrough_format_number (double       value);
/* A wrapping label of Pango markup: a heading, or selectable text. */
GtkWidget            *_attn_walkthrough_heading_new   (const char  *markup);
GtkWidget            *_attn_walkthrough_text_new      (const char  *markup);
/* Appends a vector to @box: its name and size, a coloured strip (@marked
 * entry outlined, -1 for none), and its numbers (behind an expander when
 * there are many).  Returns the strip. */
AttnWalkthroughStrip *_attn_walkthrough_add_vector    (GtkBox      *box,
                                                       const char  *name_markup,
                                                       const char  *accessible_name,
                                                       const float *values,
                                                       guint        n,
                                                       int          marked);
/* A matrix (rows, cols) with its name and shape: numbers when small (the
 * sandbox's 4 × 4), else cells. */
GtkWidget            *_attn_walkthrough_matrix_new    (const char  *name_markup,
                                                       const float *m,
                                                       guint        rows,
                                                       guint        cols);

G_END_DECLS
