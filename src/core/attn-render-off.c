/* attn-render-off.c
 *
 * Copyright 2026 The Attention authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * How a switched-off (ablated) head looks wherever heads are drawn side by
 * side: its picture veiled, struck through corner to corner in red, and
 * labelled with the kind of ablation, so it can never pass for a head that
 * still writes to the residual stream.
 */

#define G_LOG_DOMAIN "attn-render"

#include "config.h"

#include <glib/gi18n.h>

#include "attn-render-private.h"

/* GNOME's red 3 (light) and a lighter red that reads on dark. */
static const AttnRgba off_light = { 0.878, 0.106, 0.141, 1.0 };
static const AttnRgba off_dark = { 1.0, 0.482, 0.388, 1.0 };

void
_attn_paint_head_off (Painter        *p,
                      AeAblationKind  kind,
                      double          x,
                      double          y,
                      double          size)
{
  cairo_t *cr = p->cr;
  const AttnTheme *theme = p->theme;
  const AttnRgba *red = theme->dark ? &off_dark : &off_light;
  double lw = CLAMP (size / 16.0, 1.5, 4.0);

  cairo_save (cr);
  set_source_alpha (cr, &theme->background, 0.55);
  cairo_rectangle (cr, x, y, size, size);
  cairo_fill (cr);

  /* the strike: a halo in the background colour, then the red line */
  cairo_move_to (cr, x + lw, y + size - lw);
  cairo_line_to (cr, x + size - lw, y + lw);
  cairo_set_line_cap (cr, CAIRO_LINE_CAP_ROUND);
  set_source (cr, &theme->background);
  cairo_set_line_width (cr, lw + 3);
  cairo_stroke_preserve (cr);
  set_source (cr, red);
  cairo_set_line_width (cr, lw);
  cairo_stroke (cr);

  _attn_outline_rect (cr, theme, red, x - 1, y - 1, size + 2, size + 2, 1.5);

  if (size >= 40)
    {
      /* Translators: badge on a switched-off head (zero or mean ablation) */
      const char *label = kind == AE_ABLATION_MEAN ? C_("ablated head", "mean") : C_("ablated head", "off");
      double w = _attn_painter_measure (p, label, 0.8, TRUE) + 6;
      double h = p->line_h * 0.8 + 2;

      set_source (cr, red);
      cairo_rectangle (cr, x + 2, y + 2, w, h);
      cairo_fill (cr);
      _attn_painter_text (p, label, x + 5, y + 3, &theme->background,
                          TEXT_STYLE (.size = 0.8, .bold = TRUE));
    }
  cairo_restore (cr);
}
