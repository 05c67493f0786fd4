/* attn-render-arcs.c
 *
 * Copyright 2026 The Attention authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The arc view: tokens in reading order, an arc from the query to each key.
 */

#define G_LOG_DOMAIN "attn-render"

#include "config.h"

#include <math.h>
#include <string.h>

#include <glib/gi18n.h>

#include "attn-display.h"
#include "attn-render-private.h"

/* Beyond this many links, the arc view without a query draws the strongest:
 * each arc is a stroke of its own, some 30 µs. */
#define MAX_ARCS            1500

static const char * const arc_links_names[] = { "query", "threshold", "top-k" };

const char *
attn_arc_links_to_string (AttnArcLinks links)
{
  g_return_val_if_fail (links <= ATTN_ARC_LINKS_TOP_K, NULL);
  return arc_links_names[links];
}

gboolean
attn_arc_links_from_string (const char   *name,
                            AttnArcLinks *links)
{
  for (guint i = 0; i < G_N_ELEMENTS (arc_links_names); i++)
    if (g_strcmp0 (name, arc_links_names[i]) == 0)
      {
        if (links != NULL)
          *links = i;
        return TRUE;
      }
  return FALSE;
}

void
attn_arc_spec_init (AttnArcSpec *spec,
                    AttnResult  *result,
                    guint        layer,
                    guint        head)
{
  g_return_if_fail (spec != NULL);

  memset (spec, 0, sizeof *spec);
  spec->result = result;
  spec->layer = layer;
  spec->head = head;
  spec->query = spec->key = spec->hover_token = -1;
  spec->threshold = 0.1;
  spec->links = ATTN_ARC_LINKS_QUERY;
  spec->top_k = 3;
  spec->colormap = ATTN_COLORMAP_VIRIDIS;
  spec->scale = ATTN_SCALE_LINEAR;
  spec->show_title = TRUE;
  spec->show_colorbar = TRUE;
}

typedef struct
{
  guint    n_tokens;
  gboolean upright;     /* labels turned 90°, one equal slot per token */
  double   margin;
  double   title_y, title_h, caption_h;
  double   sx, sw;      /* visible strip */
  double  *cx;          /* (T,) centre of each token */
  double  *half;        /* (T,) half the chip (or slot) width */
  double   top_y;       /* top of the arc area */
  double   base_y;      /* arcs end here, on top of the chips */
  double   chip_h;      /* chip, or the colour marker when upright */
  double   label_w;     /* upright: longest label */
  double   span;        /* distance between the outermost centres */
  int      step;        /* upright: every step-th label */
  double   cb_w;        /* colour bar, gap included; 0 without one */
  double   zoom;        /* short inputs: chips, labels and strokes grown by this */
  double   loop_h;      /* height of a self-attention loop above its chip */
  gboolean both_ways;   /* an encoder's: links to later keys too, drawn below */
  double   below_y;     /* with both_ways: arcs to later keys hang from here */
} ArcLayout;

static void
arc_layout_clear (ArcLayout *l)
{
  g_clear_pointer (&l->cx, g_free);
  g_clear_pointer (&l->half, g_free);
}

static gboolean
arc_spec_valid (const AttnArcSpec *spec)
{
  return spec != NULL && spec->result != NULL &&
         attn_result_get_n_tokens (spec->result) > 0 &&
         attn_result_get_weights (spec->result, spec->layer, spec->head) != NULL;
}

#define ARC_NATURAL_HEIGHT 240.0

/* A short sentence grows to fill the width up to this factor (22 px
 * labels at the default 11), so eight tokens read on a projector. */
#define ARC_MAX_ZOOM 2.25

/* Measures every chip; returns the width of the whole reading-order strip. */
static double
arc_measure_chips (const AttnArcSpec *spec,
                   Painter           *p,
                   ArcLayout         *l)
{
  double pad = round (p->line_h * 0.4);
  double gap = round (p->line_h * 0.3);
  g_autofree double *widths = _attn_label_widths_dup (spec->cache, p, spec->result);
  double total = 0;

  for (guint i = 0; i < l->n_tokens; i++)
    {
      double w = MIN (widths[i], 12 * p->font_px) + 2 * pad;

      l->half[i] = w / 2;
      l->cx[i] = total + w / 2;
      total += w + (i + 1 < l->n_tokens ? gap : 0);
    }
  return total;
}

