/* attn-download-dialog.c
 *
 * Copyright 2026 The Attention authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "attn-download-dialog"

#include "config.h"

#include <glib/gi18n.h>

#include "attn-download-dialog.h"
#include "attn-hub-cache.h"
#include "attn-hub-download.h"

/* Models the engine is known to run, with what makes each worth a look.
 * Sizes are model.safetensors' on the Hub (the tokenizer adds ~2 MB). */
static const struct
{
  const char *repo_id;
  const char *name;
  const char *params;
  const char *size;
  const char *why;
} known_models[] = {
  { "openai-community/gpt2", N_("GPT-2 small"), N_("124 M parameters"), N_("548 MB"),
    N_("The model most attention research dissects: induction heads, name movers, “it” finding “animal”.") },
  { "distilbert/distilgpt2", N_("DistilGPT2"), N_("82 M parameters"), N_("353 MB"),
    N_("GPT-2 distilled to 6 layers: similar heads at half the depth, and the quickest download.") },
  { "openai-community/gpt2-medium", N_("GPT-2 medium"), N_("355 M parameters"), N_("1.5 GB"),
    N_("24 layers of 16 heads: more, and more specialised, heads to browse.") },
  { "distilbert/distilbert-base-uncased", N_("DistilBERT"), N_("66 M parameters"), N_("268 MB"),
    N_("A bidirectional encoder: every token sees the whole sentence, so “it” can read the words after it.") },
};

struct _AttnDownloadDialog
{
  AdwWindow             parent_instance;

  /* Template widgets */
  GtkStack             *stack;
  AdwPreferencesGroup  *known_group;
  AdwEntryRow          *repo_entry;
  GtkLabel             *cache_label;
  GtkLabel             *progress_title;
  GtkProgressBar       *total_bar;
  GtkLabel             *total_label;
  GtkListBox           *file_list;
  GtkLabel             *error_label;
  GtkButton            *back_button;
  GtkButton            *retry_button;
  GtkButton            *cancel_button;

  /* State */
  AttnHubClient        *client;
  AttnHubDownload      *download;     /* owned while one runs or failed */
  GCancellable         *cancellable;
  GPtrArray            *rows;         /* per file: its GtkBox row, borrowed */
  char                 *repo_id;
  const char           *state;
  char                 *error;
};

G_DEFINE_FINAL_TYPE (AttnDownloadDialog, attn_download_dialog, ADW_TYPE_WINDOW)

enum { DOWNLOADED, N_SIGNALS };
static guint signals [N_SIGNALS];

static void
set_state (AttnDownloadDialog *self,
           const char         *state)
{
  gboolean running = g_str_equal (state, "running");
  gboolean failed = g_str_equal (state, "failed");

  self->state = state;
  gtk_stack_set_visible_child_name (self->stack, g_str_equal (state, "choose") ? "choose" : "progress");
  gtk_widget_set_visible (GTK_WIDGET (self->cancel_button), running);
  gtk_widget_set_visible (GTK_WIDGET (self->retry_button), failed);
  gtk_widget_set_visible (GTK_WIDGET (self->back_button), failed);
  gtk_widget_set_visible (GTK_WIDGET (self->error_label), failed);
}

/* "120 MB of 548 MB · 12.1 MB/s · 35 s left" */
static char *
progress_text (guint64 received,
               guint64 size,
               double  rate,
               double  seconds_left,
               gboolean done)
{
  g_autofree char *got = attn_hub_format_bytes (received);
  g_autofree char *total = attn_hub_format_bytes (size);
  g_autofree char *speed = NULL;
  g_autofree char *left = NULL;

  if (done)
    /* Translators: a finished file: its size */
    return g_strdup_printf (_("%s — done"), total);
  if (rate <= 0)
    /* Translators: bytes so far of the total, before a rate is known */
    return g_strdup_printf (_("%s of %s"), got, total);
  speed = attn_hub_format_bytes ((guint64) rate);
  left = attn_hub_format_seconds (seconds_left);
  /* Translators: bytes so far, total, rate per second, time left */
  return g_strdup_printf (_("%s of %s · %s/s · %s left"), got, total, speed, left);
}

