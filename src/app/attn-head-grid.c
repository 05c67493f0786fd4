/* attn-head-grid.c
 *
 * Copyright 2026 The Attention authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "attn-head-grid"

#include "config.h"

#include <glib/gi18n.h>
#include <math.h>

#include "attn-head-description.h"
#include "attn-head-grid.h"
#include "attn-head-grid-ablation.h"
#include "attn-ablation.h"
#include "attn-predictions.h"

/* Thumbnails never shrink below this; the grid scrolls instead. */
#define MIN_THUMB 56.0

/* The hover of the base class is the pointer's head, or the keyboard
 * cursor's; hover_row is the query row under the pointer in that head's
 * thumbnail (-1 none), outlined in every thumbnail and named in the
 * tooltip. */
struct _AttnHeadGrid
{
  AttnAttentionView parent_instance;

  int               hover_row;

  /* The head detectors' overlay (attn-render-scores.c): none when
   * scores is NULL or detector < 0. */
  AttnHeadScores   *scores;
  int               detector;
  AttnScoreSource   score_source;
  char             *score_label;
};

G_DEFINE_FINAL_TYPE (AttnHeadGrid, attn_head_grid, ATTN_TYPE_ATTENTION_VIEW)

/* The thumbnail edge that fits the view, or MIN_THUMB when that is too
 * small to read; natural size is linear in the thumbnail size. */
static double
thumb_size (AttnHeadGrid *self,
            AttnGridSpec *spec)
{
  double w1, h1, w2, h2, a, b;
  int width = gtk_widget_get_width (GTK_WIDGET (self));
  int height = gtk_widget_get_height (GTK_WIDGET (self));

  spec->thumb_size = 50;
  attn_grid_get_natural_size (spec, &w1, &h1);
  spec->thumb_size = 100;
  attn_grid_get_natural_size (spec, &w2, &h2);
  spec->thumb_size = 0;

  a = (w2 - w1) / 50.0;
  b = (h2 - h1) / 50.0;
  if (a <= 0 || b <= 0 || width <= 0 || height <= 0)
    return MIN_THUMB;

  return MAX (MIN_THUMB, MIN ((width - (w1 - 50 * a)) / a, (height - (h1 - 50 * b)) / b));
}

static gboolean
fill_spec (AttnHeadGrid *self,
           AttnGridSpec *spec)
{
  AttnAttentionView *view = ATTN_ATTENTION_VIEW (self);
  AttnDocument *document = attn_attention_view_get_document (view);
  AttnResult *result = _attn_attention_view_get_result (view);
  double scroll_x;

  if (result == NULL)
    return FALSE;

  attn_grid_spec_init (spec, result);
  spec->layer = attn_document_get_layer (document);
  spec->head = attn_document_get_head (document);
  _attn_attention_view_get_hover (view, &spec->hover_layer, &spec->hover_head);
  spec->hover_row = spec->hover_layer >= 0 ? self->hover_row : -1;
  spec->query = attn_document_get_view_query (document);
  spec->colormap = attn_attention_view_get_colormap (view);
  spec->scale = attn_attention_view_get_scale (view);
  spec->display = *attn_attention_view_get_display (view);
  spec->theme = _attn_attention_view_get_theme (view);
  /* The renderer keeps label widths and thumbnails here between frames. */
  spec->cache = _attn_attention_view_get_cache (view);
  spec->thumb_size = thumb_size (self, spec);
  spec->scores = attn_head_grid_get_drawn_scores (self);
  spec->scores_label = spec->scores ? self->score_label : NULL;
  _attn_attention_view_get_scroll (view, &scroll_x, &spec->scroll_y);

  return TRUE;
}

static void
attn_head_grid_get_content_size (AttnAttentionView *view,
                                 AttnResult        *result,
                                 double            *width,
                                 double            *height)
{
  AttnGridSpec spec;
  double natural_width;

  /* Rows of layers scroll vertically; heads always fit the width. */
  if (fill_spec (ATTN_HEAD_GRID (view), &spec))
    attn_grid_get_natural_size (&spec, &natural_width, height);
}

static void
attn_head_grid_render (AttnAttentionView *view,
                       cairo_t           *cr,
                       AttnResult        *result,
                       double             width,
                       double             height,
                       double             scroll_x,
                       double             scroll_y)
{
  AttnGridSpec spec;

  if (fill_spec (ATTN_HEAD_GRID (view), &spec))
    attn_render_grid (cr, &spec, width, height);
}

