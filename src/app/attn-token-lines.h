/* attn-token-lines.h
 *
 * Copyright 2026 The Attention authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The token strip's geometry: each token as a pill whose width is measured
 * once (each distinct label shaped once), broken into lines like words in a
 * paragraph, sub-word pieces close to the piece before them.  Breaking
 * thousands of tokens into lines is one pass over their widths; finding a
 * token's line is a binary search.  AttnTokenStrip draws what this lays out.
 */
#pragma once

#include <gtk/gtk.h>

#include "attn-result.h"

G_BEGIN_DECLS

/* The label's padding inside its pill, on either side. */
#define ATTN_TOKEN_PAD_X 6

typedef struct
{
  char  *label;         /* as drawn: attn_render_dup_token_label () */
  int    width;         /* the whole pill: text and padding */
  guint  piece   : 1;   /* continues the token before it: sits close */
  guint  special : 1;   /* the start token: quiet and slanted */
  guint  quiet   : 1;   /* a later byte of a split character: drawn quiet */
} AttnTokenPill;

typedef struct
{
  AttnTokenPill        *pills;       /* (n) */
  guint                 n;
  int                   text_h;      /* a label's height */
  PangoFontDescription *font;        /* the font the widths were measured in */
  /* Broken for width (-1: not laid out): each pill's left edge within its
   * line, and the first pill of each line (n_lines + 1 entries). */
  int                   width;
  int                  *x;
  guint                *line_start;
  guint                 n_lines;
} AttnTokenLines;

void           _attn_token_lines_clear      (AttnTokenLines      *lines);
/* One pill per token of @result (none for NULL), not measured yet. */
void           _attn_token_lines_set_result (AttnTokenLines      *lines,
                                             AttnResult          *result);
/* Each pill's width in @context's font; the lines are to be broken again. */
void           _attn_token_lines_measure    (AttnTokenLines      *lines,
                                             PangoContext        *context);
/* Breaks the pills into lines of @width; with @store keeps where each goes
 * (else only counts).  Returns the number of lines. */
guint          _attn_token_lines_flow       (AttnTokenLines      *lines,
                                             int                  width,
                                             gboolean             store);
/* The width of all pills in one line; @widest: the widest pill's. */
gint64         _attn_token_lines_get_natural_width (const AttnTokenLines *lines,
                                                    int                  *widest);
gboolean       _attn_token_lines_laid_out   (const AttnTokenLines *lines);
/* The line pill @index is on (laid out). */
guint          _attn_token_lines_line_of    (const AttnTokenLines *lines,
                                             guint                index);
/* Pill @index's width as laid out: at most the line's (its label
 * ellipsized). */
int            _attn_token_lines_width_of   (const AttnTokenLines *lines,
                                             guint                index);
/* The pill of @line under @x, or -1 for the gaps. */
int            _attn_token_lines_find       (const AttnTokenLines *lines,
                                             guint                line,
                                             double               x);
/* The label's attributes: the start token slanted, stand-in symbols and
 * the later pieces of one character quiet.  (transfer full) */
PangoAttrList *_attn_token_pill_attrs_new   (const AttnTokenPill *pill);

G_END_DECLS
