/* attn-window.c
 *
 * Copyright 2026 The Attention authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "attn-window"

#include "config.h"

#include <glib/gi18n.h>

#include "attn-display.h"
#include "attn-focus-keys.h"
#include "attn-hub-cache.h"
#include "attn-result-vectors.h"
#include "attn-window-private.h"
#include "attn-walkthrough.h"

#define MAX_RECENT_MODELS 6

G_DEFINE_FINAL_TYPE (AttnWindow, attn_window, ADW_TYPE_APPLICATION_WINDOW)

enum {
  PROP_0,
  PROP_DOCUMENT,
  PROP_BUSY,
  PROP_MODEL,
  N_PROPS
};

static GParamSpec *properties [N_PROPS];

void
_attn_window_show_error (AttnWindow *self,
                         const char *heading,
                         const char *detail,
                         const char *message)
{
  GtkWidget *dialog;

  g_free (self->last_error);
  self->last_error = g_strdup (message);

  /* A dialog, not a toast: a toast cuts a long message off, and the end
   * of it (which offset, which file) is what says what to fix. */
  dialog = adw_message_dialog_new (GTK_WINDOW (self), heading, detail);
  adw_message_dialog_add_response (ADW_MESSAGE_DIALOG (dialog), "close", _("_Close"));
  gtk_window_set_destroy_with_parent (GTK_WINDOW (dialog), TRUE);
  gtk_window_present (GTK_WINDOW (dialog));
}

static gboolean
is_loading (AttnWindow *self)
{
  return self->load_cancellable != NULL;
}

void
_attn_window_update_description (AttnWindow *self)
{
  gboolean views = g_strcmp0 (gtk_stack_get_visible_child_name (self->main_stack), "views") == 0;
  gboolean learn = g_strcmp0 (adw_view_stack_get_visible_child_name (self->view_stack), "learn") == 0;

  /* Its scrolled window, which keeps a height of its own when empty. */
  gtk_widget_set_visible (GTK_WIDGET (self->description_scroller), views && !learn);
}

static void
update_status (AttnWindow *self)
{
  AttnEngine *engine = attn_document_get_engine (self->document);

  gtk_stack_set_visible_child_name (self->main_stack, engine != NULL ? "views" : "status");
  _attn_window_update_description (self);
  if (engine != NULL)
    return;

  if (is_loading (self))
    {
      adw_status_page_set_title (self->status_page, _("Loading the Model…"));
      adw_status_page_set_description (self->status_page, NULL);
    }
  else
    {
      adw_status_page_set_title (self->status_page, _("No Model Loaded"));
      adw_status_page_set_description (self->status_page, self->last_error);
    }
}

static void
update_notice (AttnWindow *self)
{
  AttnResult *result = attn_document_get_result (self->document);
  AttnEngine *engine = attn_document_get_engine (self->document);
  const char *error = attn_document_get_error_message (self->document);
  g_autofree char *text = NULL;

  gtk_widget_remove_css_class (GTK_WIDGET (self->notice_revealer), "error");

  if (error != NULL)
    {
      /* Translators: %s is the engine's error message */
      text = g_strdup_printf (_("The model could not read this text: %s"), error);
      gtk_widget_add_css_class (GTK_WIDGET (self->notice_revealer), "error");
    }
  else if (result != NULL && attn_result_get_truncated (result, NULL))
    text = attn_result_dup_truncation_notice (result, engine != NULL ? attn_engine_get_n_ctx (engine)
                                                                     : attn_result_get_n_tokens (result));
  else if (attn_document_get_merge_error (self->document) != NULL)
    /* Translators: %s says why (too long); the views show tokens instead */
    text = g_strdup_printf (_("Showing tokens, not words: %s"),
                            attn_document_get_merge_error (self->document));

  if (text != NULL)
    gtk_label_set_text (self->notice_label, text);
  gtk_revealer_set_reveal_child (self->notice_revealer, text != NULL);
}