static void
arc_layout (const AttnArcSpec *spec,
            Painter           *p,
            double             width,
            double             height,
            ArcLayout         *l)
{
  double natural, avail, bottom_h, shift;

  memset (l, 0, sizeof *l);
  l->n_tokens = attn_result_get_n_tokens (spec->result);
  l->both_ways = attn_result_is_bidirectional (spec->result);
  l->cx = g_new0 (double, l->n_tokens);
  l->half = g_new0 (double, l->n_tokens);
  l->margin = round (p->line_h * 1.1);
  if (spec->show_title)
    {
      l->title_h = ceil (p->line_h * 1.25 + p->line_h * 0.4);
      l->caption_h = ceil (p->line_h * 1.5);
    }
  if (spec->show_colorbar && spec->query >= 0)
    l->cb_w = _attn_colorbar_reserve (p);

  natural = arc_measure_chips (spec, p, l);
  avail = MAX (width - 2 * l->margin - l->cb_w, 1.0);

  if (spec->scrollable || natural <= avail)
    {
      if (spec->scrollable)
        {
          shift = l->margin - CLAMP (spec->scroll_x, 0, MAX (natural - avail, 0));
          l->sx = l->margin;
          l->sw = MIN (avail, natural);
        }
      else
        {
          /* Short inputs use the width: chips and labels grow (as long as
           * the chips take at most a fifth of the height), and what is
           * left goes between the chips, so the arcs span the figure. */
          double room_h = height - 2 * l->margin - l->title_h - l->caption_h;
          double spread = 0, strip;

          l->zoom = MIN (avail / natural, ARC_MAX_ZOOM);
          l->zoom = MAX (1.0, MIN (l->zoom, room_h / 5 / ceil (p->line_h * 1.6)));
          strip = natural * l->zoom;
          if (l->n_tokens > 1)
            {
              spread = (avail - strip) / (l->n_tokens - 1);
              strip = avail;
            }
          for (guint i = 0; i < l->n_tokens; i++)
            {
              l->cx[i] = l->cx[i] * l->zoom + i * spread;
              l->half[i] *= l->zoom;
            }
          shift = round (l->margin + (avail - strip) / 2);
          l->sx = shift;
          l->sw = strip;
        }
      for (guint i = 0; i < l->n_tokens; i++)
        l->cx[i] += shift;
      l->chip_h = ceil (p->line_h * 1.6 * MAX (l->zoom, 1.0));
      l->loop_h = round (l->chip_h * 0.9);
      bottom_h = l->chip_h;
      l->step = 1;
    }
  else
    {
      double slot = avail / l->n_tokens;

      l->upright = TRUE;
      for (guint i = 0; i < l->n_tokens; i++)
        {
          l->cx[i] = l->margin + (i + 0.5) * slot;
          l->half[i] = slot / 2;
        }
      l->sx = l->margin;
      l->sw = avail;
      l->chip_h = MAX (2.0, MIN (slot * 0.85, p->line_h * 0.8));
      l->label_w = _attn_measure_widest_label (p, spec->result, 8 * p->font_px);
      l->step = _attn_nice_step (ceil (p->line_h * 1.05 / slot));
      l->loop_h = round (p->line_h * 0.9);
      bottom_h = l->chip_h + round (p->line_h * 0.4) + l->label_w;
    }
  l->zoom = MAX (l->zoom, 1.0);

  l->span = MAX (l->cx[l->n_tokens - 1] - l->cx[0], 1.0);
  l->title_y = l->margin;
  l->top_y = l->margin + l->title_h + l->caption_h + round (p->line_h * 0.5);
  l->base_y = MAX (height - l->margin - bottom_h, l->top_y + 1);

  /* The widest arc needs span / 2; spare height goes above and below the
   * arcs and chips alike instead of leaving a hole under the title.  An
   * encoder's links to later keys take the same height again, below the
   * chips (and the upright labels): the two halves share what there is. */
  {
    double need = l->span / 2 + 8;
    double avail_h = l->base_y - l->top_y;

    if (l->both_ways)
      {
        /* above arcs, chips (and labels), below arcs, centred */
        double h = MIN (need, floor (avail_h / 2));

        l->top_y += round ((avail_h - 2 * h) / 2);
        l->base_y = l->top_y + h;
      }
    else if (avail_h > need)
      {
        l->base_y -= round ((avail_h - need) / 2);
        l->top_y = l->base_y - need;
      }
    l->below_y = l->base_y + bottom_h;
  }
}

void
attn_arcs_get_natural_size (const AttnArcSpec *spec,
                            double            *width,
                            double            *height)
{
  AttnArcSpec natural_spec;
  ArcLayout l;
  Painter p;
  double strip;

  g_return_if_fail (spec != NULL);

  /* Nothing to draw (no result yet, or no trace): no size. */
  if (!arc_spec_valid (spec))
    {
      _attn_set_no_size (width, height);
      return;
    }

  /* The natural strip is the scrollable, reading-order one. */
  natural_spec = *spec;
  natural_spec.scrollable = TRUE;
  _attn_painter_init (&p, NULL, spec->theme ? spec->theme : attn_theme_get_default (FALSE));
  arc_layout (&natural_spec, &p, G_MAXINT, ARC_NATURAL_HEIGHT * 4, &l);
  strip = arc_measure_chips (spec, &p, &l);

  if (width != NULL)
    *width = ceil (2 * l.margin + strip + l.cb_w);
  /* (an encoder's arcs to later keys hang below the chips: twice the room) */
  if (height != NULL)
    *height = ceil (l.margin + l.title_h + l.caption_h + round (p.line_h * 0.5) +
                    MIN (ARC_NATURAL_HEIGHT, strip / 2 + 8) * (l.both_ways ? 2 : 1) + l.chip_h + l.margin);

  arc_layout_clear (&l);
  _attn_painter_clear (&p);
}

