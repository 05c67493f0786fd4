/* attn-export-derived.c
 *
 * Copyright 2026 The Attention authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Δ and rollout figures are computed from the results when drawn: the
 * figure stays a pure function of (result, intact, options), in a worker
 * thread as much as on the main one.
 */

#define G_LOG_DOMAIN "attn-export"

#include "config.h"

#include <math.h>

#include <glib/gi18n.h>

#include "attn-derived.h"
#include "attn-export-derived.h"
#include "attn-pair.h"

/* The Links filter of a sentence pair the figure keeps, as the attention
 * figures do (options->display.pairs); all links without a pair. */
static AttnPairFilter
figure_pairs (AttnResult              *result,
              const AttnFigureOptions *options)
{
  return attn_result_has_pair (result) ? (AttnPairFilter) options->display.pairs : ATTN_PAIR_FILTER_ALL;
}

static void
delta_spec_init (AttnHeatmapSpec         *spec,
                 AttnResult              *result,
                 const AttnFigureOptions *options,
                 guint                    layer,
                 guint                    head)
{
  attn_heatmap_spec_init (spec, result, layer, head);
  spec->query = options->query;
  spec->key = options->query >= 0 ? options->key : -1;
  spec->show_values = options->show_values;
  spec->display.pairs = figure_pairs (result, options);
  spec->theme = attn_theme_get_default (options->dark);
  spec->show_title = options->show_title;
  spec->show_colorbar = options->show_colorbar;
  spec->title = options->title;
}

static void
rollout_spec_from_options (AttnRolloutSpec         *spec,
                           AttnResult              *result,
                           const AttnFigureOptions *options)
{
  attn_rollout_spec_init (spec, result);
  spec->query = options->query;
  spec->colormap = options->colormap;
  spec->scale = options->scale;
  spec->theme = attn_theme_get_default (options->dark);
  spec->show_title = options->show_title;
  spec->show_colorbar = options->show_colorbar;
  spec->show_note = options->show_title;
  spec->title = options->title;
  spec->pairs = figure_pairs (result, options);
}

void
_attn_derived_figure_size (AttnResult              *result,
                           const AttnFigureOptions *options,
                           AttnView                 view,
                           double                  *width,
                           double                  *height)
{
  guint n_tokens = attn_result_get_n_tokens (result);

  if (view == ATTN_VIEW_ROLLOUT)
    {
      AttnRolloutSpec spec;

      rollout_spec_from_options (&spec, result, options);
      attn_rollout_get_natural_size (&spec, width, height);
    }
  else
    {
      AttnHeatmapSpec spec;

      /* as a heatmap figure: roomy cells, never more than 1600 px of them */
      delta_spec_init (&spec, result, options, options->layer, options->head);
      spec.cell_size = MIN (CLAMP (floor (560.0 / n_tokens), 16, 64), 1600.0 / n_tokens);
      attn_heatmap_get_natural_size (&spec, width, height);
    }
}

void
_attn_render_derived_figure (cairo_t                 *cr,
                             AttnResult              *result,
                             const AttnFigureOptions *options,
                             AttnView                 view,
                             guint                    layer,
                             guint                    head,
                             double                   width,
                             double                   height)
{
  guint T = attn_result_get_n_tokens (result);

  if (view == ATTN_VIEW_ROLLOUT)
    {
      AttnRolloutSpec spec;
      g_autofree float *rollout = attn_result_dup_rollout (result, NULL);
      g_autofree char *title = NULL;

      rollout_spec_from_options (&spec, result, options);
      if (spec.title == NULL)
        spec.title = title = attn_result_dup_derived_title (result, view == ATTN_VIEW_ROLLOUT, layer, head, figure_pairs (result, options));
      spec.rollout = rollout;
      spec.row = rollout != NULL && options->query >= 0 ? rollout + (gsize) options->query * T : NULL;
      attn_render_rollout (cr, &spec, width, height);
    }
  else
    {
      AttnHeatmapSpec spec;
      g_autofree float *delta = attn_result_dup_delta (result, options->intact, layer, head, NULL);
      g_autofree char *title = NULL;

      delta_spec_init (&spec, result, options, layer, head);
      if (delta == NULL)
        return;   /* _attn_derived_figure_check () said why */
      spec.matrix = delta;
      spec.limit = attn_delta_limit (delta, (gsize) T * T);
      if (spec.title == NULL)
        spec.title = title = attn_result_dup_derived_title (result, view == ATTN_VIEW_ROLLOUT, layer, head, figure_pairs (result, options));
      attn_render_heatmap (cr, &spec, width, height);
    }
}

gboolean
_attn_derived_figure_check (AttnResult              *result,
                            const AttnFigureOptions *options,
                            GError                 **error)
{
  if (options->view != ATTN_VIEW_DELTA || options->all_heads)
    return TRUE;
  if (options->intact == NULL || !attn_results_same_tokens (result, options->intact))
    {
      g_set_error_literal (error, ATTN_EXPORT_ERROR, ATTN_EXPORT_ERROR_INVALID,
                           _("A difference figure needs the intact model’s run of the same text"));
      return FALSE;
    }
  return TRUE;
}

char *
_attn_derived_figure_dup_title (AttnResult              *result,
                                const AttnFigureOptions *options)
{
  if (options->all_heads)
    return NULL;
  if (options->view == ATTN_VIEW_DELTA || options->view == ATTN_VIEW_ROLLOUT)
    return attn_result_dup_derived_title (result, options->view == ATTN_VIEW_ROLLOUT, options->layer, options->head,
                                          figure_pairs (result, options));
  return NULL;
}