static void
add_file_row (AttnDownloadDialog *self,
              const char         *name)
{
  GtkWidget *box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 4);
  GtkWidget *top = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 12);
  GtkWidget *title = gtk_label_new (name);
  GtkWidget *detail = gtk_label_new (NULL);
  GtkWidget *bar = gtk_progress_bar_new ();

  gtk_widget_set_margin_top (box, 10);
  gtk_widget_set_margin_bottom (box, 10);
  gtk_widget_set_margin_start (box, 12);
  gtk_widget_set_margin_end (box, 12);
  gtk_label_set_xalign (GTK_LABEL (title), 0);
  gtk_label_set_ellipsize (GTK_LABEL (title), PANGO_ELLIPSIZE_MIDDLE);
  gtk_widget_set_hexpand (title, TRUE);
  gtk_label_set_xalign (GTK_LABEL (detail), 1);
  gtk_widget_add_css_class (detail, "dim-label");
  gtk_widget_add_css_class (detail, "numeric");
  gtk_box_append (GTK_BOX (top), title);
  gtk_box_append (GTK_BOX (top), detail);
  gtk_box_append (GTK_BOX (box), top);
  gtk_box_append (GTK_BOX (box), bar);
  g_object_set_data (G_OBJECT (box), "detail", detail);
  g_object_set_data (G_OBJECT (box), "bar", bar);

  gtk_list_box_append (self->file_list, box);
  g_ptr_array_add (self->rows, box);
}

static void
download_changed_cb (AttnDownloadDialog *self,
                     AttnHubDownload    *download)
{
  guint n_files = attn_hub_download_get_n_files (download);
  guint64 size = attn_hub_download_get_size (download);
  guint64 received = attn_hub_download_get_received (download);
  double rate = attn_hub_download_get_rate (download);
  g_autofree char *total = NULL;

  while (self->rows->len < n_files)
    add_file_row (self, attn_hub_download_get_file_name (download, self->rows->len));

  for (guint i = 0; i < n_files; i++)
    {
      GtkWidget *row = g_ptr_array_index (self->rows, i);
      guint64 file_size = attn_hub_download_get_file_size (download, i);
      guint64 file_received = attn_hub_download_get_file_received (download, i);
      gboolean done = file_size > 0 && file_received == file_size &&
                      attn_hub_download_get_current_file (download) != (int) i;
      g_autofree char *text = NULL;

      if (file_size == 0 && !done)
        text = g_strdup ("…");
      else
        text = progress_text (file_received, file_size,
                              attn_hub_download_get_current_file (download) == (int) i ? rate : 0,
                              attn_hub_download_get_file_seconds_left (download, i), done);
      gtk_label_set_text (g_object_get_data (G_OBJECT (row), "detail"), text);
      gtk_progress_bar_set_fraction (g_object_get_data (G_OBJECT (row), "bar"),
                                     file_size ? (double) file_received / file_size : 0);
    }

  if (attn_hub_download_get_state (download) == ATTN_HUB_DOWNLOAD_RESOLVING)
    total = g_strdup (_("Asking the Hub which files to fetch…"));
  else if (attn_hub_download_get_state (download) == ATTN_HUB_DOWNLOAD_WAITING)
    total = g_strdup (_("Waiting for another download of the same file to finish…"));
  else
    total = progress_text (received, size, rate, attn_hub_download_get_seconds_left (download), FALSE);
  gtk_label_set_text (self->total_label, total);
  gtk_progress_bar_set_fraction (self->total_bar, size ? (double) received / size : 0);
}

static void
download_done_cb (GObject      *source,
                  GAsyncResult *result,
                  gpointer      user_data)
{
  g_autoptr(AttnDownloadDialog) self = user_data;
  g_autoptr(GError) error = NULL;
  g_autofree char *snapshot = NULL;

  snapshot = attn_hub_download_run_finish (ATTN_HUB_DOWNLOAD (source), result, &error);
  g_clear_object (&self->cancellable);

  if (snapshot == NULL)
    {
      g_free (self->error);
      self->error = g_strdup (error->message);
      gtk_label_set_text (self->error_label, error->message);
      if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        gtk_label_set_text (self->total_label, _("Cancelled. What was downloaded is kept; trying again resumes it."));
      set_state (self, "failed");
      return;
    }

  set_state (self, "done");
  download_changed_cb (self, ATTN_HUB_DOWNLOAD (source));
  g_signal_emit (self, signals [DOWNLOADED], 0, self->repo_id);
  gtk_window_close (GTK_WINDOW (self));
}