gboolean
attn_arcs_hit_test (const AttnArcSpec *spec,
                    double             width,
                    double             height,
                    double             x,
                    double             y,
                    int               *token)
{
  gboolean found = FALSE;
  ArcLayout l;
  Painter p;
  double bottom;

  g_return_val_if_fail (spec != NULL, FALSE);

  if (!arc_spec_valid (spec))
    return FALSE;

  _attn_painter_init (&p, NULL, spec->theme ? spec->theme : attn_theme_get_default (FALSE));
  arc_layout (spec, &p, width, height, &l);

  /* Only the chip (upright: the marker and its label) is the token;
   * the space around it is nothing, which a widget may take as "clear". */
  bottom = l.upright ? l.base_y + l.chip_h + round (p.line_h * 0.4) + l.label_w : l.base_y + l.chip_h + 1;
  if (x >= l.sx && x < l.sx + l.sw && y >= l.base_y - 1 && y <= bottom)
    for (guint i = 0; i < l.n_tokens && !found; i++)
      if (fabs (x - l.cx[i]) <= l.half[i])
        {
          if (token != NULL)
            *token = i;
          found = TRUE;
        }

  arc_layout_clear (&l);
  _attn_painter_clear (&p);
  return found;
}

gboolean
attn_arcs_get_token_rect (const AttnArcSpec *spec,
                          double             width,
                          double             height,
                          int                token,
                          cairo_rectangle_t *rect)
{
  gboolean visible = FALSE;
  ArcLayout l;
  Painter p;

  g_return_val_if_fail (spec != NULL, FALSE);

  if (!arc_spec_valid (spec) || token < 0 || token >= (int) attn_result_get_n_tokens (spec->result))
    return FALSE;

  _attn_painter_init (&p, NULL, spec->theme ? spec->theme : attn_theme_get_default (FALSE));
  arc_layout (spec, &p, width, height, &l);

  if (l.cx[token] + l.half[token] > l.sx && l.cx[token] - l.half[token] < l.sx + l.sw)
    {
      if (rect != NULL)
        *rect = (cairo_rectangle_t) { l.cx[token] - l.half[token], l.base_y, 2 * l.half[token], l.chip_h };
      visible = TRUE;
    }

  arc_layout_clear (&l);
  _attn_painter_clear (&p);
  return visible;
}

typedef AttnArcLink Link;

static int
link_compare (gconstpointer a,
              gconstpointer b)
{
  const Link *la = a, *lb = b;

  return (la->weight > lb->weight) - (la->weight < lb->weight);
}

/* Arcs are half ellipses, all of one shape: half as high as wide, scaled
 * down together when the widest would not fit. */
static double
arc_height (const ArcLayout *l,
            int              from,
            int              to)
{
  double avail = l->base_y - l->top_y;
  double d = fabs (l->cx[to] - l->cx[from]);

  return MAX (MIN (avail, 8.0), d / 2 * MIN (1.0, avail / (l->span / 2)));
}

typedef struct
{
  double x, y;
} Point;

static inline Point
lerp (Point  a,
      Point  b,
      double t)
{
  return (Point) { a.x + (b.x - a.x) * t, a.y + (b.y - a.y) * t };
}

/* Splits cubic @c at @t (de Casteljau), keeping the part before it in
 * @left and the part after it in @right (either may be NULL). */
static void
cubic_split (const Point c[4],
             double      t,
             Point       left[4],
             Point       right[4])
{
  Point ab = lerp (c[0], c[1], t), bc = lerp (c[1], c[2], t), cd = lerp (c[2], c[3], t);
  Point abc = lerp (ab, bc, t), bcd = lerp (bc, cd, t);
  Point mid = lerp (abc, bcd, t);

  if (left != NULL)
    {
      left[0] = c[0]; left[1] = ab; left[2] = abc; left[3] = mid;
    }
  if (right != NULL)
    {
      right[0] = mid; right[1] = bcd; right[2] = cd; right[3] = c[3];
    }
}

/* t where an arc's x has gone a share @u of the way: x(t) = 3t² − 2t³ for
 * handles straight above the ends, which rises monotonically. */
static double
arc_t_at (double u)
{
  double lo = 0, hi = 1;

  for (int i = 0; i < 24; i++)
    {
      double t = (lo + hi) / 2;

      if (t * t * (3 - 2 * t) < u)
        lo = t;
      else
        hi = t;
    }
  return (lo + hi) / 2;
}

