/* attn-token-lines.c
 *
 * Copyright 2026 The Attention authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "attn-token-lines"

#include "config.h"

#include "attn-render.h"
#include "attn-token-lines.h"
#include "attn-words.h"

/* The gap before a word's first pill and before a piece of one. */
#define GAP_WORD  6
#define GAP_PIECE 1

void
_attn_token_lines_clear (AttnTokenLines *lines)
{
  for (guint i = 0; i < lines->n; i++)
    g_free (lines->pills[i].label);
  g_clear_pointer (&lines->pills, g_free);
  g_clear_pointer (&lines->x, g_free);
  g_clear_pointer (&lines->line_start, g_free);
  g_clear_pointer (&lines->font, pango_font_description_free);
  lines->n = 0;
  lines->n_lines = 0;
  lines->width = -1;
}

/* A piece continues the text of the token before it, with no space in
 * between: "mat" + "." or "tro" + "phy" (the rule of merged words). */
static gboolean
is_piece (AttnResult *result,
          guint       index)
{
  guint part_start;

  /* The later bytes of a character split over several tokens. */
  if (attn_result_get_token_part (result, index, &part_start, NULL, NULL) && part_start > 0)
    return TRUE;
  return attn_words_token_continues (result, index);
}

void
_attn_token_lines_set_result (AttnTokenLines *lines,
                              AttnResult     *result)
{
  _attn_token_lines_clear (lines);
  if (result == NULL)
    return;

  lines->n = attn_result_get_n_tokens (result);
  lines->pills = g_new0 (AttnTokenPill, MAX (lines->n, 1));
  for (guint i = 0; i < lines->n; i++)
    {
      AttnTokenPill *pill = &lines->pills[i];
      guint part_start;
      gsize start, end;

      attn_result_get_token_span (result, i, &start, &end);
      pill->label = attn_render_dup_token_label (attn_result_get_token_text (result, i));
      pill->piece = is_piece (result, i);
      pill->special = start == end && i == 0;
      pill->quiet = attn_result_get_token_part (result, i, &part_start, NULL, NULL) && part_start > 0;
    }
}

/* The stand-ins the label uses for what does not print (a leading space,
 * line breaks, tabs, other control characters, an empty token). */
static gboolean
is_stand_in (gunichar c)
{
  return c == 0x00B7 || c == 0x21B5 || c == 0x21E5 || c == 0x240D || c == 0xFFFD || c == 0x2205;
}

/* (So "日" split in three reads as one character, not three.) */
PangoAttrList *
_attn_token_pill_attrs_new (const AttnTokenPill *pill)
{
  PangoAttrList *attrs = pango_attr_list_new ();
  guint16 quiet = (guint16) (0.45 * 65535);

  if (pill->special)
    pango_attr_list_insert (attrs, pango_attr_style_new (PANGO_STYLE_ITALIC));

  if (pill->quiet)
    pango_attr_list_insert (attrs, pango_attr_foreground_alpha_new (quiet));
  else
    for (const char *p = pill->label; *p != '\0'; p = g_utf8_next_char (p))
      if (is_stand_in (g_utf8_get_char (p)))
        {
          PangoAttribute *attr = pango_attr_foreground_alpha_new (quiet);

          attr->start_index = p - pill->label;
          attr->end_index = g_utf8_next_char (p) - pill->label;
          pango_attr_list_insert (attrs, attr);
        }

  return attrs;
}

/* Texts repeat ("·the", "."), so each distinct label is shaped once: the
 * 4,096 tokens of a page take a few ms, not a pass of Pango each. */