static void
update_selectors (AttnWindow *self)
{
  AttnEngine *engine = attn_document_get_engine (self->document);
  guint n_layers = engine ? attn_engine_get_n_layers (engine) : 1;
  guint n_heads = engine ? attn_engine_get_n_heads (engine) : 1;

  gtk_adjustment_set_upper (gtk_spin_button_get_adjustment (self->layer_spin),
                            MAX (n_layers, 1) - 1);
  gtk_adjustment_set_upper (gtk_spin_button_get_adjustment (self->head_spin),
                            MAX (n_heads, 1) - 1);
  gtk_spin_button_set_value (self->layer_spin, attn_document_get_layer (self->document));
  gtk_spin_button_set_value (self->head_spin, attn_document_get_head (self->document));

  /* "Layer 2 of 4": how many there are, and (numbered from 0) which the
   * last one is, for eyes and for screen readers alike. */
  {
    g_autofree char *layers = g_strdup_printf (_("of %u"), n_layers);
    g_autofree char *heads = g_strdup_printf (_("of %u"), n_heads);
    /* Translators: accessible description of the layer selector */
    g_autofree char *layer_desc = g_strdup_printf (_("%u layers, numbered 0 to %u"), n_layers, MAX (n_layers, 1) - 1);
    /* Translators: accessible description of the head selector */
    g_autofree char *head_desc = g_strdup_printf (_("%u heads per layer, numbered 0 to %u"), n_heads, MAX (n_heads, 1) - 1);

    gtk_label_set_text (self->layer_count_label, engine ? layers : "");
    gtk_label_set_text (self->head_count_label, engine ? heads : "");
    gtk_accessible_update_property (GTK_ACCESSIBLE (self->layer_spin),
                                    GTK_ACCESSIBLE_PROPERTY_DESCRIPTION, layer_desc, -1);
    gtk_accessible_update_property (GTK_ACCESSIBLE (self->head_spin),
                                    GTK_ACCESSIBLE_PROPERTY_DESCRIPTION, head_desc, -1);
  }
}

static void
document_result_changed_cb (AttnWindow *self)
{
  _attn_window_apply_display (self);
  /* tools/screenshots.sh shows a selection from the first result on. */
  if (self->initial_query >= 0 && attn_document_get_result (self->document) != NULL)
    {
      attn_document_set_query (self->document, self->initial_query);
      self->initial_query = -1;
    }

  update_notice (self);
  _attn_window_update_actions (self);
}

/* Tokens picked to hide are numbered in what the views show: words or
 * tokens; another numbering forgets them. */
static void
merge_words_changed_cb (AttnWindow *self)
{
  attn_display_init (&self->hidden);
  _attn_window_apply_display (self);
}

static void
view_result_changed_cb (AttnWindow *self)
{
  _attn_window_apply_display (self);
  update_notice (self);
}

static void
document_text_changed_cb (AttnWindow *self)
{
  const char *text = attn_document_get_text (self->document);

  g_settings_set_string (self->settings, "sentence", text ? text : "");
}

static void
document_busy_changed_cb (AttnWindow *self)
{
  g_object_notify_by_pspec (G_OBJECT (self), properties [PROP_BUSY]);
}

static void
rebuild_recent_menu (AttnWindow *self)
{
  g_auto(GStrv) recent = g_settings_get_strv (self->settings, "recent-models");

  g_menu_remove_all (self->recent_menu);

  for (guint i = 0; recent[i] != NULL; i++)
    {
      /* A repo id is its own best name; a folder goes by its last part. */
      g_autofree char *name = attn_hub_is_repo_id (recent[i]) && !g_path_is_absolute (recent[i])
                              ? g_strdup (recent[i]) : g_path_get_basename (recent[i]);
      g_autoptr(GMenuItem) item = g_menu_item_new (name, NULL);

      g_menu_item_set_action_and_target_value (item, "win.model",
                                               g_variant_new_string (recent[i]));
      g_menu_append_item (self->recent_menu, item);
    }
}

static void
remember_model (AttnWindow *self,
                const char *directory)
{
  g_auto(GStrv) recent = g_settings_get_strv (self->settings, "recent-models");
  g_autoptr(GStrvBuilder) builder = g_strv_builder_new ();
  g_auto(GStrv) updated = NULL;
  guint n = 1;

  g_settings_set_string (self->settings, "model", directory ? directory : "");

  if (directory == NULL)
    return;

  g_strv_builder_add (builder, directory);
  for (guint i = 0; recent[i] != NULL && n < MAX_RECENT_MODELS; i++)
    if (g_strcmp0 (recent[i], directory) != 0)
      {
        g_strv_builder_add (builder, recent[i]);
        n++;
      }

  updated = g_strv_builder_end (builder);
  g_settings_set_strv (self->settings, "recent-models", (const char * const *) updated);
}

typedef struct
{
  AttnWindow *self;      /* owned */
  char       *directory; /* owned; NULL for the built-in model */
} LoadData;

static void
load_data_free (LoadData *load)
{
  g_clear_object (&load->self);
  g_free (load->directory);
  g_free (load);
}