/* The arc from token @from to token @to, cut to the visible strip: long
 * arcs of a scrolled strip run far off screen, and cairo would flatten
 * and stroke all of them.  @below: hanging under the chips (an encoder's
 * link to a later key), else standing on them. */
static void
arc_path (cairo_t         *cr,
          const ArcLayout *l,
          int              from,
          int              to,
          gboolean         below)
{
  double xa = l->cx[from], xb = l->cx[to];
  double k = arc_height (l, from, to) * 4 / 3;   /* handles 4/3 h up: the peak is at h */
  double x0 = l->sx - 16, x1 = l->sx + l->sw + 16;
  double y = below ? l->below_y : l->base_y, dy = below ? k : -k;
  Point c[4] = { { xa, y }, { xa, y + dy }, { xb, y + dy }, { xb, y } };

  if (xa > xb)
    {
      double tmp = xa;

      xa = xb;
      xb = tmp;
      c[0].x = c[1].x = xa;
      c[2].x = c[3].x = xb;
    }

  if ((xa < x0 || xb > x1) && xb > xa)
    {
      double t0 = xa < x0 ? arc_t_at ((x0 - xa) / (xb - xa)) : 0;
      double t1 = xb > x1 ? arc_t_at ((x1 - xa) / (xb - xa)) : 1;
      Point part[4];

      if (t1 <= t0)
        return;
      cubic_split (c, t1, part, NULL);
      cubic_split (part, t0 / t1, NULL, c);
    }

  cairo_move_to (cr, c[0].x, c[0].y);
  cairo_curve_to (cr, c[1].x, c[1].y, c[2].x, c[2].y, c[3].x, c[3].y);
}

/* Half the distance between a self-attention loop's feet; the loop bulges
 * to some 1.1 times that on either side. */
static double
loop_half_base (const ArcLayout *l,
                int              token)
{
  return MAX (0.5, MIN (l->half[token] * 0.45, l->loop_h * 0.4));
}

/* A token's attention to itself: a small loop standing on its chip,
 * narrow enough to stay within the chip (or slot) it belongs to. */
static void
loop_path (cairo_t         *cr,
           const ArcLayout *l,
           int              token)
{
  double x = l->cx[token], y = l->base_y;
  double a = loop_half_base (l, token);
  double k = l->loop_h / 0.75;   /* a cubic's peak is 3/4 of its handles' height */

  cairo_move_to (cr, x - a, y);
  cairo_curve_to (cr, x - 2.4 * a, y - k, x + 2.4 * a, y - k, x + a, y);
}

/* The tokens whose chips reach into the visible strip: [*v0, *v1). */
static void
arc_visible_tokens (const ArcLayout *l,
                    guint           *v0,
                    guint           *v1)
{
  guint lo = 0, hi = l->n_tokens;

  /* centres rise left to right: the first chip ending after the strip's
   * left edge, then the first starting after its right edge */
  while (lo < hi)
    {
      guint mid = (lo + hi) / 2;

      if (l->cx[mid] + l->half[mid] < l->sx - 2)
        lo = mid + 1;
      else
        hi = mid;
    }
  *v0 = lo;
  hi = l->n_tokens;
  while (lo < hi)
    {
      guint mid = (lo + hi) / 2;

      if (l->cx[mid] - l->half[mid] <= l->sx + l->sw + 2)
        lo = mid + 1;
      else
        hi = mid;
    }
  *v1 = lo;
}

/* Each query's @k strongest keys (of those it sees), strongest first, -1
 * where it sees fewer: (T × k,) ints.  One pass over the T² / 2 weights,
 * some 10 ms at 4,096 tokens, so @cache keeps it for the next frames. */
static GBytes *
arc_top_keys_dup (const AttnArcSpec *spec,
                  const ArcLayout   *l,
                  const float       *weights,
                  guint              k)
{
  g_autofree char *display_key = attn_display_dup_key (&spec->display);
  g_autofree char *key = g_strdup_printf ("arcs-top/%u/%u/%u/%s", spec->layer, spec->head, k, display_key);
  GBytes *cached = _attn_render_cache_lookup_array (spec->cache, spec->result, key);
  GBytes *bytes;
  int *top;

  if (cached != NULL)
    return g_bytes_ref (cached);

  top = g_new (int, (gsize) l->n_tokens * k);
  for (guint i = 0; i < l->n_tokens; i++)
    {
      const float *row = weights + (gsize) i * l->n_tokens;
      int *best = top + (gsize) i * k;
      guint n = 0, seen = l->both_ways ? l->n_tokens : i + 1;

      /* insertion into the k best so far: k is a handful */
      for (guint j = 0; j < seen; j++)
        {
          guint at = n;

          if (row[j] < 1e-4 || (n == k && row[j] <= row[best[k - 1]]))
            continue;   /* hidden (negative), nothing, or weaker than the k-th */
          while (at > 0 && row[best[at - 1]] < row[j])
            at--;
          if (n < k)
            n++;
          memmove (best + at + 1, best + at, (n - 1 - at) * sizeof (int));
          best[at] = j;
        }
      for (guint j = n; j < k; j++)
        best[j] = -1;
    }

  bytes = g_bytes_new_take (top, (gsize) l->n_tokens * k * sizeof (int));
  _attn_render_cache_insert_array (spec->cache, spec->result, key, bytes);
  return bytes;
}

