/* attn-window-detectors.c
 *
 * Copyright 2026 The Attention authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The window's side of the head detectors (issue 14): one AttnDetectors
 * scores every head of each new result off the main thread; the All Heads
 * page's chooser picks the score drawn over the grid, its table lists
 * every head by every score (a row opens that head), the head description
 * reads the same scores, and Export Head Scores writes the table.
 */

#define G_LOG_DOMAIN "attn-window"

#include "config.h"

#include <glib/gi18n.h>

#include "attn-window-private.h"

/* The chooser's first entry is "None"; the rest are the detectors in order. */
static int
chosen_detector (AttnWindow *self)
{
  guint selected = gtk_drop_down_get_selected (self->score_dropdown);

  return selected == GTK_INVALID_LIST_POSITION || selected == 0 ? -1 : (int) selected - 1;
}

static void
update_overlay (AttnWindow *self)
{
  AttnHeadScores *scores = attn_detectors_get_scores (self->detectors);
  int detector = chosen_detector (self);
  AttnScoreSource source = gtk_drop_down_get_selected (self->score_source_dropdown) == 1
                           ? ATTN_SCORE_PROBE : ATTN_SCORE_SENTENCE;

  /* Induction on a text where no token occurs twice has no score at all:
   * the probe, which repeats itself, is the one that can tell. */
  if (detector == ATTN_DETECTOR_INDUCTION && source == ATTN_SCORE_SENTENCE && scores != NULL &&
      attn_head_scores_has_probe (scores) &&
      attn_head_scores_get_n_repeated (scores, ATTN_SCORE_SENTENCE) == 0)
    {
      gtk_drop_down_set_selected (self->score_source_dropdown, 1);
      return;   /* notify::selected comes back here */
    }
  gtk_widget_set_sensitive (GTK_WIDGET (self->score_source_dropdown), detector >= 0);
  attn_head_grid_set_scores (self->head_grid, scores, detector, source);
}

static void
scores_changed_cb (AttnWindow *self)
{
  AttnHeadScores *scores = attn_detectors_get_scores (self->detectors);

  attn_detector_table_set_scores (self->detector_table, scores);
  attn_head_description_set_scores (self->head_description, scores);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "win.export-scores", scores != NULL);
  update_overlay (self);
}

static void
busy_changed_cb (AttnWindow *self)
{
  gboolean busy = attn_detectors_get_busy (self->detectors);

  gtk_spinner_set_spinning (self->detector_spinner, busy);
  gtk_widget_set_visible (GTK_WIDGET (self->detector_spinner), busy);
}

static void
table_head_activated_cb (AttnWindow        *self,
                         guint              layer,
                         guint              head,
                         AttnDetectorTable *table)
{
  /* As a click in the grid does: that head, in the view the user came from. */
  attn_document_set_layer (self->document, layer);
  attn_document_set_head (self->document, head);
  adw_view_stack_set_visible_child_name (self->view_stack, self->main_view);
}

/* ------------------------------------------------------------------------ */
/* Export Head Scores…                                                      */

static void
write_scores_in_thread (GTask        *task,
                        gpointer      source_object,
                        gpointer      task_data,
                        GCancellable *cancellable)
{
  AttnHeadScores *scores = task_data;
  const char *path = g_object_get_data (G_OBJECT (task), "attn-path");
  GError *error = NULL;

  if (attn_head_scores_write_file (scores, path, cancellable, &error))
    g_task_return_boolean (task, TRUE);
  else
    g_task_return_error (task, error);
}

void
_attn_window_export_scores_async (AttnWindow          *self,
                                  const char          *path,
                                  GAsyncReadyCallback  callback,
                                  gpointer             user_data)
{
  AttnHeadScores *scores = attn_detectors_get_scores (self->detectors);
  g_autoptr(GTask) task = g_task_new (self, NULL, callback, user_data);

  if (scores == NULL)
    {
      g_task_return_new_error (task, G_IO_ERROR, G_IO_ERROR_FAILED, "%s",
                               _("The heads have not been scored yet"));
      return;
    }
  g_task_set_task_data (task, attn_head_scores_ref (scores), (GDestroyNotify) attn_head_scores_unref);
  g_object_set_data_full (G_OBJECT (task), "attn-path", g_strdup (path), g_free);
  g_task_run_in_thread (task, write_scores_in_thread);
}

static void
export_scores_action (GtkWidget  *widget,
                      const char *action_name,
                      GVariant   *parameter)
{
  _attn_window_save_values (ATTN_WINDOW (widget), _("Export Head Scores"), "attention-head-scores.csv",
                            _attn_window_export_scores_async);
}

/* ------------------------------------------------------------------------ */

void
_attn_window_class_detectors_init (GtkWidgetClass *widget_class)
{
  g_type_ensure (ATTN_TYPE_DETECTOR_TABLE);

  gtk_widget_class_bind_template_child (widget_class, AttnWindow, detector_bar);
  gtk_widget_class_bind_template_child (widget_class, AttnWindow, score_dropdown);
  gtk_widget_class_bind_template_child (widget_class, AttnWindow, score_source_dropdown);
  gtk_widget_class_bind_template_child (widget_class, AttnWindow, detector_spinner);
  gtk_widget_class_bind_template_child (widget_class, AttnWindow, heads_stack);
  gtk_widget_class_bind_template_child (widget_class, AttnWindow, detector_table);
  gtk_widget_class_install_action (widget_class, "win.export-scores", NULL, export_scores_action);
}

void
_attn_window_detectors_init (AttnWindow *self)
{
  self->detectors = attn_detectors_new (self->document);
  g_signal_connect_object (self->detectors, "notify::scores",
                           G_CALLBACK (scores_changed_cb), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (self->detectors, "notify::busy",
                           G_CALLBACK (busy_changed_cb), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (self->score_dropdown, "notify::selected",
                           G_CALLBACK (update_overlay), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (self->score_source_dropdown, "notify::selected",
                           G_CALLBACK (update_overlay), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (self->detector_table, "head-activated",
                           G_CALLBACK (table_head_activated_cb), self, G_CONNECT_SWAPPED);
  scores_changed_cb (self);
  busy_changed_cb (self);
}

void
_attn_window_detectors_dispose (AttnWindow *self)
{
  if (self->detectors != NULL)
    g_signal_handlers_disconnect_by_data (self->detectors, self);
  g_clear_object (&self->detectors);
  g_object_set_data (G_OBJECT (self), "attn-values-chooser", NULL);
}

void
_attn_window_detectors_fill_figure (AttnWindow        *self,
                                    AttnFigureOptions *options)
{
  int detector = chosen_detector (self);
  AttnScoreSource source = gtk_drop_down_get_selected (self->score_source_dropdown) == 1
                           ? ATTN_SCORE_PROBE : ATTN_SCORE_SENTENCE;
  const double *scores = attn_head_grid_get_drawn_scores (self->head_grid);
  char *label;

  /* The grid exports with the overlay it shows. */
  if (options->view != ATTN_VIEW_GRID || scores == NULL || detector < 0)
    return;
  label = attn_detector_dup_label ((AttnDetector) detector, source);
  /* Kept by the window until the next export: the options borrow it. */
  g_object_set_data_full (G_OBJECT (self), "attn-scores-label", label, g_free);
  options->scores = scores;
  options->scores_label = label;
}