static void
engine_loaded_cb (GObject      *source_object,
                  GAsyncResult *result,
                  gpointer      user_data)
{
  LoadData *load = user_data;
  AttnWindow *self = load->self;
  g_autoptr(AttnEngine) engine = NULL;
  g_autoptr(GError) error = NULL;

  engine = attn_engine_new_finish (result, &error);

  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED)
      || g_error_matches (error, ATTN_ENGINE_ERROR, ATTN_ENGINE_ERROR_CANCELLED))
    {
      load_data_free (load);
      return;
    }

  g_clear_object (&self->load_cancellable);

  if (engine == NULL)
    {
      /* The previous model, if any, stays in place. */
      g_autofree char *message = NULL;

      /* Translators: %s is why the model could not be loaded */
      message = g_strdup_printf (_("Could not open the model: %s"), error->message);
      _attn_window_show_error (self, _("Could Not Open the Model"), error->message, message);

      /* A remembered model that is gone falls back to the built-in one. */
      if (attn_document_get_engine (self->document) == NULL && load->directory != NULL)
        {
          g_settings_set_string (self->settings, "model", "");
          attn_window_open_model (self, NULL);
          load_data_free (load);
          return;
        }
    }
  else
    {
      gtk_menu_button_set_label (self->model_button, attn_engine_get_name (engine));
      attn_document_set_engine (self->document, engine);
      remember_model (self, load->directory);

      /* Only now: the model menu marks the model in use, not the one asked for. */
      g_free (self->model);
      self->model = g_strdup (load->directory ? load->directory : "");
      g_object_notify_by_pspec (G_OBJECT (self), properties [PROP_MODEL]);
    }

  update_selectors (self);
  update_status (self);
  _attn_window_update_actions (self);
  g_object_notify_by_pspec (G_OBJECT (self), properties [PROP_BUSY]);
  load_data_free (load);
}

void
attn_window_open_model (AttnWindow *self,
                        const char *directory)
{
  g_autofree char *builtin = NULL;
  LoadData *load;

  g_return_if_fail (ATTN_IS_WINDOW (self));

  if (self->load_cancellable != NULL)
    g_cancellable_cancel (self->load_cancellable);
  g_clear_object (&self->load_cancellable);
  self->load_cancellable = g_cancellable_new ();

  if (directory == NULL)
    builtin = attn_engine_dup_builtin_dir ();

  load = g_new0 (LoadData, 1);
  load->self = g_object_ref (self);
  load->directory = g_strdup (directory);

  attn_engine_new_async (directory ? directory : builtin, self->load_cancellable,
                         engine_loaded_cb, load);

  update_status (self);
  g_object_notify_by_pspec (G_OBJECT (self), properties [PROP_BUSY]);
}

/* "Find heads": the dropdown lists "layer order" and the tokens up to the
 * query; it shows and sets the document's pinned key, which the model
 * view ranks the heads by. */
static void
sync_rank_selection (AttnWindow *self)
{
  int query = attn_document_get_view_query (self->document);
  int key = attn_document_get_view_key (self->document);
  AttnResult *result = attn_document_get_view_result (self->document);

  if (self->syncing_rank)
    return;
  self->syncing_rank = TRUE;
  gtk_drop_down_set_selected (self->rank_dropdown,
                              result != NULL && key >= 0 && query >= 0 &&
                              (guint) key < attn_result_get_n_keys_seen (result, query) ? (guint) key + 1 : 0);
  self->syncing_rank = FALSE;
}

/* New tokens or a new query: new choices (the tokens up to the query; an
 * encoder's query sees them all). */
static void
update_rank_dropdown (AttnWindow *self)
{
  AttnResult *result = attn_document_get_view_result (self->document);
  int query = attn_document_get_view_query (self->document);
  g_autoptr(GtkStringList) list = gtk_string_list_new (NULL);

  gtk_string_list_append (list, _("nothing (layer order)"));
  if (result != NULL && query >= 0)
    for (int i = 0; i < (int) attn_result_get_n_keys_seen (result, query); i++)
      {
        g_autofree char *label = attn_render_dup_token_label (attn_result_get_token_text (result, i));
        g_autofree char *item = g_strdup_printf ("%d: %s", i, label);

        gtk_string_list_append (list, item);
      }

  self->syncing_rank = TRUE;
  gtk_drop_down_set_model (self->rank_dropdown, G_LIST_MODEL (list));
  gtk_widget_set_sensitive (GTK_WIDGET (self->rank_dropdown), query >= 0);
  self->syncing_rank = FALSE;
  sync_rank_selection (self);
}

static void
rank_selected_cb (AttnWindow *self)
{
  guint selected = gtk_drop_down_get_selected (self->rank_dropdown);

  if (self->syncing_rank || selected == GTK_INVALID_LIST_POSITION)
    return;
  self->syncing_rank = TRUE;
  attn_document_set_view_key (self->document, (int) selected - 1);
  self->syncing_rank = FALSE;
}