void
attn_download_dialog_start (AttnDownloadDialog *self,
                            const char         *repo_id)
{
  g_autofree char *title = NULL;

  g_return_if_fail (ATTN_IS_DOWNLOAD_DIALOG (self));

  if (self->cancellable != NULL)
    return;

  g_free (self->repo_id);
  self->repo_id = g_strstrip (g_strdup (repo_id));
  g_clear_pointer (&self->error, g_free);

  /* A fresh list of rows for this download. */
  for (guint i = 0; i < self->rows->len; i++)
    gtk_list_box_remove (self->file_list,
                         gtk_widget_get_parent (g_ptr_array_index (self->rows, i)));
  g_ptr_array_set_size (self->rows, 0);

  /* Translators: %s is a repo id such as openai-community/gpt2 */
  title = g_strdup_printf (_("Downloading %s"), self->repo_id);
  gtk_label_set_text (self->progress_title, title);
  gtk_label_set_text (self->total_label, _("Asking the Hub which files to fetch…"));
  gtk_progress_bar_set_fraction (self->total_bar, 0);

  if (self->download != NULL)
    g_signal_handlers_disconnect_by_data (self->download, self);
  g_clear_object (&self->download);
  self->download = attn_hub_download_new (self->client, self->repo_id, NULL);
  g_signal_connect_object (self->download, "changed", G_CALLBACK (download_changed_cb), self,
                           G_CONNECT_SWAPPED);
  self->cancellable = g_cancellable_new ();
  set_state (self, "running");
  attn_hub_download_run_async (self->download, self->cancellable, download_done_cb,
                               g_object_ref (self));
}

static void
repo_entry_apply_cb (AttnDownloadDialog *self)
{
  const char *text = gtk_editable_get_text (GTK_EDITABLE (self->repo_entry));

  if (text != NULL && text[0] != '\0')
    attn_download_dialog_start (self, text);
}

static void
known_clicked_cb (GtkButton          *button,
                  AttnDownloadDialog *self)
{
  attn_download_dialog_start (self, g_object_get_data (G_OBJECT (button), "repo-id"));
}

static void
cancel_clicked_cb (AttnDownloadDialog *self)
{
  if (self->cancellable != NULL)
    g_cancellable_cancel (self->cancellable);
}

static void
retry_clicked_cb (AttnDownloadDialog *self)
{
  g_autofree char *repo_id = g_strdup (self->repo_id);

  attn_download_dialog_start (self, repo_id);
}

static void
back_clicked_cb (AttnDownloadDialog *self)
{
  set_state (self, "choose");
}

static gboolean
attn_download_dialog_close_request (GtkWindow *window)
{
  AttnDownloadDialog *self = ATTN_DOWNLOAD_DIALOG (window);

  /* Closing stops the download; its partial file stays for next time. */
  if (self->cancellable != NULL)
    g_cancellable_cancel (self->cancellable);
  return GTK_WINDOW_CLASS (attn_download_dialog_parent_class)->close_request (window);
}

static void
attn_download_dialog_dispose (GObject *object)
{
  AttnDownloadDialog *self = ATTN_DOWNLOAD_DIALOG (object);

  if (self->cancellable != NULL)
    g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  if (self->download != NULL)
    g_signal_handlers_disconnect_by_data (self->download, self);
  g_clear_object (&self->download);
  g_clear_object (&self->client);

  G_OBJECT_CLASS (attn_download_dialog_parent_class)->dispose (object);
}

static void
attn_download_dialog_finalize (GObject *object)
{
  AttnDownloadDialog *self = ATTN_DOWNLOAD_DIALOG (object);

  g_clear_pointer (&self->rows, g_ptr_array_unref);
  g_clear_pointer (&self->repo_id, g_free);
  g_clear_pointer (&self->error, g_free);

  G_OBJECT_CLASS (attn_download_dialog_parent_class)->finalize (object);
}

static void
attn_download_dialog_class_init (AttnDownloadDialogClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);
  GtkWindowClass *window_class = GTK_WINDOW_CLASS (klass);

  object_class->dispose = attn_download_dialog_dispose;
  object_class->finalize = attn_download_dialog_finalize;
  window_class->close_request = attn_download_dialog_close_request;

  /**
   * AttnDownloadDialog::downloaded:
   * @repo_id: the model now in the cache
   *
   * A download finished and the engine can open the model.
   */
  signals [DOWNLOADED] =
    g_signal_new ("downloaded", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL, G_TYPE_NONE, 1, G_TYPE_STRING);

  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/com/example/Attention/ui/attn-download-dialog.ui");
  gtk_widget_class_bind_template_child (widget_class, AttnDownloadDialog, stack);
  gtk_widget_class_bind_template_child (widget_class, AttnDownloadDialog, known_group);
  gtk_widget_class_bind_template_child (widget_class, AttnDownloadDialog, repo_entry);
  gtk_widget_class_bind_template_child (widget_class, AttnDownloadDialog, cache_label);
  gtk_widget_class_bind_template_child (widget_class, AttnDownloadDialog, progress_title);
  gtk_widget_class_bind_template_child (widget_class, AttnDownloadDialog, total_bar);
  gtk_widget_class_bind_template_child (widget_class, AttnDownloadDialog, total_label);
  gtk_widget_class_bind_template_child (widget_class, AttnDownloadDialog, file_list);
  gtk_widget_class_bind_template_child (widget_class, AttnDownloadDialog, error_label);
  gtk_widget_class_bind_template_child (widget_class, AttnDownloadDialog, back_button);
  gtk_widget_class_bind_template_child (widget_class, AttnDownloadDialog, retry_button);
  gtk_widget_class_bind_template_child (widget_class, AttnDownloadDialog, cancel_button);
  gtk_widget_class_bind_template_callback (widget_class, repo_entry_apply_cb);
  gtk_widget_class_bind_template_callback (widget_class, cancel_clicked_cb);
  gtk_widget_class_bind_template_callback (widget_class, retry_clicked_cb);
  gtk_widget_class_bind_template_callback (widget_class, back_clicked_cb);
}

