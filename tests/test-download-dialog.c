/* test-download-dialog.c
 *
 * Copyright 2026 The Attention authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * "Download a Model…" under Xvfb against the fake Hub (tests/fake-hub.c):
 * the dialog's states (choose, running with a row per file and a total
 * line, failed with the Hub's reason, cancelled, done), the window staying
 * usable meanwhile, the model opening by repo id when it is in, and the
 * model menu listing the cache with unsupported models greyed out.
 *
 * With ATTENTION_SHOT_DIR set, it also photographs the dialog there
 * (download-choose.png, download-progress.png) for the README.
 */

#include "config.h"

#include <adwaita.h>
#include <glib/gstdio.h>
#include <string.h>

#include "attn-download-dialog.h"
#include "attn-hub-cache.h"
#include "attn-window-private.h"
#include "fake-hub.h"

#define REPO "test-org/tiny-gpt2"
#define WAIT_SECONDS 30
/* Where the dialog sits on Xvfb's screen, its shadow left out. */
#define DIALOG_GEOMETRY "618x640+1+0"

#include "main-loop.h"

static gboolean
window_ready (gpointer data)
{
  AttnWindow *window = data;
  AttnDocument *document = attn_window_get_document (window);

  return !_attn_window_is_loading (window) && !attn_document_get_busy (document)
         && attn_document_get_result (document) != NULL;
}

static gboolean
not_running (gpointer data)
{
  return !g_str_equal (_attn_download_dialog_get_state (data), "running");
}

static gboolean
all_rows_and_halfway (gpointer data)
{
  AttnDownloadDialog *dialog = data;
  const char *text = _attn_download_dialog_get_total_text (dialog);

  return _attn_download_dialog_get_n_rows (dialog) == 4 && strstr (text, "/s") != NULL;
}

typedef struct
{
  AttnWindow *window;
  const char *model;
} ModelWait;

static gboolean
window_has_model (gpointer data)
{
  ModelWait *wait = data;
  g_autofree char *model = NULL;

  g_object_get (wait->window, "model", &model, NULL);
  return g_strcmp0 (model, wait->model) == 0 && window_ready (wait->window);
}

/* Saves the screen (where the dialog is) as @name in $ATTENTION_SHOT_DIR. */
static void
shoot (const char *name,
       const char *geometry)
{
  const char *dir = g_getenv ("ATTENTION_SHOT_DIR");
  g_autofree char *path = NULL;
  g_autofree char *command = NULL;

  if (dir == NULL)
    return;
  spin (600);
  path = g_build_filename (dir, name, NULL);
  command = g_strdup_printf ("import -window root -crop %s +repage %s", geometry, path);
  g_assert_true (g_spawn_command_line_sync (command, NULL, NULL, NULL, NULL));
  g_test_message ("shot %s", path);
}

/* The hub section of the model menu: which repo ids it offers, and which
 * it shows greyed out (a custom label, not an action). */
static void
check_hub_menu (AttnWindow *window,
                const char *supported,
                const char *unsupported)
{
  GMenuModel *menu = G_MENU_MODEL (window->hub_menu);
  gboolean found_supported = supported == NULL, found_unsupported = unsupported == NULL;

  for (int i = 0; i < g_menu_model_get_n_items (menu); i++)
    {
      g_autofree char *label = NULL;
      g_autofree char *action = NULL;
      g_autofree char *custom = NULL;
      g_autoptr(GVariant) target = NULL;

      g_menu_model_get_item_attribute (menu, i, G_MENU_ATTRIBUTE_LABEL, "s", &label);
      g_menu_model_get_item_attribute (menu, i, G_MENU_ATTRIBUTE_ACTION, "s", &action);
      g_menu_model_get_item_attribute (menu, i, "custom", "s", &custom);
      target = g_menu_model_get_item_attribute_value (menu, i, G_MENU_ATTRIBUTE_TARGET, NULL);

      if (supported != NULL && g_str_has_prefix (label, supported))
        {
          g_assert_cmpstr (action, ==, "win.model");
          g_assert_cmpstr (g_variant_get_string (target, NULL), ==, supported);
          g_assert_nonnull (strstr (label, "parameters"));
          found_supported = TRUE;
        }
      if (unsupported != NULL && g_str_has_prefix (label, unsupported))
        {
          g_assert_null (action);
          g_assert_nonnull (custom);
          found_unsupported = TRUE;
        }
    }
  g_assert_true (found_supported);
  g_assert_true (found_unsupported);
}