/* Whether every query's links are drawn, not only the query's. */
static gboolean
arc_all_queries (const AttnArcSpec *spec,
                 int                q)
{
  return q < 0 || spec->links != ATTN_ARC_LINKS_QUERY;
}

/* Which links to draw: from the query to every key, every query's links
 * above the threshold, or every query's top k; only those reaching into
 * the visible strip, at most MAX_ARCS, weakest first so the strong ones
 * are drawn on top. */
static GArray *
arc_links_new (const AttnArcSpec *spec,
               const ArcLayout   *l,
               const float       *weights,
               int                q)
{
  GArray *links = g_array_new (FALSE, FALSE, sizeof (Link));
  guint v0, v1;

  arc_visible_tokens (l, &v0, &v1);
  if (!arc_all_queries (spec, q))
    {
      for (int k = 0; k < (l->both_ways ? (int) l->n_tokens : q + 1); k++)
        {
          Link link = { q, k, weights[(gsize) q * l->n_tokens + k] };

          if (link.weight >= 0.002)
            g_array_append_val (links, link);
        }
    }
  else if (spec->links == ATTN_ARC_LINKS_TOP_K)
    {
      guint k = MAX (spec->top_k, 1);
      g_autoptr(GBytes) bytes = arc_top_keys_dup (spec, l, weights, k);
      const int *top = g_bytes_get_data (bytes, NULL);

      /* T × k candidates: those with an end in view */
      for (guint i = 0; i < l->n_tokens; i++)
        for (guint j = 0; j < k && top[(gsize) i * k + j] >= 0; j++)
          {
            guint key = top[(gsize) i * k + j];
            Link link = { i, key, weights[(gsize) i * l->n_tokens + key] };

            if ((i >= v0 && i < v1) || (key >= v0 && key < v1))
              g_array_append_val (links, link);
          }
    }
  else
    {
      /* Scrolled, the links with an end in view: the rows and columns of
       * the tokens in view, not all T² weights (8 million at 4,096 tokens,
       * 20 ms a frame); links passing over the view from one side to the
       * other would only cover it. */
      for (guint i = l->both_ways ? 0 : v0; i < l->n_tokens; i++)
        {
          /* a row in view: all its keys; a later row: the keys in view
           * (an encoder's earlier rows too: their later keys) */
          gboolean in_view = i >= v0 && i < v1;
          guint k0 = in_view ? 0 : v0;
          guint k1 = l->both_ways ? (in_view ? l->n_tokens : v1) : in_view ? i + 1 : MIN (i + 1, v1);

          for (guint k = k0; k < k1; k++)
            {
              Link link = { i, k, weights[(gsize) i * l->n_tokens + k] };

              if (link.weight >= MAX (spec->threshold, 1e-4))
                g_array_append_val (links, link);
            }
        }
    }
  /* Only arcs that reach into the visible strip, the strongest first. */
  for (guint i = links->len; i-- > 0;)
    {
      const Link *link = &g_array_index (links, Link, i);
      int left = MIN (link->query, link->key), right = MAX (link->query, link->key);

      if (l->cx[right] < l->sx - 2 || l->cx[left] > l->sx + l->sw + 2)
        g_array_remove_index_fast (links, i);
    }
  g_array_sort (links, link_compare);
  if (links->len > MAX_ARCS)
    g_array_remove_range (links, 0, links->len - MAX_ARCS);

  return links;
}

/* The arcs of @links, scaled so the longest reaches the top, and the
 * pinned one (query → key) emphasised with its weight at its peak. */
