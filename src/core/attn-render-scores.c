/* attn-render-scores.c
 *
 * Copyright 2026 The Attention authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * A score per head drawn over the all-heads grid (the head detectors'
 * overlay, issue 14): heads that score low are veiled in the background
 * colour, a bar along the thumbnail's foot is as long as the score, and
 * a badge prints it.  Everything is drawn in the theme's own background,
 * foreground and accent, so it reads in light and dark alike and over any
 * colour map.
 */

#define G_LOG_DOMAIN "attn-render"

#include "config.h"

#include <glib/gi18n.h>

#include "attn-render-private.h"

/* Below this edge a thumbnail has no room for the printed number. */
#define MIN_BADGE_THUMB 40.0

void
_attn_paint_head_score (Painter         *p,
                        const AttnTheme *theme,
                        double           x,
                        double           y,
                        double           thumb,
                        double           score)
{
  cairo_t *cr = p->cr;
  gboolean none = isnan (score);
  double v = none ? 0.0 : CLAMP (score, 0.0, 1.0);
  double bar_h = MAX (3.0, round (thumb * 0.08));

  cairo_save (cr);

  /* The veil: a head that does not do this fades towards the background,
   * so the few that do stand out at a glance. */
  cairo_rectangle (cr, x, y, thumb, thumb);
  set_source_alpha (cr, &theme->background, 0.7 * (1.0 - v));
  cairo_fill (cr);

  /* The bar: its track, then the score's length in the accent colour. */
  cairo_rectangle (cr, x, y + thumb - bar_h, thumb, bar_h);
  set_source_alpha (cr, &theme->background, 0.85);
  cairo_fill (cr);
  if (v > 0)
    {
      cairo_rectangle (cr, x, y + thumb - bar_h, thumb * v, bar_h);
      set_source (cr, &theme->accent);
      cairo_fill (cr);
    }

  if (thumb >= MIN_BADGE_THUMB)
    {
      char text[16];
      double w, h = p->line_h * 0.95, pad = 3.0;

      if (none)
        g_strlcpy (text, "–", sizeof text);
      else
        g_snprintf (text, sizeof text, "%.2f", v);
      w = _attn_painter_measure (p, text, 0.85, TRUE) + 2 * pad;
      cairo_rectangle (cr, x + 2, y + 2, w, h);
      set_source_alpha (cr, &theme->background, 0.88);
      cairo_fill (cr);
      _attn_painter_text (p, text, x + 2 + pad, y + 2 + h / 2, &theme->foreground,
                          TEXT_STYLE (.size = 0.85, .bold = TRUE, .valign = 0.5));
    }
  cairo_restore (cr);
}

/* The grid's title with an overlay: what the overlay shows first, as the
 * title is cut at its end when too long. */
char *
_attn_grid_dup_title (const AttnGridSpec *spec)
{
  g_autofree char *base = NULL;

  if (spec->title != NULL || spec->scores == NULL || spec->scores_label == NULL)
    return NULL;
  base = attn_render_dup_title_full (spec->result, -1, -1, &spec->display, spec->scale);
  /* Translators: the all-heads grid's title with a detector overlay: "Induction score (probe)" · title */
  return g_strdup_printf (_("%s · %s"), spec->scores_label, base);
}