static void
attn_download_dialog_init (AttnDownloadDialog *self)
{
  g_autofree char *cache_text = NULL;

  gtk_widget_init_template (GTK_WIDGET (self));

  self->client = attn_hub_client_new ();
  self->rows = g_ptr_array_new ();
  self->state = "choose";

  for (guint i = 0; i < G_N_ELEMENTS (known_models); i++)
    {
      g_autofree char *subtitle = NULL;
      g_autoptr(GError) error = NULL;
      g_autofree char *cached = attn_hub_cache_snapshot (attn_hub_client_get_cache_dir (self->client),
                                                         known_models[i].repo_id, "main", &error);
      GtkWidget *row = adw_action_row_new ();
      GtkWidget *button = gtk_button_new_with_label (cached ? _("Open") : _("Download"));

      /* Translators: repo id · parameters · download size, then why the model is interesting */
      subtitle = g_strdup_printf (_("%s · %s · %s\n%s"), known_models[i].repo_id,
                                  _(known_models[i].params), _(known_models[i].size),
                                  _(known_models[i].why));
      adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), _(known_models[i].name));
      adw_action_row_set_subtitle (ADW_ACTION_ROW (row), subtitle);
      adw_action_row_set_subtitle_lines (ADW_ACTION_ROW (row), 3);
      gtk_widget_set_valign (button, GTK_ALIGN_CENTER);
      if (!cached)
        gtk_widget_add_css_class (button, "suggested-action");
      g_object_set_data (G_OBJECT (button), "repo-id", (gpointer) known_models[i].repo_id);
      g_signal_connect (button, "clicked", G_CALLBACK (known_clicked_cb), self);
      adw_action_row_add_suffix (ADW_ACTION_ROW (row), button);
      adw_action_row_set_activatable_widget (ADW_ACTION_ROW (row), button);
      adw_preferences_group_add (self->known_group, row);
    }

  /* Translators: %s is the Hugging Face cache folder */
  cache_text = g_strdup_printf (_("Models are saved in %s, the Hugging Face cache that Python tools share. Set HF_HUB_CACHE or HF_HOME to use another folder, HF_ENDPOINT for a mirror."),
                                attn_hub_client_get_cache_dir (self->client));
  gtk_label_set_text (self->cache_label, cache_text);
  set_state (self, "choose");
}

AttnDownloadDialog *
attn_download_dialog_new (GtkWindow *parent)
{
  return g_object_new (ATTN_TYPE_DOWNLOAD_DIALOG,
                       "transient-for", parent,
                       "modal", FALSE,
                       NULL);
}

const char *
_attn_download_dialog_get_state (AttnDownloadDialog *self)
{
  g_return_val_if_fail (ATTN_IS_DOWNLOAD_DIALOG (self), NULL);
  return self->state;
}

const char *
_attn_download_dialog_get_error (AttnDownloadDialog *self)
{
  g_return_val_if_fail (ATTN_IS_DOWNLOAD_DIALOG (self), NULL);
  return self->error;
}

guint
_attn_download_dialog_get_n_rows (AttnDownloadDialog *self)
{
  g_return_val_if_fail (ATTN_IS_DOWNLOAD_DIALOG (self), 0);
  return self->rows->len;
}

const char *
_attn_download_dialog_get_total_text (AttnDownloadDialog *self)
{
  g_return_val_if_fail (ATTN_IS_DOWNLOAD_DIALOG (self), NULL);
  return gtk_label_get_text (self->total_label);
}

void
_attn_download_dialog_cancel (AttnDownloadDialog *self)
{
  g_return_if_fail (ATTN_IS_DOWNLOAD_DIALOG (self));
  cancel_clicked_cb (self);
}
