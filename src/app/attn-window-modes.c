/* attn-window-modes.c
 *
 * Copyright 2026 The Attention authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * What the heatmap page shows (issue 14): the head's weights, the
 * difference switching heads off makes (AttnDeltaView) or attention
 * rollout (AttnRolloutView), chosen in the page's "Show" list; and how
 * "Export View" and "Export Values" follow the choice: a Δ or rollout
 * figure, and Δ (with both runs' weights) or rollout as numbers.
 */

#define G_LOG_DOMAIN "attn-window"

#include "config.h"

#include <glib/gi18n.h>

#include "attn-ablation.h"
#include "attn-delta-view.h"
#include "attn-derived.h"
#include "attn-derived-values.h"
#include "attn-next-tokens.h"
#include "attn-predictions.h"
#include "attn-rollout-view.h"
#include "attn-window-private.h"

static const char *const mode_pages[] = { "weights", "delta", "rollout" };

static void
mode_selected_cb (AttnWindow *self)
{
  guint mode = gtk_drop_down_get_selected (self->heatmap_mode);

  if (mode < G_N_ELEMENTS (mode_pages))
    gtk_stack_set_visible_child_name (self->heatmap_mode_stack, mode_pages[mode]);
}

void
_attn_window_class_modes_init (GtkWidgetClass *widget_class)
{
  g_type_ensure (ATTN_TYPE_DELTA_VIEW);
  g_type_ensure (ATTN_TYPE_ROLLOUT_VIEW);
  g_type_ensure (ATTN_TYPE_NEXT_TOKENS);   /* beside the token strip */
  gtk_widget_class_bind_template_child (widget_class, AttnWindow, heatmap_mode);
  gtk_widget_class_bind_template_child (widget_class, AttnWindow, heatmap_mode_stack);
  gtk_widget_class_bind_template_child (widget_class, AttnWindow, delta_view);
  gtk_widget_class_bind_template_child (widget_class, AttnWindow, rollout_view);
  gtk_widget_class_bind_template_child (widget_class, AttnWindow, rollout_note);
}

void
_attn_window_modes_init (AttnWindow *self)
{
  gtk_label_set_text (self->rollout_note, attn_rollout_note (FALSE));
  /* rollout is coloured as the weights are */
  g_object_bind_property (self->heatmap, "colormap", self->rollout_view, "colormap", G_BINDING_SYNC_CREATE);
  g_object_bind_property (self->heatmap, "scale", self->rollout_view, "scale", G_BINDING_SYNC_CREATE);
  g_signal_connect_object (self->heatmap_mode, "notify::selected", G_CALLBACK (mode_selected_cb), self,
                           G_CONNECT_SWAPPED);
  mode_selected_cb (self);
}

AttnHeatmapMode
_attn_window_get_heatmap_mode (AttnWindow *self)
{
  return (AttnHeatmapMode) MIN (gtk_drop_down_get_selected (self->heatmap_mode), ATTN_HEATMAP_MODE_ROLLOUT);
}

void
_attn_window_set_heatmap_mode (AttnWindow      *self,
                               AttnHeatmapMode  mode)
{
  gtk_drop_down_set_selected (self->heatmap_mode, mode);
}

/* The mode that exports follow: the heatmap page's, when it is shown. */
static AttnHeatmapMode
export_mode (AttnWindow *self)
{
  if (g_strcmp0 (adw_view_stack_get_visible_child_name (self->view_stack), "heatmap") != 0)
    return ATTN_HEATMAP_MODE_WEIGHTS;
  return _attn_window_get_heatmap_mode (self);
}

static gboolean
intact_ready (AttnWindow  *self,
              GError     **error)
{
  if (attn_delta_view_get_intact (self->delta_view) == NULL)
    {
      g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_NOT_INITIALIZED,
                           attn_document_get_ablation (self->document) == NULL
                             ? _("No heads are switched off: there is no difference to export")
                             : _("The intact model’s run is not ready yet: try again in a moment"));
      return FALSE;
    }
  return TRUE;
}