static void
paint_arc_links (Painter           *p,
                 const AttnArcSpec *spec,
                 ArcLayout         *l,
                 const float       *weights,
                 int                q,
                 GArray            *links)
{
  cairo_t *cr = p->cr;
  gboolean dimmed;
  double max_w;

  /* Scale the arcs to the longest one drawn, so it reaches the top. */
  {
    double longest = 1.0;

    for (guint i = 0; i < links->len; i++)
      {
        const Link *link = &g_array_index (links, Link, i);
        longest = MAX (longest, fabs (l->cx[link->query] - l->cx[link->key]));
      }
    l->span = longest;
  }

  /* Weak arcs first, so strong ones are drawn on top.  Width and opacity
   * are proportional to the weight itself, so heads compare fairly.  (One
   * stroke per arc: batching arcs into one path makes cairo intersect them
   * all, which is slower still.) */
  max_w = CLAMP (p->line_h * 0.6, 3.0, 10.0) * l->zoom;
  cairo_set_line_cap (cr, CAIRO_LINE_CAP_ROUND);
  cairo_set_tolerance (cr, 0.25);
  /* Every query's links with a query selected: the others dimmed first,
   * then the query's (as query or as key) in the accent colour on top. */
  dimmed = q >= 0 && arc_all_queries (spec, q);
  for (guint n = 0; n < 2 * links->len; n++)
    {
      const Link *link = &g_array_index (links, Link, n % links->len);
      gboolean own = q < 0 || link->query == q || link->key == q;

      if (own != (n >= links->len))
        continue;
      if (link->key == spec->key && link->query == q)
        continue;   /* the pinned arc is drawn last, emphasised */

      /* A loop is short: at the arcs' width a strong one would be a blob. */
      if (link->key == link->query)
        {
          loop_path (cr, l, link->key);
          cairo_set_line_width (cr, 0.6 + max_w * 0.6 * link->weight);
        }
      else
        {
          arc_path (cr, l, link->key, link->query, link->key > link->query);
          cairo_set_line_width (cr, 0.6 + max_w * link->weight);
        }
      /* among every token's links the query's stay visible when weak */
      set_source_alpha (cr, own ? &p->theme->accent : &p->theme->dim,
                        own && dimmed ? 0.35 + 0.65 * link->weight : 0.08 + 0.92 * link->weight);
      cairo_stroke (cr);
    }

  if (q >= 0 && spec->key >= 0 && spec->key < (l->both_ways ? (int) l->n_tokens : q + 1))
    {
      gboolean below = spec->key > q;
      double w = MAX (0, weights[(gsize) q * l->n_tokens + spec->key]);
      double lw = 0.6 + max_w * (spec->key == q ? 0.6 : 1.0) * w;
      double h = spec->key == q ? l->loop_h : arc_height (l, spec->key, q);
      char text[16];

      if (spec->key == q)
        loop_path (cr, l, q);
      else
        arc_path (cr, l, spec->key, q, below);
      set_source (cr, &p->theme->background);
      cairo_set_line_width (cr, lw + 3);
      cairo_stroke_preserve (cr);
      set_source (cr, &p->theme->accent);
      cairo_set_line_width (cr, lw);
      cairo_stroke (cr);

      /* The number at the arc's peak (beside a loop, whose top the query's
       * arcs cross): a pinned link is one being read. */
      g_snprintf (text, sizeof text, "%.3f",
                  attn_result_get_weights (spec->result, spec->layer, spec->head)[(gsize) q * l->n_tokens + spec->key]);
      if (spec->key == q)
        _attn_painter_text (p, text, l->cx[q] + 1.2 * loop_half_base (l, q) + lw / 2 + 3, l->base_y - h / 2,
                            &p->theme->accent,
                            TEXT_STYLE (.bold = TRUE, .valign = 0.5, .size = MIN (l->zoom, 1.6)));
      else if (below)
        _attn_painter_text (p, text, (l->cx[q] + l->cx[spec->key]) / 2, l->below_y + h + 3 + lw / 2,
                            &p->theme->accent,
                            TEXT_STYLE (.bold = TRUE, .halign = 0.5, .valign = 0, .size = MIN (l->zoom, 1.6)));
      else
        _attn_painter_text (p, text, (l->cx[q] + l->cx[spec->key]) / 2, l->base_y - h - 3 - lw / 2,
                            &p->theme->accent,
                            TEXT_STYLE (.bold = TRUE, .halign = 0.5, .valign = 1, .size = MIN (l->zoom, 1.6)));
    }
}

/* The token chips (or upright markers and labels), tinted by the query's
 * weight on each token. */
