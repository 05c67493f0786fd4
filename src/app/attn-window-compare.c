/* attn-window-compare.c
 *
 * Copyright 2026 The Attention authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The window's side of "Compare with…" (issue 14): the second text's own
 * pass (AttnCompare, off the main thread), the comparison view, the heads
 * ranked by how much the selected token's attention changes between the
 * two texts (a row opens that head), and the comparison's exports.
 */

#define G_LOG_DOMAIN "attn-window"

#include "config.h"

#include <glib/gi18n.h>

#include "attn-compare-values.h"
#include "attn-window-private.h"

/* How many heads the ranking lists: the rest change less. */
#define MAX_LISTED 24

static GtkWidget *
rank_row_new (AttnWindow            *self,
              AttnResult            *result,
              const AttnCompareRank *rank)
{
  g_autofree char *text = NULL;
  GtkWidget *row = gtk_list_box_row_new ();
  GtkWidget *label;

  if (rank->key >= 0)
    {
      g_autofree char *key = _attn_token_display_name (result, (guint) rank->key);

      /* Translators: a head in the comparison's ranking: layer.head, the share of the token's attention that moved, the key that changed most and by how much */
      text = g_strdup_printf (_("%u.%u · %.2f moved · most on “%s” (%+.2f)"), rank->layer, rank->head,
                              rank->change, key, rank->key_delta);
    }
  else
    text = g_strdup_printf ("%u.%u · %.2f", rank->layer, rank->head, rank->change);
  label = gtk_label_new (text);
  gtk_label_set_xalign (GTK_LABEL (label), 0);
  gtk_label_set_wrap (GTK_LABEL (label), TRUE);
  gtk_widget_set_margin_start (label, 8);
  gtk_widget_set_margin_end (label, 8);
  gtk_widget_set_margin_top (label, 4);
  gtk_widget_set_margin_bottom (label, 4);
  gtk_list_box_row_set_child (GTK_LIST_BOX_ROW (row), label);
  gtk_list_box_row_set_activatable (GTK_LIST_BOX_ROW (row), TRUE);
  g_object_set_data (G_OBJECT (row), "attn-layer", GUINT_TO_POINTER (rank->layer));
  g_object_set_data (G_OBJECT (row), "attn-head", GUINT_TO_POINTER (rank->head));
  return row;
}

static void
update_ranking (AttnWindow *self)
{
  AttnResult *a = attn_document_get_result (self->document);
  AttnResult *b = attn_compare_get_result (self->compare);
  const AttnAlignment *al = attn_compare_get_alignment (self->compare);
  int query = attn_document_get_query (self->document);
  g_autofree char *message = NULL;
  GtkWidget *child;

  while ((child = gtk_widget_get_first_child (GTK_WIDGET (self->compare_rank_list))) != NULL)
    gtk_list_box_remove (self->compare_rank_list, child);
  g_clear_pointer (&self->compare_ranks, g_free);
  self->n_compare_ranks = 0;

  if (al == NULL)
    message = g_strdup (_("Type a second text to rank the heads by how much it changes the selected token’s attention."));
  else if (query < 0)
    message = g_strdup (_("Select a token to rank the heads by how much its attention changes from A to B."));
  else if (al->b_of_a[query] < 0)
    {
      g_autofree char *name = _attn_token_display_name (a, (guint) query);

      /* Translators: the selected token has no counterpart in the second text */
      message = g_strdup_printf (_("“%s” is not in B: select a token both texts have."), name);
    }
  else
    {
      guint first = attn_alignment_first_difference (al);
      g_autofree char *name = _attn_token_display_name (a, (guint) query);

      self->compare_ranks = attn_compare_rank_heads (a, b, al, (guint) query, &self->n_compare_ranks);
      if (!attn_result_is_bidirectional (a) && (guint) query < first)
        {
          g_autofree char *differs = first < al->n_a ? _attn_token_display_name (a, first) : g_strdup ("");

          /* Translators: a left-to-right model's query before the first token that differs; the query, then that token */
          message = g_strdup_printf (_("“%s” comes before the first token that differs (“%s”): a left-to-right "
                                       "model reads it with the same tokens in both texts, so no head changes "
                                       "there. Select a later token."), name, differs);
        }
      else
        /* Translators: the ranking's heading; %s is the selected token */
        message = g_strdup_printf (_("Heads by how much of “%s”’s attention moves from A to B (½ Σ |B − A|):"),
                                   name);
    }
  gtk_label_set_text (self->compare_rank_label, message);

  for (guint i = 0; i < self->n_compare_ranks && i < MAX_LISTED; i++)
    gtk_list_box_append (self->compare_rank_list, rank_row_new (self, a, &self->compare_ranks[i]));
}

static void
update_page (AttnWindow *self)
{
  const AttnAlignment *al = attn_compare_get_alignment (self->compare);
  const char *error = attn_compare_get_error_message (self->compare);
  gboolean busy = attn_compare_get_busy (self->compare);

  gtk_spinner_set_spinning (self->compare_spinner, busy);
  gtk_stack_set_visible_child_name (self->compare_stack, al != NULL ? "view" : "empty");
  if (error != NULL)
    adw_status_page_set_description (self->compare_status, error);
  else
    adw_status_page_set_description (self->compare_status,
                                     _("Type a second text above: the selected head’s attention on both is "
                                       "shown side by side, aligned where the tokens agree, or as the difference."));
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "win.export-compare-values", al != NULL);
  update_ranking (self);
}

static void
entry_changed_cb (AttnWindow *self)
{
  attn_compare_set_text (self->compare, gtk_editable_get_text (GTK_EDITABLE (self->compare_entry)));
}