static char *
attn_head_grid_describe (AttnAttentionView *view,
                         AttnResult        *result)
{
  AttnDocument *document = attn_attention_view_get_document (view);
  g_autofree char *selected = NULL;
  g_autofree char *off = NULL;

  selected = _attn_head_dup_summary (result,
                                     attn_document_get_layer (document),
                                     attn_document_get_head (document),
                                     NULL, NULL);

  off = attn_result_dup_ablation_label (result);
  /* Translators: accessible description of the all-heads grid; the last %s says which heads are off */
  return g_strdup_printf (_("%u layers × %u heads. Selected: %s. "
                            "Arrow keys move between heads, Enter selects one, X switches it off or on. %s"),
                          attn_result_get_n_layers (result), attn_result_get_n_heads (result),
                          selected ? selected : "", off ? off : "");
}

static gboolean
attn_head_grid_hit_test (AttnAttentionView *view,
                         double             x,
                         double             y,
                         int               *layer,
                         int               *head)
{
  AttnHeadGrid *self = ATTN_HEAD_GRID (view);
  AttnGridSpec spec;
  int row;
  gboolean hit;

  if (!fill_spec (self, &spec))
    return FALSE;

  /* Every pointer position passes here (motion, click, tooltip), so the
   * row under it is kept for drawing and the tooltip. */
  hit = attn_grid_hit_test_row (&spec,
                                gtk_widget_get_width (GTK_WIDGET (view)),
                                gtk_widget_get_height (GTK_WIDGET (view)),
                                x, y, layer, head, &row);
  if (row != self->hover_row)
    {
      self->hover_row = row;
      gtk_widget_queue_draw (GTK_WIDGET (view));
    }
  return hit;
}

static char *
attn_head_grid_dup_tooltip (AttnAttentionView *view,
                            AttnResult        *result,
                            int                layer,
                            int                head)
{
  AttnHeadGrid *self = ATTN_HEAD_GRID (view);
  g_autofree char *summary = _attn_head_dup_summary (result, layer, head, NULL, NULL);
  guint T = attn_result_get_n_tokens (result);
  g_autofree float *w = NULL;
  guint top = 0;
  g_autofree char *query = NULL;
  g_autofree char *key = NULL;
  AttnAblationKind kind;
  const double *drawn = attn_head_grid_get_drawn_scores (self);

  /* The overlay's number for this head, under its description. */
  if (drawn != NULL)
    {
      double score = drawn[layer * attn_result_get_n_heads (result) + head];
      char *with = isnan (score)
        /* Translators: tooltip line of a head detector's score that does not exist: "Induction on this text: none" */
        ? g_strdup_printf (_("%s\n%s: none (no token occurs twice)"), summary ? summary : "", self->score_label)
        : g_strdup_printf ("%s\n%s: %.3f", summary ? summary : "", self->score_label, score);

      g_free (summary);
      summary = with;
    }

  /* a head switched off says so first: its weights still show, its output is gone */
  if (attn_result_head_is_off (result, layer, head, &kind))
    {
      char *off = g_strdup_printf (kind == ATTN_ABLATION_MEAN
                                     /* Translators: tooltip line of a switched-off head in the all-heads grid */
                                     ? _("Switched off (mean ablation): its output is replaced by its mean. Ctrl+click switches it back on.\n%s")
                                     /* Translators: tooltip line of a switched-off head in the all-heads grid */
                                     : _("Switched off (zero ablation): its output is replaced by zeros. Ctrl+click switches it back on.\n%s"),
                                   summary ? summary : "");
      g_free (summary);
      summary = off;
    }

  if (self->hover_row < 0 || (guint) self->hover_row >= T)
    return g_steal_pointer (&summary);
  /* The row under the pointer alone: the whole head, in a linear trace,
   * would be computed and kept for as long as the result lives. */
  w = g_new (float, T);
  if (!attn_result_get_head_rows (result, layer, head, self->hover_row, self->hover_row + 1, w, NULL))
    return g_steal_pointer (&summary);

  /* Whose attention the row is, and where most of it goes. */
  for (guint k = 1; k <= (guint) self->hover_row; k++)
    if (w[k] > w[top])
      top = k;
  query = _attn_token_display_name (result, self->hover_row);
  key = _attn_token_display_name (result, top);
  /* Translators: tooltip line for one row of an all-heads thumbnail: row, query token, its strongest key, weight */
  return g_strdup_printf (_("%s\nRow %d, “%s”: most attention to “%s” (%.3f)"),
                          summary ? summary : "", self->hover_row, query, key, w[top]);
}