static void
paint_arc_chips (Painter           *p,
                 const AttnArcSpec *spec,
                 const ArcLayout   *l,
                 const float       *weights,
                 int                q)
{
  cairo_t *cr = p->cr;

  for (guint i = 0; i < l->n_tokens; i++)
    {
      double x0 = l->cx[i] - l->half[i], cw = 2 * l->half[i];
      AttnRgba fill, ink;
      gboolean edge;
      gboolean future = q >= 0 && (int) i > q && !l->both_ways;
      g_autofree char *label = NULL;

      if (x0 + cw < l->sx - 2 || x0 > l->sx + l->sw + 2)
        continue;

      if (q >= 0 && !future && weights[(gsize) q * l->n_tokens + i] >= 0)
        fill = attn_colormap_lookup (spec->colormap,
                                     attn_scale_apply (spec->scale, weights[(gsize) q * l->n_tokens + i]));
      else
        fill = _attn_masked_color (p->theme, spec->colormap);
      ink = future ? p->theme->dim : (q >= 0 ? _attn_text_color_on (&fill) : p->theme->foreground);

      /* Chips need an edge where their fill nearly meets the background:
       * low weights on dark (viridis starts near black), blues' near-white
       * on light. */
      edge = p->theme->dark ||
             MAX (fabs (fill.r - p->theme->background.r),
                  MAX (fabs (fill.g - p->theme->background.g), fabs (fill.b - p->theme->background.b))) < 0.12;

      /* Upright: a colour marker over the label (too thin for an edge
       * below 4 px); otherwise a rounded chip holding the label-> */
      if (l->upright)
        {
          double mw = MAX (1.0, MIN (cw * 0.85, l->chip_h));

          cairo_rectangle (cr, l->cx[i] - mw / 2, l->base_y, mw, l->chip_h);
          edge = edge && mw >= 4;
        }
      else
        {
          double r = 3.0 * l->zoom;

          cairo_new_sub_path (cr);
          cairo_arc (cr, x0 + cw - r - 0.5, l->base_y + r + 1, r, -G_PI / 2, 0);
          cairo_arc (cr, x0 + cw - r - 0.5, l->base_y + l->chip_h - r, r, 0, G_PI / 2);
          cairo_arc (cr, x0 + r + 0.5, l->base_y + l->chip_h - r, r, G_PI / 2, G_PI);
          cairo_arc (cr, x0 + r + 0.5, l->base_y + r + 1, r, G_PI, 3 * G_PI / 2);
          cairo_close_path (cr);
        }
      set_source (cr, &fill);
      cairo_fill_preserve (cr);
      if (edge)
        {
          set_source (cr, &p->theme->grid);
          cairo_set_line_width (cr, 1.0);
          cairo_stroke (cr);
        }
      cairo_new_path (cr);

      if ((int) i == q || (int) i == spec->hover_token || ((int) i == spec->key && q >= 0))
        {
          const AttnRgba *color = (int) i == spec->hover_token && (int) i != q ? &p->theme->foreground
                                                                               : &p->theme->accent;
          if (l->upright)
            _attn_outline_rect (cr, p->theme, color, l->cx[i] - l->half[i], l->base_y - 1, cw, l->chip_h + 2, 1.5);
          else
            _attn_outline_rect (cr, p->theme, color, x0 + 0.5, l->base_y + 1, cw - 1, l->chip_h - 1, 2.0);
        }

      label = attn_render_dup_token_label (attn_result_get_token_text (spec->result, i));
      if (!l->upright)
        _attn_painter_text (p, label, l->cx[i], l->base_y + 1 + l->chip_h / 2, &ink,
                            TEXT_STYLE (.halign = 0.5, .valign = 0.5, .bold = (int) i == q,
                                        .size = l->zoom, .max_width = cw - 4 * l->zoom));
      else if (i % l->step == 0 || (int) i == q || (int) i == spec->key)
        {
          /* Thinned labels make room for the selected ones. */
          if ((int) i != q && (int) i != spec->key &&
              ((q >= 0 && ABS ((int) i - q) * 2 * l->half[i] < p->line_h) ||
               (spec->key >= 0 && ABS ((int) i - spec->key) * 2 * l->half[i] < p->line_h)))
            continue;
          _attn_painter_text (p, label, l->cx[i], l->base_y + l->chip_h + round (p->line_h * 0.4),
                              (int) i == q ? &p->theme->accent : &p->theme->foreground,
                              TEXT_STYLE (.halign = 1, .valign = 0.5, .angle = -G_PI / 2,
                                          .bold = (int) i == q, .max_width = l->label_w));
        }
    }
}