static void
test_download_dialog (void)
{
  g_autofree char *model_dir = g_test_build_filename (G_TEST_DIST, "fixtures", "models", "tiny-f32", NULL);
  g_autofree char *home = g_dir_make_tmp ("attn-dialog-XXXXXX", NULL);
  g_autofree char *cache = g_build_filename (home, "hub", NULL);
  g_autofree char *mamba_dir = g_build_filename (cache, "models--test-org--tiny-mamba", "snapshots",
                                                "0123456789abcdef0123456789abcdef01234567", NULL);
  g_autofree char *mamba_config = g_build_filename (mamba_dir, "config.json", NULL);
  g_autofree char *mamba_ref_dir = g_build_filename (cache, "models--test-org--tiny-mamba", "refs", NULL);
  g_autofree char *mamba_ref = g_build_filename (mamba_ref_dir, "main", NULL);
  FakeHub *hub = fake_hub_new ();
  AttnWindow *window;
  AttnDownloadDialog *dialog;
  ModelWait wait;

  /* A cached model the engine cannot run, for the menu. */
  g_assert_cmpint (g_mkdir_with_parents (mamba_dir, 0755), ==, 0);
  g_assert_cmpint (g_mkdir_with_parents (mamba_ref_dir, 0755), ==, 0);
  g_assert_true (g_file_set_contents (mamba_config, "{\"model_type\": \"mamba\", \"architectures\": [\"MambaForCausalLM\"]}", -1, NULL));
  g_assert_true (g_file_set_contents (mamba_ref, hub->commit, -1, NULL));

  fake_hub_add_repo (hub, REPO, model_dir);
  g_setenv ("HF_HUB_CACHE", cache, TRUE);
  g_setenv ("HF_ENDPOINT", hub->url, TRUE);
  g_setenv ("HF_HUB_DOWNLOAD_TIMEOUT", "2", TRUE);
  g_unsetenv ("HF_TOKEN");
  g_unsetenv ("HF_HUB_OFFLINE");
  g_unsetenv ("http_proxy");
  g_unsetenv ("HTTP_PROXY");

  window = attn_window_new (NULL);
  gtk_window_set_default_size (GTK_WINDOW (window), 1000, 700);
  gtk_window_present (GTK_WINDOW (window));
  g_assert_true (wait_until (window_ready, window));

  /* The menu lists the cache: the Mamba model (no attention to show) greyed out, with why. */
  check_hub_menu (window, NULL, "test-org/tiny-mamba");
  gtk_menu_button_popup (window->model_button);
  shoot ("model-menu.png", "1000x700+0+0");
  gtk_menu_button_popdown (window->model_button);

  /* Choose: the known models and a field. */
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "win.download-model", NULL));
  dialog = ATTN_DOWNLOAD_DIALOG (window->download_dialog);
  g_assert_nonnull (dialog);
  g_object_ref (dialog);
  g_assert_cmpstr (_attn_download_dialog_get_state (dialog), ==, "choose");
  shoot ("download-choose.png", DIALOG_GEOMETRY);

  /* A repo the Hub does not have: failed, saying so; Back returns. */
  attn_download_dialog_start (dialog, "test-org/no-such-model");
  g_assert_cmpstr (_attn_download_dialog_get_state (dialog), ==, "running");
  g_assert_true (wait_until (not_running, dialog));
  g_assert_cmpstr (_attn_download_dialog_get_state (dialog), ==, "failed");
  g_assert_nonnull (strstr (_attn_download_dialog_get_error (dialog), "404"));

  /* Cancel while the weights stall: failed (cancelled), nothing opened,
   * and the window kept working meanwhile. */
  hub->stall = TRUE;
  attn_download_dialog_start (dialog, REPO);
  spin (300);
  g_assert_cmpstr (_attn_download_dialog_get_state (dialog), ==, "running");
  attn_document_set_text (attn_window_get_document (window), "The cat sat.");
  g_assert_true (wait_until (window_ready, window));
  _attn_download_dialog_cancel (dialog);
  g_assert_true (wait_until (not_running, dialog));
  g_assert_cmpstr (_attn_download_dialog_get_state (dialog), ==, "failed");
  g_assert_nonnull (strstr (_attn_download_dialog_get_error (dialog), "cancelled"));
  hub->stall = FALSE;

  /* A slow transfer: a row per file and a total with rate and time left,
   * then the model opens by its repo id and the dialog goes. */
  hub->throttle_ms = 60;
  attn_download_dialog_start (dialog, REPO);
  g_assert_true (wait_until (all_rows_and_halfway, dialog));
  g_assert_nonnull (strstr (_attn_download_dialog_get_total_text (dialog), " of "));
  g_assert_nonnull (strstr (_attn_download_dialog_get_total_text (dialog), "left"));
  shoot ("download-progress.png", DIALOG_GEOMETRY);
  g_assert_true (wait_until (not_running, dialog));
  g_assert_cmpstr (_attn_download_dialog_get_error (dialog), ==, NULL);
  g_assert_cmpstr (_attn_download_dialog_get_state (dialog), ==, "done");

  wait.window = window;
  wait.model = REPO;
  g_assert_true (wait_until (window_has_model, &wait));
  g_assert_cmpstr (attn_engine_get_name (attn_document_get_engine (attn_window_get_document (window))),
                   ==, REPO);
  g_assert_false (gtk_widget_get_visible (GTK_WIDGET (dialog)));
  check_hub_menu (window, REPO, "test-org/tiny-mamba");

  g_object_unref (dialog);
  gtk_window_destroy (GTK_WINDOW (window));
  fake_hub_free (hub);
}

int
main (int   argc,
      char *argv[])
{
  if (g_getenv ("DISPLAY") == NULL && g_getenv ("WAYLAND_DISPLAY") == NULL)
    return 77;

  gtk_test_init (&argc, &argv, NULL);
  adw_init ();

  g_test_add_func ("/download-dialog/states", test_download_dialog);
  return g_test_run ();
}
