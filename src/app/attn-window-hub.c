/* attn-window-hub.c
 *
 * Copyright 2026 The Attention authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The window's side of the Hugging Face Hub: the cache's models in the
 * model menu (the ones the engine cannot open greyed out, the reason in a
 * tooltip) and "Download a Model…", whose model opens when it is in.
 */

#define G_LOG_DOMAIN "attn-window"

#include "config.h"

#include <glib/gi18n.h>

#include "attn-download-dialog.h"
#include "attn-hub-cache.h"
#include "attn-hub-download.h"
#include "attn-hub-models.h"
#include "attn-window-private.h"

/* "openai-community/gpt2 — GPT2LMHeadModel, 124.4 M parameters, 548 MB" */
static char *
model_label (const AttnHubModel *model)
{
  g_autofree char *bytes = attn_hub_format_bytes (model->n_bytes);
  g_autofree char *params = model->n_params ? attn_hub_format_params (model->n_params) : NULL;

  if (params != NULL)
    /* Translators: repo id — architecture, parameters, size on disk */
    return g_strdup_printf (_("%s — %s, %s parameters, %s"), model->repo_id,
                            model->architecture ? model->architecture : "?", params, bytes);
  /* Translators: repo id — architecture, size on disk */
  return g_strdup_printf (_("%s — %s, %s"), model->repo_id,
                          model->architecture ? model->architecture : "?", bytes);
}

/* A greyed-out entry for a model the engine cannot open: a menu item
 * cannot carry a tooltip, so it is a custom label in the menu. */
static GtkWidget *
unsupported_label (const AttnHubModel *model)
{
  g_autofree char *text = model_label (model);
  g_autofree char *tooltip = NULL;
  GtkWidget *label = gtk_label_new (text);

  /* Translators: %s says why a cached model cannot be opened */
  tooltip = g_strdup_printf (_("Cannot be opened: %s"), model->why_not);
  gtk_label_set_xalign (GTK_LABEL (label), 0);
  gtk_widget_set_tooltip_text (label, tooltip);
  gtk_widget_add_css_class (label, "dim-label");
  gtk_widget_set_margin_start (label, 8);
  gtk_widget_set_margin_end (label, 8);
  gtk_widget_set_margin_top (label, 6);
  gtk_widget_set_margin_bottom (label, 6);
  return label;
}

void
_attn_window_rebuild_hub_menu (AttnWindow *self)
{
  g_autofree char *cache_dir = attn_hub_cache_dir ();
  g_autoptr(GPtrArray) models = attn_hub_list_models (cache_dir);
  g_autoptr(GString) signature = g_string_new (cache_dir);
  g_autoptr(GPtrArray) labels = g_ptr_array_new ();
  GtkPopover *popover;

  for (guint i = 0; i < models->len; i++)
    {
      AttnHubModel *model = g_ptr_array_index (models, i);
      g_string_append_printf (signature, "\n%s %s %d %s", model->repo_id, model->commit,
                              model->supported, model->why_not ? model->why_not : "");
    }
  if (g_strcmp0 (signature->str, self->hub_signature) == 0)
    return;
  g_free (self->hub_signature);
  self->hub_signature = g_string_free (g_steal_pointer (&signature), FALSE);

  g_menu_remove_all (self->hub_menu);
  for (guint i = 0; i < models->len; i++)
    {
      AttnHubModel *model = g_ptr_array_index (models, i);
      g_autofree char *label = model_label (model);
      g_autoptr(GMenuItem) item = g_menu_item_new (label, NULL);

      if (model->supported)
        /* The repo id, not the snapshot: the setting then follows refs/main. */
        g_menu_item_set_action_and_target_value (item, "win.model",
                                                 g_variant_new_string (model->repo_id));
      else
        {
          g_autofree char *id = g_strdup_printf ("hub-unsupported-%u", i);
          g_menu_item_set_attribute (item, "custom", "s", id);
          g_ptr_array_add (labels, unsupported_label (model));
          g_object_set_data_full (G_OBJECT (g_ptr_array_index (labels, labels->len - 1)),
                                  "attn-custom-id", g_steal_pointer (&id), g_free);
        }
      g_menu_append_item (self->hub_menu, item);
    }

  /* The menu's widgets exist now: put the labels in their slots. */
  popover = gtk_menu_button_get_popover (self->model_button);
  for (guint i = 0; i < labels->len; i++)
    {
      GtkWidget *label = g_ptr_array_index (labels, i);
      const char *id = g_object_get_data (G_OBJECT (label), "attn-custom-id");

      if (!GTK_IS_POPOVER_MENU (popover) ||
          !gtk_popover_menu_add_child (GTK_POPOVER_MENU (popover), label, id))
        g_object_ref_sink (label), g_object_unref (label);
    }
}

static void
downloaded_cb (AttnWindow         *self,
               const char         *repo_id,
               AttnDownloadDialog *dialog)
{
  _attn_window_rebuild_hub_menu (self);
  attn_window_open_model (self, repo_id);
}

static void
download_model_action (GtkWidget  *widget,
                       const char *action_name,
                       GVariant   *parameter)
{
  AttnWindow *self = ATTN_WINDOW (widget);

  if (self->download_dialog == NULL)
    {
      self->download_dialog = GTK_WINDOW (attn_download_dialog_new (GTK_WINDOW (self)));
      g_object_add_weak_pointer (G_OBJECT (self->download_dialog),
                                 (gpointer *) &self->download_dialog);
      g_signal_connect_object (self->download_dialog, "downloaded",
                               G_CALLBACK (downloaded_cb), self, G_CONNECT_SWAPPED);
    }
  gtk_window_present (self->download_dialog);
}

void
_attn_window_class_hub_init (GtkWidgetClass *widget_class)
{
  gtk_widget_class_install_action (widget_class, "win.download-model", NULL,
                                   download_model_action);
}
