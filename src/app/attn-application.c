/* attn-application.c
 *
 * Copyright 2026 The Attention authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "attn-application"

#include "config.h"

#include <glib/gi18n.h>

#include "attn-application.h"
#include "attn-preferences-window.h"
#include "attn-window.h"

struct _AttnApplication
{
  AdwApplication  parent_instance;

  GSettings      *settings;   /* owned; made in startup */
};

G_DEFINE_FINAL_TYPE (AttnApplication, attn_application, ADW_TYPE_APPLICATION)

/* The installed schema wins.  An uninstalled build (`make run`, the tests,
 * a debugger) falls back to the schema compiled in the build tree, so no
 * environment variable has to be set by hand and the Makefile stays as is. */
static GSettingsSchema *
lookup_schema (gboolean *from_build_tree)
{
  GSettingsSchemaSource *source = g_settings_schema_source_get_default ();
  g_autoptr(GSettingsSchemaSource) build_source = NULL;
  GSettingsSchema *schema = NULL;

  *from_build_tree = FALSE;

  if (source != NULL)
    schema = g_settings_schema_source_lookup (source, APP_ID, TRUE);
  if (schema != NULL)
    return schema;

  build_source = g_settings_schema_source_new_from_directory (ATTN_BUILD_SCHEMA_DIR, source,
                                                              FALSE, NULL);
  if (build_source != NULL)
    schema = g_settings_schema_source_lookup (build_source, APP_ID, TRUE);
  if (schema == NULL)
    g_error ("The GSettings schema %s is not installed, nor compiled in %s",
             APP_ID, ATTN_BUILD_SCHEMA_DIR);

  *from_build_tree = TRUE;
  return schema;
}

GSettings *
_attn_settings_new (void)
{
  g_autoptr(GSettingsSchema) schema = NULL;
  gboolean from_build_tree;

  schema = lookup_schema (&from_build_tree);
  return g_settings_new_full (schema, NULL, NULL);
}

static void
attn_application_quit_action (GSimpleAction *action,
                              GVariant      *parameter,
                              gpointer       user_data)
{
  AttnApplication *self = user_data;
  GList *windows = gtk_application_get_windows (GTK_APPLICATION (self));

  /* Close (not destroy) the windows, so each saves its state; the
   * application quits when the last one is gone. */
  for (GList *l = windows; l != NULL; l = windows)
    {
      windows = l->next;
      gtk_window_close (GTK_WINDOW (l->data));
    }
}

static void
attn_application_about_action (GSimpleAction *action,
                               GVariant      *parameter,
                               gpointer       user_data)
{
  AttnApplication *self = user_data;
  static const char *developers[] = { "The Attention authors", NULL };
  GtkWindow *window = gtk_application_get_active_window (GTK_APPLICATION (self));
  GtkWidget *about;

  about = g_object_new (ADW_TYPE_ABOUT_WINDOW,
                        "transient-for", window,
                        "application-name", _("Attention"),
                        "application-icon", APP_ID,
                        "developer-name", _("The Attention authors"),
                        "version", PACKAGE_VERSION,
                        "comments", _("See where a language model looks while it reads your sentence."),
                        "developers", developers,
                        "translator-credits", _("translator-credits"),
                        "copyright", "© 2026 The Attention authors",
                        "license-type", GTK_LICENSE_GPL_3_0,
                        NULL);
  gtk_window_present (GTK_WINDOW (about));
}

static void
attn_application_preferences_action (GSimpleAction *action,
                                     GVariant      *parameter,
                                     gpointer       user_data)
{
  AttnApplication *self = user_data;
  GtkWindow *window = gtk_application_get_active_window (GTK_APPLICATION (self));
  GtkWindow *preferences;

  preferences = attn_preferences_window_new (self->settings);
  gtk_window_set_transient_for (preferences, window);
  gtk_window_present (preferences);
}

static const GActionEntry app_entries[] = {
  { "quit", attn_application_quit_action },
  { "about", attn_application_about_action },
  { "preferences", attn_application_preferences_action },
};

static void
attn_application_startup (GApplication *application)
{
  AttnApplication *self = ATTN_APPLICATION (application);
  g_autoptr(GSettingsSchema) schema = NULL;
  GtkIconTheme *icon_theme;
  gboolean from_build_tree;

  G_APPLICATION_CLASS (attn_application_parent_class)->startup (application);

  schema = lookup_schema (&from_build_tree);
  self->settings = g_settings_new_full (schema, NULL, NULL);

  /* Uninstalled, the app icon is only in the source tree.  Ask the icon
   * theme rather than rely on how the schema was found: a build run with
   * GSETTINGS_SCHEMA_DIR set finds the schema but still has no icon. */
  icon_theme = gtk_icon_theme_get_for_display (gdk_display_get_default ());
  if (!gtk_icon_theme_has_icon (icon_theme, APP_ID))
    gtk_icon_theme_add_search_path (icon_theme, ATTN_SOURCE_ICONS_DIR);

  g_action_map_add_action_entries (G_ACTION_MAP (self), app_entries,
                                   G_N_ELEMENTS (app_entries), self);

  gtk_application_set_accels_for_action (GTK_APPLICATION (self), "app.quit",
                                         (const char *[]) { "<Ctrl>q", NULL });
  gtk_application_set_accels_for_action (GTK_APPLICATION (self), "app.preferences",
                                         (const char *[]) { "<Ctrl>comma", NULL });
}

static void
attn_application_activate (GApplication *application)
{
  AttnApplication *self = ATTN_APPLICATION (application);
  GtkWindow *window;

  window = gtk_application_get_active_window (GTK_APPLICATION (self));
  if (window == NULL)
    window = GTK_WINDOW (attn_window_new (self));

  gtk_window_present (window);
}

static void
attn_application_dispose (GObject *object)
{
  AttnApplication *self = (AttnApplication *)object;

  g_clear_object (&self->settings);

  G_OBJECT_CLASS (attn_application_parent_class)->dispose (object);
}

static void
attn_application_class_init (AttnApplicationClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GApplicationClass *app_class = G_APPLICATION_CLASS (klass);

  object_class->dispose = attn_application_dispose;

  app_class->startup = attn_application_startup;
  app_class->activate = attn_application_activate;
}

static void
attn_application_init (AttnApplication *self)
{
}

AttnApplication *
attn_application_new (void)
{
  return g_object_new (ATTN_TYPE_APPLICATION,
                       "application-id", APP_ID,
                       "flags", G_APPLICATION_DEFAULT_FLAGS,
                       "resource-base-path", "/com/example/Attention",
                       NULL);
}

GSettings *
attn_application_get_settings (AttnApplication *self)
{
  g_return_val_if_fail (ATTN_IS_APPLICATION (self), NULL);
  return self->settings;
}