/* Too narrow for the switcher in the header bar: the title there, the
 * switcher at the bottom. */
static void
title_squeezer_changed_cb (AttnWindow *self)
{
  adw_view_switcher_bar_set_reveal (self->switcher_bar,
                                    adw_squeezer_get_visible_child (self->title_squeezer)
                                    == GTK_WIDGET (self->window_title));
}

static void
head_grid_head_activated_cb (AttnWindow   *self,
                             guint         layer,
                             guint         head,
                             AttnHeadGrid *grid)
{
  /* Back to the heatmap or arcs, whichever the user saw last, now showing
   * the chosen head. */
  adw_view_stack_set_visible_child_name (self->view_stack, self->main_view);
}

static void
view_stack_visible_child_changed_cb (AttnWindow *self)
{
  const char *name = adw_view_stack_get_visible_child_name (self->view_stack);

  /* Only the views that show one head are somewhere to open a head in:
   * Compare (often empty) or Predict would hide the head just chosen. */
  if (g_strcmp0 (name, "heatmap") == 0 || g_strcmp0 (name, "arcs") == 0)
    {
      g_free (self->main_view);
      self->main_view = g_strdup (name);
    }
}

static void
apply_colormap (AttnWindow *self)
{
  g_autofree char *name = g_settings_get_string (self->settings, "colormap");
  AttnAttentionView *views[] = {
    ATTN_ATTENTION_VIEW (self->heatmap),
    ATTN_ATTENTION_VIEW (self->arc_view),
    ATTN_ATTENTION_VIEW (self->head_grid),
    ATTN_ATTENTION_VIEW (self->model_view),
    ATTN_ATTENTION_VIEW (self->compare_view),
  };
  AttnColormap colormap = ATTN_COLORMAP_VIRIDIS;
  AttnScale scale;

  attn_colormap_from_string (name, &colormap);
  scale = (AttnScale) CLAMP (g_settings_get_enum (self->settings, "colour-scale"),
                             ATTN_SCALE_LINEAR, ATTN_SCALE_LOG);

  for (guint i = 0; i < G_N_ELEMENTS (views); i++)
    {
      attn_attention_view_set_colormap (views[i], colormap);
      attn_attention_view_set_scale (views[i], scale);
    }

  /* The text itself is tinted with the views' colours. */
  attn_token_strip_set_colormap (self->token_strip, colormap, scale);
  attn_sentence_editor_set_colormap (self->editor, colormap, scale);
  attn_weight_legend_set_colormap (self->weight_legend, colormap, scale);
}

void
_attn_window_apply_display (AttnWindow *self)
{
  AttnAttentionView *views[] = {
    ATTN_ATTENTION_VIEW (self->heatmap),
    ATTN_ATTENTION_VIEW (self->arc_view),
    ATTN_ATTENTION_VIEW (self->head_grid),
  };
  AttnResult *result = attn_document_get_view_result (self->document);
  AttnDisplay display = self->hidden;

  /* Picked tokens past the end of a shorter text are forgotten. */
  for (guint i = display.n_hidden; i-- > 0;)
    if (result != NULL && (guint) display.hidden[i] >= attn_result_get_n_tokens (result))
      attn_display_set_hidden (&self->hidden, display.hidden[i], FALSE);
  display = self->hidden;

  if (g_settings_get_boolean (self->settings, "hide-first-token"))
    attn_display_set_hidden (&display, 0, TRUE);
  display.row_max = g_settings_get_boolean (self->settings, "row-max");
  /* a sentence pair's A → B filter, while the result has a pair */
  if (result != NULL && attn_result_has_pair (result))
    display.pairs = attn_pair_bar_get_filter (self->pair_bar);
  /* the text's tint (strip, editor) follows the same filter */
  attn_document_set_pair_filter (self->document, attn_pair_bar_get_filter (self->pair_bar));

  for (guint i = 0; i < G_N_ELEMENTS (views); i++)
    attn_attention_view_set_display (views[i], &display);
  /* Δ and rollout are no weights to renormalise: they keep only the
   * pair's filter */
  {
    AttnDisplay links = { .pairs = display.pairs };

    attn_attention_view_set_display (ATTN_ATTENTION_VIEW (self->delta_view), &links);
    attn_attention_view_set_display (ATTN_ATTENTION_VIEW (self->rollout_view), &links);
  }
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "win.show-all-tokens", self->hidden.n_hidden > 0);
}

