/* attn-preferences-window.c
 *
 * Copyright 2026 The Attention authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "attn-preferences-window"

#include "config.h"

#include <glib/gi18n.h>

#include "attn-preferences-window.h"

struct _AttnPreferencesWindow
{
  AdwPreferencesWindow  parent_instance;

  AdwComboRow          *colormap_row;
  AdwComboRow          *scale_row;
  GtkSpinButton        *threshold_spin;

  GSettings            *settings;   /* owned */
};

G_DEFINE_FINAL_TYPE (AttnPreferencesWindow, attn_preferences_window, ADW_TYPE_PREFERENCES_WINDOW)

/* The combo rows list the enum's values in order, so a row's position is
 * the enum's value. */
static void
bind_enum_row (AttnPreferencesWindow *self,
               AdwComboRow           *row,
               const char            *key)
{
  adw_combo_row_set_selected (row, g_settings_get_enum (self->settings, key));
  g_object_set_data_full (G_OBJECT (row), "settings-key", g_strdup (key), g_free);
}

static void
row_selected_cb (AttnPreferencesWindow *self,
                 GParamSpec            *pspec,
                 AdwComboRow           *row)
{
  const char *key = g_object_get_data (G_OBJECT (row), "settings-key");

  if (key != NULL && adw_combo_row_get_selected (row) != GTK_INVALID_LIST_POSITION)
    g_settings_set_enum (self->settings, key, adw_combo_row_get_selected (row));
}

static void
attn_preferences_window_dispose (GObject *object)
{
  AttnPreferencesWindow *self = (AttnPreferencesWindow *)object;

  gtk_widget_dispose_template (GTK_WIDGET (self), ATTN_TYPE_PREFERENCES_WINDOW);
  g_clear_object (&self->settings);

  G_OBJECT_CLASS (attn_preferences_window_parent_class)->dispose (object);
}

static void
attn_preferences_window_class_init (AttnPreferencesWindowClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = attn_preferences_window_dispose;

  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/com/example/Attention/ui/attn-preferences-window.ui");
  gtk_widget_class_bind_template_child (widget_class, AttnPreferencesWindow, colormap_row);
  gtk_widget_class_bind_template_child (widget_class, AttnPreferencesWindow, scale_row);
  gtk_widget_class_bind_template_child (widget_class, AttnPreferencesWindow, threshold_spin);
}

static void
attn_preferences_window_init (AttnPreferencesWindow *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
}

GtkWindow *
attn_preferences_window_new (GSettings *settings)
{
  AttnPreferencesWindow *self;

  g_return_val_if_fail (G_IS_SETTINGS (settings), NULL);

  self = g_object_new (ATTN_TYPE_PREFERENCES_WINDOW, NULL);
  self->settings = g_object_ref (settings);

  bind_enum_row (self, self->colormap_row, "colormap");
  bind_enum_row (self, self->scale_row, "colour-scale");
  g_signal_connect_object (self->colormap_row, "notify::selected",
                           G_CALLBACK (row_selected_cb), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (self->scale_row, "notify::selected",
                           G_CALLBACK (row_selected_cb), self, G_CONNECT_SWAPPED);
  g_settings_bind (settings, "arc-threshold", self->threshold_spin, "value",
                   G_SETTINGS_BIND_DEFAULT);

  return GTK_WINDOW (self);
}