static void
rank_row_activated_cb (AttnWindow    *self,
                       GtkListBoxRow *row,
                       GtkListBox    *list)
{
  attn_document_set_layer (self->document, GPOINTER_TO_UINT (g_object_get_data (G_OBJECT (row), "attn-layer")));
  attn_document_set_head (self->document, GPOINTER_TO_UINT (g_object_get_data (G_OBJECT (row), "attn-head")));
}

void
_attn_window_compare_fill_figure (AttnWindow        *self,
                                  AttnFigureOptions *options)
{
  if (options->view != ATTN_VIEW_COMPARE)
    return;
  options->compare = attn_compare_get_alignment (self->compare) ? attn_compare_get_result (self->compare) : NULL;
  options->compare_delta = attn_compare_view_get_delta (self->compare_view);
}

/* ------------------------------------------------------------------------ */
/* Export Comparison Values…                                                */

typedef struct
{
  AttnResult *a, *b;
  guint       layer, head;
  int         query;
  char       *path;
} CompareJob;

static void
compare_job_free (gpointer data)
{
  CompareJob *job = data;

  g_clear_pointer (&job->a, attn_result_unref);
  g_clear_pointer (&job->b, attn_result_unref);
  g_free (job->path);
  g_free (job);
}

static void
write_compare_in_thread (GTask        *task,
                         gpointer      source_object,
                         gpointer      task_data,
                         GCancellable *cancellable)
{
  CompareJob *job = task_data;
  GError *error = NULL;

  if (attn_compare_write_values (job->a, job->b, job->layer, job->head, job->query, job->path,
                                 cancellable, &error))
    g_task_return_boolean (task, TRUE);
  else
    g_task_return_error (task, error);
}

void
_attn_window_export_compare_async (AttnWindow          *self,
                                   const char          *path,
                                   GAsyncReadyCallback  callback,
                                   gpointer             user_data)
{
  g_autoptr(GTask) task = g_task_new (self, NULL, callback, user_data);
  AttnResult *a = attn_document_get_result (self->document);
  CompareJob *job;

  if (attn_compare_get_alignment (self->compare) == NULL)
    {
      g_task_return_new_error (task, G_IO_ERROR, G_IO_ERROR_FAILED, "%s",
                               _("There is no second text to compare with"));
      return;
    }
  job = g_new0 (CompareJob, 1);
  job->a = attn_result_ref (a);
  job->b = attn_result_ref (attn_compare_get_result (self->compare));
  job->layer = attn_document_get_layer (self->document);
  job->head = attn_document_get_head (self->document);
  job->query = attn_document_get_query (self->document);
  if (job->query >= 0 && attn_compare_get_alignment (self->compare)->b_of_a[job->query] < 0)
    job->query = -1;
  job->path = g_strdup (path);
  g_task_set_task_data (task, job, compare_job_free);
  g_task_run_in_thread (task, write_compare_in_thread);
}

static void
export_compare_action (GtkWidget  *widget,
                       const char *action_name,
                       GVariant   *parameter)
{
  AttnWindow *self = ATTN_WINDOW (widget);
  g_autofree char *name = g_strdup_printf ("attention-compare-L%u-H%u.json",
                                           attn_document_get_layer (self->document),
                                           attn_document_get_head (self->document));

  _attn_window_save_values (self, _("Export Comparison Values"), name, _attn_window_export_compare_async);
}

/* ------------------------------------------------------------------------ */

void
_attn_window_class_compare_init (GtkWidgetClass *widget_class)
{
  g_type_ensure (ATTN_TYPE_COMPARE_VIEW);

  gtk_widget_class_bind_template_child (widget_class, AttnWindow, compare_entry);
  gtk_widget_class_bind_template_child (widget_class, AttnWindow, compare_spinner);
  gtk_widget_class_bind_template_child (widget_class, AttnWindow, compare_delta_button);
  gtk_widget_class_bind_template_child (widget_class, AttnWindow, compare_stack);
  gtk_widget_class_bind_template_child (widget_class, AttnWindow, compare_status);
  gtk_widget_class_bind_template_child (widget_class, AttnWindow, compare_view);
  gtk_widget_class_bind_template_child (widget_class, AttnWindow, compare_rank_label);
  gtk_widget_class_bind_template_child (widget_class, AttnWindow, compare_rank_list);
  gtk_widget_class_install_action (widget_class, "win.export-compare-values", NULL, export_compare_action);
}

void
_attn_window_compare_init (AttnWindow *self)
{
  self->compare = attn_compare_new (self->document);
  attn_compare_view_set_compare (self->compare_view, self->compare);
  g_signal_connect_object (self->compare, "notify::result", G_CALLBACK (update_page), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (self->compare, "notify::busy", G_CALLBACK (update_page), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (self->document, "notify::result", G_CALLBACK (update_page), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (self->document, "notify::query", G_CALLBACK (update_ranking), self,
                           G_CONNECT_SWAPPED);
  g_signal_connect_object (self->compare_entry, "changed", G_CALLBACK (entry_changed_cb), self,
                           G_CONNECT_SWAPPED);
  g_signal_connect_object (self->compare_rank_list, "row-activated", G_CALLBACK (rank_row_activated_cb),
                           self, G_CONNECT_SWAPPED);
  update_page (self);
}

void
_attn_window_compare_dispose (AttnWindow *self)
{
  if (self->compare != NULL)
    g_signal_handlers_disconnect_by_data (self->compare, self);
  g_clear_object (&self->compare);
  g_clear_pointer (&self->compare_ranks, g_free);
}