gboolean
_attn_window_modes_figure (AttnWindow         *self,
                           AttnFigureOptions  *options,
                           GError            **error)
{
  switch (export_mode (self))
    {
    case ATTN_HEATMAP_MODE_DELTA:
      if (!intact_ready (self, error))
        return FALSE;
      options->view = ATTN_VIEW_DELTA;
      options->intact = attn_delta_view_get_intact (self->delta_view);
      return TRUE;
    case ATTN_HEATMAP_MODE_ROLLOUT:
      options->view = ATTN_VIEW_ROLLOUT;
      return TRUE;
    case ATTN_HEATMAP_MODE_WEIGHTS:
    default:
      return TRUE;
    }
}

gboolean
_attn_window_modes_has_values (AttnWindow *self)
{
  return export_mode (self) != ATTN_HEATMAP_MODE_WEIGHTS;
}

/* What "Export Values" writes in Δ or rollout mode: the matrices (their
 * storage in @owned) and what they are, as JSON members
 * (attn-derived-values.h, as attention-cli export writes them). */
static json_t *
values_of (AttnWindow      *self,
           AttnNamedMatrix  matrices[ATTN_DERIVED_MAX_MATRICES],
           gsize           *n_matrices,
           GPtrArray       *owned,
           GError         **error)
{
  /* what the views show (words while merged), as the attention exports */
  AttnResult *result = attn_document_get_view_result (self->document);
  gboolean delta = export_mode (self) == ATTN_HEATMAP_MODE_DELTA;

  if (result == NULL)
    {
      g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_FAILED, _("There are no attention weights to export yet"));
      return NULL;
    }
  if (delta && !intact_ready (self, error))
    return NULL;
  return attn_derived_values_collect (result, delta ? attn_delta_view_get_intact (self->delta_view) : NULL,
                                      delta ? ATTN_VIEW_DELTA : ATTN_VIEW_ROLLOUT,
                                      attn_document_get_layer (self->document),
                                      attn_document_get_head (self->document),
                                      attn_document_get_query (self->document),
                                      matrices, n_matrices, owned, error);
}

static AttnValuesFormat
format_of (const char *path)
{
  AttnValuesFormat format;

  return attn_values_format_from_path (path, &format) ? format : ATTN_VALUES_CSV;
}

gboolean
_attn_window_modes_write_values (AttnWindow  *self,
                                 const char  *path,
                                 GError     **error)
{
  g_autoptr(GPtrArray) owned = g_ptr_array_new_with_free_func (g_free);
  AttnNamedMatrix matrices[ATTN_DERIVED_MAX_MATRICES];
  gsize n = 0;
  json_t *extra = values_of (self, matrices, &n, owned, error);
  AttnResult *result = attn_document_get_view_result (self->document);
  gboolean ok;

  if (extra == NULL)
    return FALSE;
  ok = attn_matrix_values_write_file (result, matrices, n, _attn_window_get_pair_filter (self, result),
                                      extra, format_of (path), path, NULL, error);
  json_decref (extra);
  return ok;
}

gboolean
_attn_window_modes_write_values_async (AttnWindow          *self,
                                       const char          *path,
                                       GAsyncReadyCallback  callback,
                                       gpointer             user_data,
                                       GError             **error)
{
  g_autoptr(GPtrArray) owned = g_ptr_array_new_with_free_func (g_free);
  AttnNamedMatrix matrices[ATTN_DERIVED_MAX_MATRICES];
  gsize n = 0;
  json_t *extra = values_of (self, matrices, &n, owned, error);
  AttnResult *result = attn_document_get_view_result (self->document);

  if (extra == NULL)
    return FALSE;
  attn_matrix_values_write_file_async (result, matrices, n, _attn_window_get_pair_filter (self, result),
                                       extra, format_of (path), path, NULL, callback, user_data);
  json_decref (extra);
  return TRUE;
}