static void
attn_head_grid_finalize (GObject *object)
{
  AttnHeadGrid *self = ATTN_HEAD_GRID (object);

  g_clear_pointer (&self->scores, attn_head_scores_unref);
  g_free (self->score_label);
  G_OBJECT_CLASS (attn_head_grid_parent_class)->finalize (object);
}

static void
attn_head_grid_size_allocate (GtkWidget *widget,
                              int        width,
                              int        height,
                              int        baseline)
{
  GTK_WIDGET_CLASS (attn_head_grid_parent_class)->size_allocate (widget, width, height, baseline);
  _attn_head_grid_ablation_allocate (ATTN_HEAD_GRID (widget));
}

static void
attn_head_grid_dispose (GObject *object)
{
  _attn_head_grid_ablation_dispose (ATTN_HEAD_GRID (object));
  G_OBJECT_CLASS (attn_head_grid_parent_class)->dispose (object);
}

static void
attn_head_grid_class_init (AttnHeadGridClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);
  AttnAttentionViewClass *view_class = ATTN_ATTENTION_VIEW_CLASS (klass);

  object_class->finalize = attn_head_grid_finalize;

  object_class->dispose = attn_head_grid_dispose;
  widget_class->size_allocate = attn_head_grid_size_allocate;
  view_class->get_content_size = attn_head_grid_get_content_size;
  view_class->render = attn_head_grid_render;
  view_class->describe = attn_head_grid_describe;
  view_class->hit_test = attn_head_grid_hit_test;
  view_class->dup_tooltip = attn_head_grid_dup_tooltip;
  view_class->activates_heads = TRUE;

  gtk_widget_class_set_css_name (widget_class, "attnheadgrid");
  gtk_widget_class_set_accessible_role (widget_class, GTK_ACCESSIBLE_ROLE_IMG);
}

static void
attn_head_grid_init (AttnHeadGrid *self)
{
  self->hover_row = -1;
  self->detector = -1;
  /* right click, Ctrl+click and X switch heads off (issue 14) */
  _attn_head_grid_ablation_init (self);
  gtk_accessible_update_property (GTK_ACCESSIBLE (self),
                                  GTK_ACCESSIBLE_PROPERTY_LABEL, _("All attention heads"),
                                  -1);
}

GtkWidget *
attn_head_grid_new (void)
{
  return g_object_new (ATTN_TYPE_HEAD_GRID, NULL);
}

void
attn_head_grid_set_scores (AttnHeadGrid    *self,
                           AttnHeadScores  *scores,
                           int              detector,
                           AttnScoreSource  source)
{
  g_return_if_fail (ATTN_IS_HEAD_GRID (self));

  if (scores != NULL)
    attn_head_scores_ref (scores);
  g_clear_pointer (&self->scores, attn_head_scores_unref);
  self->scores = scores;
  self->detector = detector >= 0 && detector < ATTN_DETECTOR_COUNT ? detector : -1;
  self->score_source = source;
  g_clear_pointer (&self->score_label, g_free);
  if (self->detector >= 0)
    self->score_label = attn_detector_dup_label ((AttnDetector) self->detector, source);
  _attn_attention_view_redraw (ATTN_ATTENTION_VIEW (self));
}

const double *
attn_head_grid_get_drawn_scores (AttnHeadGrid *self)
{
  AttnResult *result;

  g_return_val_if_fail (ATTN_IS_HEAD_GRID (self), NULL);

  result = _attn_attention_view_get_result (ATTN_ATTENTION_VIEW (self));
  if (self->scores == NULL || self->detector < 0 || result == NULL ||
      attn_head_scores_get_result (self->scores) != result ||
      (self->score_source == ATTN_SCORE_PROBE && !attn_head_scores_has_probe (self->scores)))
    return NULL;
  return attn_head_scores_get_all (self->scores, self->score_source, (AttnDetector) self->detector);
}