void
_attn_token_lines_measure (AttnTokenLines *lines,
                           PangoContext   *context)
{
  g_autoptr(PangoLayout) layout = pango_layout_new (context);
  g_autoptr(GHashTable) widths = g_hash_table_new (g_str_hash, g_str_equal);
  g_autoptr(PangoAttrList) italic = pango_attr_list_new ();
  int text_w;

  g_clear_pointer (&lines->font, pango_font_description_free);
  lines->font = pango_font_description_copy (pango_context_get_font_description (context));

  pango_layout_set_text (layout, "Ag", -1);
  pango_layout_get_pixel_size (layout, NULL, &lines->text_h);

  pango_attr_list_insert (italic, pango_attr_style_new (PANGO_STYLE_ITALIC));
  for (guint i = 0; i < lines->n; i++)
    {
      AttnTokenPill *pill = &lines->pills[i];
      gpointer known;

      if (!pill->special && g_hash_table_lookup_extended (widths, pill->label, NULL, &known))
        {
          pill->width = GPOINTER_TO_INT (known);
          continue;
        }

      pango_layout_set_attributes (layout, pill->special ? italic : NULL);
      pango_layout_set_text (layout, pill->label, -1);
      pango_layout_get_pixel_size (layout, &text_w, NULL);
      pill->width = text_w + 2 * ATTN_TOKEN_PAD_X;
      if (!pill->special)
        g_hash_table_insert (widths, pill->label, GINT_TO_POINTER (pill->width));
    }

  lines->width = -1;
}

static int
gap_before (const AttnTokenPill *pill)
{
  return pill->piece ? GAP_PIECE : GAP_WORD;
}

int
_attn_token_lines_width_of (const AttnTokenLines *lines,
                            guint                 index)
{
  const AttnTokenPill *pill = &lines->pills[index];

  return MAX (1, MIN (pill->width, lines->width - gap_before (pill)));
}

guint
_attn_token_lines_flow (AttnTokenLines *lines,
                        int             width,
                        gboolean        store)
{
  guint n_lines = lines->n > 0 ? 1 : 0;
  int x = 0;

  width = MAX (width, 1);
  if (store)
    {
      g_free (lines->x);
      g_free (lines->line_start);
      lines->x = g_new (int, MAX (lines->n, 1));
      /* at most one line per pill, and the end */
      lines->line_start = g_new (guint, lines->n + 2);
      lines->line_start[0] = 0;
    }

  for (guint i = 0; i < lines->n; i++)
    {
      int gap = gap_before (&lines->pills[i]);
      int w = MIN (lines->pills[i].width, MAX (width - gap, 1));

      if (x > 0 && x + gap + w > width)
        {
          if (store)
            lines->line_start[n_lines] = i;
          n_lines++;
          x = 0;
        }
      if (store)
        lines->x[i] = x + gap;
      x += gap + w;
    }

  if (store)
    {
      lines->line_start[n_lines] = lines->n;
      lines->n_lines = n_lines;
      lines->width = width;
    }
  return n_lines;
}

gint64
_attn_token_lines_get_natural_width (const AttnTokenLines *lines,
                                     int                  *widest)
{
  gint64 total = 0;

  *widest = 0;
  for (guint i = 0; i < lines->n; i++)
    {
      int w = gap_before (&lines->pills[i]) + lines->pills[i].width;

      *widest = MAX (*widest, w);
      total += w;
    }
  return total;
}

gboolean
_attn_token_lines_laid_out (const AttnTokenLines *lines)
{
  return lines->width > 0 && lines->n > 0 && lines->x != NULL;
}

guint
_attn_token_lines_line_of (const AttnTokenLines *lines,
                           guint                 index)
{
  guint lo = 0, hi = lines->n_lines;

  /* the last line whose first pill is at or before @index */
  while (hi - lo > 1)
    {
      guint mid = (lo + hi) / 2;

      if (lines->line_start[mid] <= index)
        lo = mid;
      else
        hi = mid;
    }
  return lo;
}

int
_attn_token_lines_find (const AttnTokenLines *lines,
                        guint                 line,
                        double                x)
{
  if (line >= lines->n_lines)
    return -1;

  for (guint i = lines->line_start[line]; i < lines->line_start[line + 1]; i++)
    if (x >= lines->x[i] && x < lines->x[i] + _attn_token_lines_width_of (lines, i))
      return (int) i;
  return -1;
}