static void
save_window_state (AttnWindow *self)
{
  int width, height;

  gtk_window_get_default_size (GTK_WINDOW (self), &width, &height);
  g_settings_set_int (self->settings, "window-width", width);
  g_settings_set_int (self->settings, "window-height", height);
  g_settings_set_boolean (self->settings, "window-maximized",
                          gtk_window_is_maximized (GTK_WINDOW (self)));
}

static gboolean
attn_window_close_request (GtkWindow *window)
{
  save_window_state (ATTN_WINDOW (window));

  return GTK_WINDOW_CLASS (attn_window_parent_class)->close_request (window);
}

static void
attn_window_constructed (GObject *object)
{
  AttnWindow *self = (AttnWindow *)object;
  GtkApplication *application;
  g_autofree char *sentence = NULL;
  g_autofree char *model = NULL;

  G_OBJECT_CLASS (attn_window_parent_class)->constructed (object);

  application = gtk_window_get_application (GTK_WINDOW (self));
  if (ATTN_IS_APPLICATION (application))
    self->settings = g_object_ref (attn_application_get_settings (ATTN_APPLICATION (application)));
  else
    self->settings = _attn_settings_new ();

  gtk_window_set_default_size (GTK_WINDOW (self),
                               g_settings_get_int (self->settings, "window-width"),
                               g_settings_get_int (self->settings, "window-height"));
  if (g_settings_get_boolean (self->settings, "window-maximized"))
    gtk_window_maximize (GTK_WINDOW (self));

  /* The sentence comes first, so the first run is on it. */
  sentence = g_settings_get_string (self->settings, "sentence");
  attn_document_set_text (self->document, sentence);
  g_signal_connect_object (self->document, "notify::text",
                           G_CALLBACK (document_text_changed_cb), self, G_CONNECT_SWAPPED);

  g_settings_bind (self->settings, "view", self->view_stack, "visible-child-name",
                   G_SETTINGS_BIND_DEFAULT);
  g_settings_bind (self->settings, "layer", self->document, "layer", G_SETTINGS_BIND_DEFAULT);
  g_settings_bind (self->settings, "head", self->document, "head", G_SETTINGS_BIND_DEFAULT);
  g_settings_bind (self->settings, "arc-threshold", self->arc_view, "threshold",
                   G_SETTINGS_BIND_DEFAULT);
  g_settings_bind (self->settings, "arc-links", self->arc_view, "links", G_SETTINGS_BIND_DEFAULT);
  g_settings_bind (self->settings, "arc-top-k", self->arc_view, "top-k", G_SETTINGS_BIND_DEFAULT);

  g_signal_connect_object (self->settings, "changed::colormap",
                           G_CALLBACK (apply_colormap), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (self->settings, "changed::colour-scale",
                           G_CALLBACK (apply_colormap), self, G_CONNECT_SWAPPED);
  apply_colormap (self);

  /* Readable maps despite attention sinks: the main menu's "Maps" section. */
  {
    g_autoptr(GSimpleActionGroup) group = g_simple_action_group_new ();
    const char *keys[] = { "merge-words", "hide-first-token", "row-max", "colour-scale" };

    for (guint i = 0; i < G_N_ELEMENTS (keys); i++)
      {
        g_autoptr(GAction) action = g_settings_create_action (self->settings, keys[i]);

        g_action_map_add_action (G_ACTION_MAP (group), action);
      }
    gtk_widget_insert_action_group (GTK_WIDGET (self), "view", G_ACTION_GROUP (group));
  }
  g_signal_connect_object (self->settings, "changed::hide-first-token",
                           G_CALLBACK (_attn_window_apply_display), self, G_CONNECT_SWAPPED);
  /* Merge word pieces (issue 16): views show words, remembered. */
  g_settings_bind (self->settings, "merge-words", self->document, "merge-words", G_SETTINGS_BIND_GET);
  g_signal_connect_object (self->document, "notify::merge-words",
                           G_CALLBACK (merge_words_changed_cb), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (self->document, "notify::view-result",
                           G_CALLBACK (view_result_changed_cb), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (self->settings, "changed::row-max",
                           G_CALLBACK (_attn_window_apply_display), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (self->pair_bar, "notify::filter",
                           G_CALLBACK (_attn_window_apply_display), self, G_CONNECT_SWAPPED);
  _attn_window_apply_display (self);
  g_signal_connect_object (self->document, "notify::query",
                           G_CALLBACK (update_rank_dropdown), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (self->document, "notify::key",
                           G_CALLBACK (sync_rank_selection), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (self->document, "notify::view-result",
                           G_CALLBACK (update_rank_dropdown), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (self->title_squeezer, "notify::visible-child",
                           G_CALLBACK (title_squeezer_changed_cb), self, G_CONNECT_SWAPPED);
  title_squeezer_changed_cb (self);
  g_signal_connect_object (self->rank_dropdown, "notify::selected",
                           G_CALLBACK (rank_selected_cb), self, G_CONNECT_SWAPPED);
  update_rank_dropdown (self);
  attn_drop_down_type_to_search (self->rank_dropdown);

  g_signal_connect_object (self->settings, "changed::recent-models",
                           G_CALLBACK (rebuild_recent_menu), self, G_CONNECT_SWAPPED);
  rebuild_recent_menu (self);
  _attn_window_rebuild_hub_menu (self);
  /* The cache may change behind our back (Python, attention-cli): list it
   * afresh each time the menu opens. */
  g_signal_connect_object (self->model_button, "notify::active",
                           G_CALLBACK (_attn_window_rebuild_hub_menu), self, G_CONNECT_SWAPPED);

  view_stack_visible_child_changed_cb (self);
  _attn_window_learn_init (self);
  _attn_window_modes_init (self);

  /* The last model opened, else the built-in one. */
  model = g_settings_get_string (self->settings, "model");
  attn_window_open_model (self, model[0] != '\0' ? model : NULL);
}

static void
attn_window_dispose (GObject *object)
{
  AttnWindow *self = (AttnWindow *)object;

  if (self->load_cancellable != NULL)
    g_cancellable_cancel (self->load_cancellable);
  g_clear_object (&self->load_cancellable);
  if (self->chooser != NULL)
    gtk_native_dialog_destroy (GTK_NATIVE_DIALOG (self->chooser));
  g_clear_object (&self->chooser);

  if (self->document != NULL)
    g_signal_handlers_disconnect_by_data (self->document, self);

  _attn_window_detectors_dispose (self);
  _attn_window_compare_dispose (self);
  gtk_widget_dispose_template (GTK_WIDGET (self), ATTN_TYPE_WINDOW);

  g_clear_object (&self->settings);
  g_clear_object (&self->recent_menu);
  g_clear_object (&self->hub_menu);
  g_clear_pointer (&self->hub_signature, g_free);
  if (self->download_dialog != NULL)
    gtk_window_destroy (self->download_dialog);
  g_clear_object (&self->document);

  G_OBJECT_CLASS (attn_window_parent_class)->dispose (object);
}

static void
attn_window_finalize (GObject *object)
{
  AttnWindow *self = (AttnWindow *)object;

  g_clear_pointer (&self->last_error, g_free);
  g_clear_pointer (&self->main_view, g_free);
  g_clear_pointer (&self->model, g_free);

  G_OBJECT_CLASS (attn_window_parent_class)->finalize (object);
}

static void
attn_window_get_property (GObject    *object,
                          guint       prop_id,
                          GValue     *value,
                          GParamSpec *pspec)
{
  AttnWindow *self = ATTN_WINDOW (object);

  switch (prop_id)
    {
    case PROP_DOCUMENT:
      g_value_set_object (value, self->document);
      break;
    case PROP_BUSY:
      g_value_set_boolean (value, is_loading (self)
                                  || (self->document && attn_document_get_busy (self->document)));
      break;
    case PROP_MODEL:
      g_value_set_string (value, self->model);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
attn_window_set_property (GObject      *object,
                          guint         prop_id,
                          const GValue *value,
                          GParamSpec   *pspec)
{
  AttnWindow *self = ATTN_WINDOW (object);
  const char *model;

  switch (prop_id)
    {
    case PROP_MODEL:
      /* Setting asks for a load; the property follows once it succeeds. */
      model = g_value_get_string (value);
      if (model == NULL)
        model = "";
      if (g_strcmp0 (model, self->model) != 0 || is_loading (self))
        attn_window_open_model (self, model[0] != '\0' ? model : NULL);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
attn_window_class_init (AttnWindowClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);
  GtkWindowClass *window_class = GTK_WINDOW_CLASS (klass);

  object_class->constructed = attn_window_constructed;
  object_class->dispose = attn_window_dispose;
  object_class->finalize = attn_window_finalize;
  object_class->get_property = attn_window_get_property;
  object_class->set_property = attn_window_set_property;

  window_class->close_request = attn_window_close_request;

  /**
   * AttnWindow:document:
   *
   * The document every view, the editor and the walkthrough follow.
   */
  properties [PROP_DOCUMENT] =
    g_param_spec_object ("document", NULL, NULL, ATTN_TYPE_DOCUMENT,
                         (G_PARAM_READABLE | G_PARAM_STATIC_STRINGS));
  /**
   * AttnWindow:busy:
   *
   * Whether a model is loading or the model is running.
   */
  properties [PROP_BUSY] =
    g_param_spec_boolean ("busy", NULL, NULL, FALSE,
                          (G_PARAM_READABLE | G_PARAM_STATIC_STRINGS));
  /**
   * AttnWindow:model:
   *
   * The directory of the model in use, "" for the built-in one.  Setting it
   * loads that model; the property changes once the load succeeds, so the
   * model menu's radio items (the "win.model" action) mark the model in use.
   */
  properties [PROP_MODEL] =
    g_param_spec_string ("model", NULL, NULL, "",
                         (G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS));
  g_object_class_install_properties (object_class, N_PROPS, properties);

  g_type_ensure (ATTN_TYPE_ARC_LINKS_BAR);
  g_type_ensure (ATTN_TYPE_ARC_VIEW);
  g_type_ensure (ATTN_TYPE_HEAD_DESCRIPTION);
  g_type_ensure (ATTN_TYPE_HEAD_GRID);
  g_type_ensure (ATTN_TYPE_HEATMAP_VIEW);
  g_type_ensure (ATTN_TYPE_MODEL_VIEW);
  g_type_ensure (ATTN_TYPE_PAIR_BAR);
  g_type_ensure (ATTN_TYPE_PREDICTIONS_PANEL);
  g_type_ensure (ATTN_TYPE_SENTENCE_EDITOR);
  g_type_ensure (ATTN_TYPE_TOKEN_STRIP);
  g_type_ensure (ATTN_TYPE_WALKTHROUGH);
  g_type_ensure (ATTN_TYPE_WEIGHT_LEGEND);
  g_type_ensure (ATTN_TYPE_FIT_BOX);

  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/com/example/Attention/ui/attn-window.ui");
  gtk_widget_class_bind_template_child (widget_class, AttnWindow, toast_overlay);
  gtk_widget_class_bind_template_child (widget_class, AttnWindow, pair_bar);
  gtk_widget_class_bind_template_child (widget_class, AttnWindow, title_squeezer);
  gtk_widget_class_bind_template_child (widget_class, AttnWindow, window_title);
  gtk_widget_class_bind_template_child (widget_class, AttnWindow, switcher_bar);
  gtk_widget_class_bind_template_child (widget_class, AttnWindow, model_button);
  gtk_widget_class_bind_template_child (widget_class, AttnWindow, export_button);
  gtk_widget_class_bind_template_child (widget_class, AttnWindow, walkthrough_button);
  gtk_widget_class_bind_template_child (widget_class, AttnWindow, layer_spin);
  gtk_widget_class_bind_template_child (widget_class, AttnWindow, head_spin);
  gtk_widget_class_bind_template_child (widget_class, AttnWindow, layer_count_label);
  gtk_widget_class_bind_template_child (widget_class, AttnWindow, head_count_label);
  gtk_widget_class_bind_template_child (widget_class, AttnWindow, flap);
  gtk_widget_class_bind_template_child (widget_class, AttnWindow, walkthrough_slot);
  gtk_widget_class_bind_template_child (widget_class, AttnWindow, editor);
  gtk_widget_class_bind_template_child (widget_class, AttnWindow, notice_revealer);
  gtk_widget_class_bind_template_child (widget_class, AttnWindow, notice_label);
  gtk_widget_class_bind_template_child (widget_class, AttnWindow, token_strip);
  gtk_widget_class_bind_template_child (widget_class, AttnWindow, weight_legend);
  gtk_widget_class_bind_template_child (widget_class, AttnWindow, fit_box);
  gtk_widget_class_bind_template_child (widget_class, AttnWindow, panels_scroller);
  gtk_widget_class_bind_template_child (widget_class, AttnWindow, description_scroller);
  gtk_widget_class_bind_template_child (widget_class, AttnWindow, main_stack);
  gtk_widget_class_bind_template_child (widget_class, AttnWindow, status_page);
  gtk_widget_class_bind_template_child (widget_class, AttnWindow, view_stack);
  gtk_widget_class_bind_template_child (widget_class, AttnWindow, heatmap);
  gtk_widget_class_bind_template_child (widget_class, AttnWindow, arc_view);
  gtk_widget_class_bind_template_child (widget_class, AttnWindow, arc_links_bar);
  gtk_widget_class_bind_template_child (widget_class, AttnWindow, head_grid);
  gtk_widget_class_bind_template_child (widget_class, AttnWindow, predictions_panel);
  gtk_widget_class_bind_template_child (widget_class, AttnWindow, model_view);
  gtk_widget_class_bind_template_child (widget_class, AttnWindow, rank_dropdown);
  gtk_widget_class_bind_template_child (widget_class, AttnWindow, head_description);
  gtk_widget_class_bind_template_callback (widget_class, head_grid_head_activated_cb);

  _attn_window_class_actions_init (widget_class);
  _attn_window_class_hub_init (widget_class);
  _attn_window_class_learn_init (widget_class);
  _attn_window_class_detectors_init (widget_class);
  _attn_window_class_compare_init (widget_class);
  _attn_window_class_modes_init (widget_class);
}

static void
attn_window_init (AttnWindow *self)
{
  GMenu *model_menu;
  g_autoptr(GMenu) main_section = g_menu_new ();
  g_autoptr(GMenuItem) builtin_item = NULL;
  g_autofree char *builtin_label = NULL;

  /* Before the template: its children bind to the document. */
  self->document = attn_document_new ();
  self->main_view = g_strdup ("heatmap");
  self->model = g_strdup ("");
  self->initial_query = g_getenv ("ATTENTION_SELECT_QUERY")
                        ? (int) g_ascii_strtoll (g_getenv ("ATTENTION_SELECT_QUERY"), NULL, 10)
                        : -1;

  gtk_widget_init_template (GTK_WIDGET (self));

  model_menu = g_menu_new ();
  /* Translators: %s is the built-in model's name, e.g. minigpt-en */
  builtin_label = g_strdup_printf (_("_Built-in Model (%s)"), ATTN_BUILTIN_MODEL);
  builtin_item = g_menu_item_new (builtin_label, NULL);
  g_menu_item_set_action_and_target_value (builtin_item, "win.model", g_variant_new_string (""));
  g_menu_append_item (main_section, builtin_item);
  g_menu_append (main_section, _("_Open Model Folder…"), "win.open-model");
  g_menu_append (main_section, _("_Download a Model…"), "win.download-model");
  g_menu_append (main_section, _("About This _Model"), "win.model-info");
  g_menu_append_section (model_menu, NULL, G_MENU_MODEL (main_section));
  self->hub_menu = g_menu_new ();
  g_menu_append_section (model_menu, _("Hugging Face Cache"), G_MENU_MODEL (self->hub_menu));
  self->recent_menu = g_menu_new ();
  g_menu_append_section (model_menu, _("Recent Models"), G_MENU_MODEL (self->recent_menu));
  gtk_menu_button_set_menu_model (self->model_button, G_MENU_MODEL (model_menu));
  g_object_unref (model_menu);

  g_object_bind_property (self->layer_spin, "value", self->document, "layer",
                          G_BINDING_BIDIRECTIONAL | G_BINDING_SYNC_CREATE);
  g_object_bind_property (self->head_spin, "value", self->document, "head",
                          G_BINDING_BIDIRECTIONAL | G_BINDING_SYNC_CREATE);

  g_signal_connect_object (self->document, "notify::result",
                           G_CALLBACK (document_result_changed_cb), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (self->document, "notify::error-message",
                           G_CALLBACK (update_notice), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (self->document, "notify::busy",
                           G_CALLBACK (document_busy_changed_cb), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (self->view_stack, "notify::visible-child-name",
                           G_CALLBACK (view_stack_visible_child_changed_cb), self,
                           G_CONNECT_SWAPPED);

  /* The walkthrough toggle shows once the pane has something in it. */
  gtk_widget_set_visible (GTK_WIDGET (self->walkthrough_button),
                          gtk_widget_get_first_child (GTK_WIDGET (self->walkthrough_slot)) != NULL);

  attn_arc_links_bar_set_arc_view (self->arc_links_bar, self->arc_view);
  _attn_window_actions_init (self);
  _attn_window_fold_init (self);
  _attn_window_detectors_init (self);
  _attn_window_compare_init (self);
  update_status (self);
}

AttnWindow *
attn_window_new (AttnApplication *application)
{
  return g_object_new (ATTN_TYPE_WINDOW,
                       "application", application,
                       NULL);
}

AttnDocument *
attn_window_get_document (AttnWindow *self)
{
  g_return_val_if_fail (ATTN_IS_WINDOW (self), NULL);
  return self->document;
}

const char *
_attn_window_get_last_error (AttnWindow *self)
{
  g_return_val_if_fail (ATTN_IS_WINDOW (self), NULL);
  return self->last_error;
}

gboolean
_attn_window_is_loading (AttnWindow *self)
{
  g_return_val_if_fail (ATTN_IS_WINDOW (self), FALSE);
  return is_loading (self);
}
