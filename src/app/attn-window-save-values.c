/* attn-window-save-values.c
 *
 * Copyright 2026 The Attention authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The save dialog of the small CSV/JSON exports issue 14 added (head
 * scores, a comparison): one dialog, the writer off the main thread, the
 * same toast or error as every export.
 */

#define G_LOG_DOMAIN "attn-window"

#include "config.h"

#include <glib/gi18n.h>

#include "attn-window-private.h"

static void
written_cb (GObject      *source,
            GAsyncResult *result,
            gpointer      user_data)
{
  g_autoptr(GFile) file = user_data;
  g_autoptr(GError) error = NULL;
  gboolean ok = g_task_propagate_boolean (G_TASK (result), &error);

  _attn_window_export_done (ATTN_WINDOW (source), file, ok, error);
}

static void
response_cb (GtkNativeDialog *chooser,
             int              response,
             AttnWindow      *self)
{
  AttnValuesWriter write = (AttnValuesWriter) g_object_get_data (G_OBJECT (chooser), "attn-writer");
  g_autoptr(GFile) file = NULL;
  g_autofree char *path = NULL;

  if (response == GTK_RESPONSE_ACCEPT)
    file = gtk_file_chooser_get_file (GTK_FILE_CHOOSER (chooser));
  if (file != NULL && (path = g_file_get_path (file)) != NULL)
    write (self, path, written_cb, g_object_ref (file));
  gtk_native_dialog_destroy (chooser);
  g_object_set_data (G_OBJECT (self), "attn-values-chooser", NULL);
}

void
_attn_window_save_values (AttnWindow       *self,
                          const char       *title,
                          const char       *name,
                          AttnValuesWriter  write)
{
  GtkFileChooserNative *chooser;
  g_autoptr(GtkFileFilter) filter = gtk_file_filter_new ();

  chooser = gtk_file_chooser_native_new (title, GTK_WINDOW (self), GTK_FILE_CHOOSER_ACTION_SAVE,
                                         _("_Export"), NULL);
  gtk_native_dialog_set_modal (GTK_NATIVE_DIALOG (chooser), TRUE);
  gtk_file_filter_set_name (filter, _("Values (CSV, JSON)"));
  gtk_file_filter_add_suffix (filter, "csv");
  gtk_file_filter_add_suffix (filter, "json");
  gtk_file_chooser_add_filter (GTK_FILE_CHOOSER (chooser), filter);
  gtk_file_chooser_set_current_name (GTK_FILE_CHOOSER (chooser), name);
  g_object_set_data (G_OBJECT (chooser), "attn-writer", (gpointer) write);
  g_signal_connect_object (chooser, "response", G_CALLBACK (response_cb), self, 0);
  /* The window keeps the dialog alive while it is open. */
  g_object_set_data_full (G_OBJECT (self), "attn-values-chooser", chooser, g_object_unref);
  gtk_native_dialog_show (GTK_NATIVE_DIALOG (chooser));
}