/* The line under the title: what the arcs are. */
static char *
arc_dup_caption (const AttnArcSpec *spec,
                 const ArcLayout   *l,
                 int                q)
{
  guint v0, v1;
  gboolean partial;

  arc_visible_tokens (l, &v0, &v1);
  partial = v0 > 0 || v1 < l->n_tokens;

  if (!arc_all_queries (spec, q))
    {
      g_autofree char *label = attn_render_dup_token_label (attn_result_get_token_text (spec->result, q));

      if (l->both_ways)
        /* translators: an encoder's arcs; %s is a token, %d its position */
        return g_strdup_printf (_("Attention from “%s” (token %d): to earlier tokens above, to later tokens "
                                  "below; width and opacity ∝ weight"), label, q);
      /* translators: %s is a token, %d its position */
      return g_strdup_printf (_("Attention from “%s” (token %d) to each earlier token: width and opacity ∝ weight"),
                              label, q);
    }

  if (spec->links == ATTN_ARC_LINKS_TOP_K)
    {
      guint k = MAX (spec->top_k, 1);

      if (l->both_ways)
        /* translators: an encoder's arcs; %u is how many links per token */
        return g_strdup_printf (ngettext ("Each token’s %u strongest link: to earlier tokens above, to later "
                                          "tokens below; width and opacity ∝ weight",
                                          "Each token’s %u strongest links: to earlier tokens above, to later "
                                          "tokens below; width and opacity ∝ weight", k), k);
      if (partial)
        /* translators: the arc view of a text wider than the view; %u is how many links per token */
        return g_strdup_printf (ngettext ("Each token’s %u strongest link, to or from the tokens in view: "
                                          "width and opacity ∝ weight",
                                          "Each token’s %u strongest links, to or from the tokens in view: "
                                          "width and opacity ∝ weight", k), k);
      /* translators: %u is how many links per token */
      return g_strdup_printf (ngettext ("Each token’s %u strongest link: width and opacity ∝ weight",
                                        "Each token’s %u strongest links: width and opacity ∝ weight", k), k);
    }

  if (l->both_ways)
    /* translators: an encoder's arcs; %.2f is the threshold */
    return g_strdup_printf (_("Every link with weight ≥ %.2f: to earlier tokens above, to later tokens below; "
                              "width and opacity ∝ weight"), spec->threshold);
  if (partial)
    /* translators: the arc view of a text wider than the view, without a query */
    return g_strdup_printf (_("Every link with weight ≥ %.2f to or from the tokens in view: "
                              "width and opacity ∝ weight"), spec->threshold);
  return g_strdup_printf (_("Every link with weight ≥ %.2f: width and opacity ∝ weight"), spec->threshold);
}

void
attn_render_arcs (cairo_t           *cr,
                  const AttnArcSpec *spec,
                  double             width,
                  double             height)
{
  const AttnTheme *theme;
  const float *weights;
  g_autoptr(GArray) links = NULL;
  g_autofree float *shown = NULL;
  ArcLayout l;
  Painter p;
  int q = -1;

  g_return_if_fail (cr != NULL);
  g_return_if_fail (spec != NULL);

  theme = _attn_figure_begin (cr, spec->theme, width, height);
  if (!arc_spec_valid (spec))
    {
      cairo_restore (cr);
      return;
    }

  /* Arcs and chips show the weights as the display does (hidden tokens
   * have none); a pinned link's number stays the true weight. */
  shown = _attn_display_weights_dup (spec->result, spec->layer, spec->head, &spec->display);
  weights = shown ? shown : attn_result_get_weights (spec->result, spec->layer, spec->head);
  _attn_painter_init (&p, cr, theme);
  arc_layout (spec, &p, width, height, &l);
  if (spec->query >= 0 && spec->query < (int) l.n_tokens)
    q = spec->query;

  if (spec->show_title)
    {
      g_autofree char *caption = arc_dup_caption (spec, &l, q);

      _attn_paint_title (&p, spec->title, spec->result, spec->layer, spec->head, &spec->display, spec->scale, width, l.margin, l.title_y);
      _attn_painter_text (&p, caption, width / 2, l.title_y + l.title_h, &theme->dim,
                          TEXT_STYLE (.halign = 0.5, .max_width = width - 2 * l.margin));
    }

  links = arc_links_new (spec, &l, weights, q);

  cairo_save (cr);
  cairo_rectangle (cr, l.sx - 2, 0, l.sw + 4, height);
  cairo_clip (cr);
  paint_arc_links (&p, spec, &l, weights, q, links);
  paint_arc_chips (&p, spec, &l, weights, q);
  cairo_restore (cr);

  _attn_paint_colorbar (&p, spec->colormap, spec->scale, &spec->display, l.sx + l.sw, l.cb_w,
                        l.top_y, l.base_y + l.chip_h - l.top_y);

  arc_layout_clear (&l);
  _attn_painter_clear (&p);
  cairo_restore (cr);
}

GArray *
attn_arcs_dup_links (const AttnArcSpec *spec,
                     double             width,
                     double             height)
{
  g_autofree float *shown = NULL;
  const float *weights;
  GArray *links;
  ArcLayout l;
  Painter p;
  int q = -1;

  g_return_val_if_fail (spec != NULL, NULL);

  if (!arc_spec_valid (spec))
    return g_array_new (FALSE, FALSE, sizeof (AttnArcLink));

  /* as attn_render_arcs () picks them */
  shown = _attn_display_weights_dup (spec->result, spec->layer, spec->head, &spec->display);
  weights = shown ? shown : attn_result_get_weights (spec->result, spec->layer, spec->head);
  _attn_painter_init (&p, NULL, spec->theme ? spec->theme : attn_theme_get_default (FALSE));
  arc_layout (spec, &p, width, height, &l);
  if (spec->query >= 0 && spec->query < (int) l.n_tokens)
    q = spec->query;
  links = arc_links_new (spec, &l, weights, q);
  arc_layout_clear (&l);
  _attn_painter_clear (&p);
  return links;
}
