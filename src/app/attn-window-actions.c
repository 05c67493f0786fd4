/* attn-window-actions.c
 *
 * Copyright 2026 The Attention authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The window's actions and keyboard shortcuts: models, navigation over
 * layers, heads and tokens, zoom, export.
 */

#define G_LOG_DOMAIN "attn-window"

#include "config.h"

#include <glib/gi18n.h>

#include <string.h>

#include "attn-display.h"
#include "attn-export.h"
#include "attn-export-task.h"
#include "attn-focus-keys.h"
#include "attn-matrix-values.h"
#include "attn-model-info.h"
#include "attn-values.h"
#include "attn-window-private.h"

/* -------------------------------------------------------------------------- */
/* Models                                                                     */

static void
chooser_response_cb (AttnWindow           *self,
                     int                   response,
                     GtkFileChooserNative *chooser);

static GtkFileChooserNative *
run_chooser (AttnWindow           *self,
             const char           *title,
             GtkFileChooserAction  action,
             const char           *accept)
{
  if (self->chooser != NULL)
    gtk_native_dialog_destroy (GTK_NATIVE_DIALOG (self->chooser));
  g_clear_object (&self->chooser);

  self->chooser = gtk_file_chooser_native_new (title, GTK_WINDOW (self), action, accept, NULL);
  gtk_native_dialog_set_modal (GTK_NATIVE_DIALOG (self->chooser), TRUE);
  g_signal_connect_object (self->chooser, "response",
                           G_CALLBACK (chooser_response_cb), self, G_CONNECT_SWAPPED);
  return self->chooser;
}

static void
open_model_action (GtkWidget  *widget,
                   const char *action_name,
                   GVariant   *parameter)
{
  AttnWindow *self = ATTN_WINDOW (widget);
  GtkFileChooserNative *chooser;

  chooser = run_chooser (self, _("Open Model Folder"), GTK_FILE_CHOOSER_ACTION_SELECT_FOLDER,
                         _("_Open"));
  g_object_set_data (G_OBJECT (chooser), "attn-purpose", (gpointer) "model");
  gtk_native_dialog_show (GTK_NATIVE_DIALOG (chooser));
}

/* The model's architecture and size, the rows `attention-cli info` gives,
 * in a dialog with a two-column grid. */
static void
model_info_action (GtkWidget  *widget,
                   const char *action_name,
                   GVariant   *parameter)
{
  AttnWindow *self = ATTN_WINDOW (widget);
  AttnEngine *engine = attn_document_get_engine (self->document);
  g_autoptr(GPtrArray) rows = NULL;
  g_autofree char *summary = NULL;
  GtkWidget *dialog, *grid;

  if (engine == NULL)
    return;

  rows = attn_model_info_rows (engine);
  summary = attn_model_info_summary (engine);
  dialog = adw_message_dialog_new (GTK_WINDOW (self), _("About This Model"), summary);
  grid = gtk_grid_new ();
  gtk_grid_set_column_spacing (GTK_GRID (grid), 18);
  gtk_grid_set_row_spacing (GTK_GRID (grid), 6);
  for (guint i = 0; i < rows->len; i++)
    {
      AttnModelInfoRow *row = g_ptr_array_index (rows, i);
      GtkWidget *label = gtk_label_new (row->label);
      GtkWidget *value = gtk_label_new (row->value);

      gtk_widget_add_css_class (label, "dim-label");
      gtk_label_set_xalign (GTK_LABEL (label), 1.0);
      gtk_label_set_xalign (GTK_LABEL (value), 0.0);
      gtk_label_set_wrap (GTK_LABEL (value), TRUE);
      gtk_label_set_max_width_chars (GTK_LABEL (value), 40);
      gtk_label_set_selectable (GTK_LABEL (value), TRUE);
      gtk_grid_attach (GTK_GRID (grid), label, 0, (int) i, 1, 1);
      gtk_grid_attach (GTK_GRID (grid), value, 1, (int) i, 1, 1);
    }
  adw_message_dialog_set_extra_child (ADW_MESSAGE_DIALOG (dialog), grid);
  adw_message_dialog_add_response (ADW_MESSAGE_DIALOG (dialog), "close", _("_Close"));
  gtk_window_present (GTK_WINDOW (dialog));
}

/* -------------------------------------------------------------------------- */
/* Export                                                                     */

void
_attn_window_export_done (AttnWindow *self,
                          GFile      *file,
                          gboolean    success,
                          GError     *error)
{
  g_autofree char *message = NULL;
  g_autofree char *name = g_file_get_basename (file);
  AdwToast *toast;

  if (!success)
    {
      /* Translators: %s says why an export failed */
      message = g_strdup_printf (_("Could not export: %s"), error->message);
      _attn_window_show_error (self, _("Could Not Export"), error->message, message);
      return;
    }

  /* Translators: %s is a file name */
  message = g_strdup_printf (_("Exported “%s”"), name);
  toast = adw_toast_new (message);
  adw_toast_set_button_label (toast, _("_Open"));
  adw_toast_set_action_name (toast, "win.open-exported");
  adw_toast_set_action_target_value (toast, g_variant_new_take_string (g_file_get_uri (file)));
  adw_toast_overlay_add_toast (self->toast_overlay, toast);
}

void
_attn_window_export_choices_init (AttnWindow        *self,
                                  AttnExportChoices *choices)
{
  choices->png_scale = 2;
  choices->dark = adw_style_manager_get_dark (adw_style_manager_get_default ());
  choices->show_title = TRUE;
  choices->show_colorbar = TRUE;
  choices->range = ATTN_EXPORT_RANGE_MODEL;
}

/* What one export writes, gathered on the main thread from the window's
 * state; the writing itself may then run anywhere. */
typedef struct
{
  AttnResult          *result;     /* borrowed from the document */
  gboolean             values;
  AttnValuesSelection  selection;
  guint                layer;
  guint                head;
  AttnValuesFormat     format;
  AttnFigureOptions    options;
} ExportRequest;

/* The Links filter of a pair as the views show it; every link for a text
 * without a pair (the filter kept from one would refuse it). */
AttnPairFilter
_attn_window_get_pair_filter (AttnWindow *self,
                              AttnResult *result)
{
  return result != NULL && attn_result_has_pair (result)
         ? (AttnPairFilter) attn_attention_view_get_display (ATTN_ATTENTION_VIEW (self->heatmap))->pairs
         : ATTN_PAIR_FILTER_ALL;
}

static gboolean
prepare_export (AttnWindow              *self,
                const char              *purpose,
                const char              *path,
                const AttnExportChoices *choices,
                ExportRequest           *request,
                GError                 **error)
{
  AttnResult *result = attn_document_get_view_result (self->document);
  AttnEngine *engine = attn_document_get_engine (self->document);
  AttnExportChoices defaults;

  memset (request, 0, sizeof *request);

  if (choices == NULL)
    {
      _attn_window_export_choices_init (self, &defaults);
      choices = &defaults;
    }

  if (result == NULL)
    {
      g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_FAILED,
                           _("There are no attention weights to export yet"));
      return FALSE;
    }
  request->result = result;

  if (g_strcmp0 (purpose, "values") == 0)
    {
      AttnValuesSelection *selection = &request->selection;

      request->values = TRUE;
      request->layer = attn_document_get_layer (self->document);
      request->head = attn_document_get_head (self->document);
      if (choices->range != ATTN_EXPORT_RANGE_MODEL)
        {
          selection->layers = &request->layer;
          selection->n_layers = 1;
        }
      if (choices->range == ATTN_EXPORT_RANGE_HEAD)
        {
          selection->heads = &request->head;
          selection->n_heads = 1;
        }
      selection->n_ctx = engine ? attn_engine_get_n_ctx (engine) : 0;
      /* the Links filter of a pair: the numbers of the links on screen */
      selection->pairs = _attn_window_get_pair_filter (self, result);
      if (!attn_values_format_from_path (path, &request->format))
        request->format = ATTN_VALUES_CSV;
    }
  else
    {
      AttnFigureOptions *options = &request->options;
      AttnAttentionView *view = ATTN_ATTENTION_VIEW (self->heatmap);
      const char *page = adw_view_stack_get_visible_child_name (self->view_stack);

      /* The figure looks like the screen: same view, head, selection and colours. */
      attn_figure_options_init (options);
      if (!attn_view_from_string (page, &options->view))
        options->view = ATTN_VIEW_HEATMAP;
      options->layer = attn_document_get_layer (self->document);
      options->head = attn_document_get_head (self->document);
      options->query = attn_document_get_view_query (self->document);
      options->key = options->query >= 0 ? attn_document_get_view_key (self->document) : -1;
      options->colormap = attn_attention_view_get_colormap (view);
      options->scale = attn_attention_view_get_scale (view);
      options->display = *attn_attention_view_get_display (view);
      options->threshold = attn_arc_view_get_threshold (self->arc_view);
      attn_arc_links_from_string (attn_arc_view_get_links (self->arc_view), &options->arc_links);
      options->top_k = attn_arc_view_get_top_k (self->arc_view);
      options->show_values = TRUE;
      options->png_scale = choices->png_scale;
      options->dark = choices->dark;
      options->show_title = choices->show_title;
      options->show_colorbar = choices->show_colorbar;
      options->all_heads = g_strcmp0 (purpose, "all-heads") == 0;
      _attn_window_detectors_fill_figure (self, options);
      _attn_window_compare_fill_figure (self, options);
      /* the heatmap page's Δ or rollout mode draws that */
      if (!options->all_heads && !_attn_window_modes_figure (self, options, error))
        return FALSE;
    }
  return TRUE;
}

gboolean
_attn_window_export (AttnWindow              *self,
                     const char              *purpose,
                     const char              *path,
                     const AttnExportChoices *choices,
                     GError                 **error)
{
  ExportRequest request;

  if (g_strcmp0 (purpose, "values") == 0 && _attn_window_modes_has_values (self))
    return _attn_window_modes_write_values (self, path, error);
  if (!prepare_export (self, purpose, path, choices, &request, error))
    return FALSE;

  if (request.values)
    return attn_values_write_file (request.result, &request.selection, request.format, path, NULL, error);
  return attn_export_figure (request.result, &request.options, path, NULL, error);
}

static void
export_written_cb (GObject      *source,
                   GAsyncResult *async_result,
                   gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  GError *error = NULL;
  gboolean ok;

  if (g_task_get_task_data (task) == GINT_TO_POINTER (2))
    ok = attn_matrix_values_write_file_finish (async_result, &error);
  else if (g_task_get_task_data (task) != NULL)
    ok = attn_values_write_file_finish (async_result, &error);
  else
    ok = attn_export_figure_finish (async_result, &error);

  if (ok)
    g_task_return_boolean (task, TRUE);
  else
    g_task_return_error (task, error);
}

/* The same off the main thread: drawing a long text's figure or writing
 * every head's weights takes seconds, and the window keeps painting. */
void
_attn_window_export_async (AttnWindow              *self,
                           const char              *purpose,
                           const char              *path,
                           const AttnExportChoices *choices,
                           GAsyncReadyCallback      callback,
                           gpointer                 user_data)
{
  g_autoptr(GTask) task = g_task_new (self, NULL, callback, user_data);
  GError *error = NULL;
  ExportRequest request;

  g_task_set_source_tag (task, _attn_window_export_async);
  if (g_strcmp0 (purpose, "values") == 0 && _attn_window_modes_has_values (self))
    {
      /* Δ or rollout as numbers: the task data marks that writer */
      g_task_set_task_data (task, GINT_TO_POINTER (2), NULL);
      if (!_attn_window_modes_write_values_async (self, path, export_written_cb, g_object_ref (task), &error))
        {
          g_object_unref (task);
          g_task_return_error (task, error);
        }
      return;
    }
  if (!prepare_export (self, purpose, path, choices, &request, &error))
    {
      g_task_return_error (task, error);
      return;
    }

  /* The task data only marks which writer's finish to call. */
  if (request.values)
    {
      g_task_set_task_data (task, GINT_TO_POINTER (TRUE), NULL);
      attn_values_write_file_async (request.result, &request.selection, request.format, path,
                                    NULL, export_written_cb, g_object_ref (task));
    }
  else
    attn_export_figure_async (request.result, &request.options, path,
                              NULL, export_written_cb, g_object_ref (task));
}

gboolean
_attn_window_export_finish (AttnWindow    *self,
                            GAsyncResult  *result,
                            GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);

  return g_task_propagate_boolean (G_TASK (result), error);
}

/* The export options ride in the save dialog itself, as GtkFileChooser
 * choices, so exporting stays one dialog.  GTK 4.8's dialog ignores
 * set_choice() for lists, so each list names its default first. */
static void
add_export_choices (AttnWindow     *self,
                    GtkFileChooser *chooser,
                    gboolean        values)
{
  AttnExportChoices defaults;

  _attn_window_export_choices_init (self, &defaults);

  if (values)
    {
      const char *ids[] = { "model", "layer", "head", NULL };
      const char *labels[] = { _("Every layer and head"), _("This layer"), _("This head"), NULL };

      gtk_file_chooser_add_choice (chooser, "range", _("Weights"), ids, labels);
    }
  else
    {
      const char *scale_ids[] = { "2", "1", "4", NULL, NULL };
      const char *scale_labels[] = { _("PNG ×2"), _("PNG ×1"), _("PNG ×4"), NULL, NULL };
      AttnResult *result = attn_document_get_view_result (self->document);
      g_autofree char *pixel_id = NULL;
      g_autofree char *pixel_label = NULL;
      const char *light_first[] = { "light", "dark", NULL };
      const char *dark_first[] = { "dark", "light", NULL };
      const char *light_first_labels[] = { _("Light"), _("Dark"), NULL };
      const char *dark_first_labels[] = { _("Dark"), _("Light"), NULL };

      /* A long text's heatmap has cells under a pixel at ×1 (scaled down,
       * each pixel the strongest cell it covers): the dialog says so and
       * offers, first, the scale that gives every cell a pixel. */
      if (result != NULL && attn_result_has_trace (result))
        {
          AttnFigureOptions options;
          guint pixel_scale;

          attn_figure_options_init (&options);
          options.layer = attn_document_get_layer (self->document);
          options.head = attn_document_get_head (self->document);
          pixel_scale = attn_figure_get_pixel_scale (result, &options);
          if (pixel_scale > 1)
            {
              pixel_id = g_strdup_printf ("%u", pixel_scale);
              /* Translators: export scale for a long text; %u are the scale and the number of tokens */
              pixel_label = g_strdup_printf (_("PNG ×%u: a pixel per cell (%u tokens; smaller scales pool cells)"),
                                             pixel_scale, attn_result_get_n_tokens (result));
              guint n = 3;

              /* ×2 or ×4 itself: that entry moves first with the new label */
              for (guint i = 0; i < n; i++)
                if (g_str_equal (scale_ids[i], pixel_id))
                  {
                    memmove (scale_ids + i, scale_ids + i + 1, (n - i) * sizeof *scale_ids);
                    memmove (scale_labels + i, scale_labels + i + 1, (n - i) * sizeof *scale_labels);
                    n--;
                    break;
                  }
              memmove (scale_ids + 1, scale_ids, (n + 1) * sizeof *scale_ids);
              memmove (scale_labels + 1, scale_labels, (n + 1) * sizeof *scale_labels);
              scale_ids[0] = pixel_id;
              scale_labels[0] = pixel_label;
            }
        }

      gtk_file_chooser_add_choice (chooser, "scale", _("Scale"), scale_ids, scale_labels);
      gtk_file_chooser_add_choice (chooser, "theme", _("Theme"),
                                   defaults.dark ? dark_first : light_first,
                                   defaults.dark ? dark_first_labels : light_first_labels);
      gtk_file_chooser_add_choice (chooser, "title", _("Title line"), NULL, NULL);
      gtk_file_chooser_set_choice (chooser, "title", "true");
      gtk_file_chooser_add_choice (chooser, "colorbar", _("Colour bar"), NULL, NULL);
      gtk_file_chooser_set_choice (chooser, "colorbar", "true");
    }
}

/* Only the choices this dialog has: asking GTK 4.8 for another one warns
 * "No choice with id …" on every export. */
static void
read_export_choices (AttnWindow        *self,
                     GtkFileChooser    *chooser,
                     gboolean           values,
                     AttnExportChoices *choices)
{
  const char *value;

  _attn_window_export_choices_init (self, choices);

  if (values)
    {
      if ((value = gtk_file_chooser_get_choice (chooser, "range")) != NULL)
        choices->range = g_str_equal (value, "head") ? ATTN_EXPORT_RANGE_HEAD
                       : g_str_equal (value, "layer") ? ATTN_EXPORT_RANGE_LAYER
                       : ATTN_EXPORT_RANGE_MODEL;
      return;
    }

  if ((value = gtk_file_chooser_get_choice (chooser, "scale")) != NULL)
    choices->png_scale = g_ascii_strtod (value, NULL);
  if ((value = gtk_file_chooser_get_choice (chooser, "theme")) != NULL)
    choices->dark = g_str_equal (value, "dark");
  if ((value = gtk_file_chooser_get_choice (chooser, "title")) != NULL)
    choices->show_title = g_str_equal (value, "true");
  if ((value = gtk_file_chooser_get_choice (chooser, "colorbar")) != NULL)
    choices->show_colorbar = g_str_equal (value, "true");
}

static void
export_finished_cb (GObject      *source,
                    GAsyncResult *result,
                    gpointer      user_data)
{
  AttnWindow *self = ATTN_WINDOW (source);
  g_autoptr(GFile) file = user_data;
  g_autoptr(GError) error = NULL;
  gboolean success;

  success = _attn_window_export_finish (self, result, &error);
  _attn_window_export_done (self, file, success, error);
}

static void
export_to_file (AttnWindow              *self,
                const char              *purpose,
                GFile                   *file,
                const AttnExportChoices *choices)
{
  g_autofree char *path = g_file_get_path (file);

  if (path == NULL)
    return;

  _attn_window_export_async (self, purpose, path, choices, export_finished_cb, g_object_ref (file));
}

static void
export_action (GtkWidget  *widget,
               const char *action_name,
               GVariant   *parameter)
{
  AttnWindow *self = ATTN_WINDOW (widget);
  GtkFileChooserNative *chooser;
  const char *purpose;
  g_autofree char *name = NULL;
  g_autoptr(GtkFileFilter) filter = gtk_file_filter_new ();

  if (g_str_equal (action_name, "win.export-values"))
    {
      purpose = "values";
      name = g_strdup ("attention-weights.csv");
      gtk_file_filter_set_name (filter, _("Values (CSV, JSON, NPY)"));
      gtk_file_filter_add_suffix (filter, "csv");
      gtk_file_filter_add_suffix (filter, "json");
      gtk_file_filter_add_suffix (filter, "npy");
    }
  else
    {
      gboolean all_heads = g_str_equal (action_name, "win.export-all-heads");

      purpose = all_heads ? "all-heads" : "view";
      if (all_heads)
        name = g_strdup ("attention-all-heads.pdf");
      else
        name = g_strdup_printf ("attention-%s-L%u-H%u.png",
                                adw_view_stack_get_visible_child_name (self->view_stack),
                                attn_document_get_layer (self->document),
                                attn_document_get_head (self->document));
      gtk_file_filter_set_name (filter, _("Images (PNG, SVG, PDF)"));
      gtk_file_filter_add_suffix (filter, "png");
      gtk_file_filter_add_suffix (filter, "svg");
      gtk_file_filter_add_suffix (filter, "pdf");
    }

  chooser = run_chooser (self, _("Export"), GTK_FILE_CHOOSER_ACTION_SAVE, _("_Export"));
  g_object_set_data (G_OBJECT (chooser), "attn-purpose", (gpointer) purpose);
  gtk_file_chooser_add_filter (GTK_FILE_CHOOSER (chooser), filter);
  gtk_file_chooser_set_current_name (GTK_FILE_CHOOSER (chooser), name);
  add_export_choices (self, GTK_FILE_CHOOSER (chooser), g_str_equal (purpose, "values"));
  gtk_native_dialog_show (GTK_NATIVE_DIALOG (chooser));
}

static void
open_exported_action (GtkWidget  *widget,
                      const char *action_name,
                      GVariant   *parameter)
{
  gtk_show_uri (GTK_WINDOW (widget), g_variant_get_string (parameter, NULL), GDK_CURRENT_TIME);
}

static void
chooser_response_cb (AttnWindow           *self,
                     int                   response,
                     GtkFileChooserNative *chooser)
{
  const char *purpose = g_object_get_data (G_OBJECT (chooser), "attn-purpose");
  g_autoptr(GFile) file = NULL;

  if (response == GTK_RESPONSE_ACCEPT)
    file = gtk_file_chooser_get_file (GTK_FILE_CHOOSER (chooser));

  if (file != NULL && g_strcmp0 (purpose, "model") == 0)
    {
      g_autofree char *path = g_file_get_path (file);

      if (path != NULL)
        attn_window_open_model (self, path);
    }
  else if (file != NULL)
    {
      AttnExportChoices choices;

      read_export_choices (self, GTK_FILE_CHOOSER (chooser), g_strcmp0 (purpose, "values") == 0, &choices);
      export_to_file (self, purpose, file, &choices);
    }

  if (self->chooser == chooser)
    g_clear_object (&self->chooser);
}

/* -------------------------------------------------------------------------- */
/* Navigation                                                                 */

/* win.next-layer, win.previous-layer, win.next-head, win.previous-head */
static void
step_action (GtkWidget  *widget,
             const char *action_name,
             GVariant   *parameter)
{
  AttnWindow *self = ATTN_WINDOW (widget);
  AttnEngine *engine = attn_document_get_engine (self->document);
  gboolean layer = g_str_has_suffix (action_name, "-layer");
  int delta = g_str_has_prefix (action_name, "win.next-") ? 1 : -1;
  int n;
  guint value;

  if (engine == NULL)
    return;

  n = layer ? attn_engine_get_n_layers (engine) : attn_engine_get_n_heads (engine);
  value = layer ? attn_document_get_layer (self->document)
                : attn_document_get_head (self->document);
  value = CLAMP ((int) value + delta, 0, MAX (n, 1) - 1);

  if (layer)
    attn_document_set_layer (self->document, value);
  else
    attn_document_set_head (self->document, value);
}

static void
token_action (GtkWidget  *widget,
              const char *action_name,
              GVariant   *parameter)
{
  AttnWindow *self = ATTN_WINDOW (widget);
  AttnResult *result = attn_document_get_view_result (self->document);
  int query = attn_document_get_view_query (self->document);
  int n;

  if (result == NULL || (n = attn_result_get_n_tokens (result)) == 0)
    return;

  if (g_str_equal (action_name, "win.next-token"))
    query = query < 0 ? 0 : MIN (query + 1, n - 1);
  else
    query = query < 0 ? n - 1 : MAX (query - 1, 0);

  _attn_select_query (self->document, query);
}

/* Escape goes back to "all links": no query, no key. */
static void
clear_query_action (GtkWidget  *widget,
                    const char *action_name,
                    GVariant   *parameter)
{
  AttnWindow *self = ATTN_WINDOW (widget);

  attn_document_set_query (self->document, -1);
  attn_document_set_key (self->document, -1);
}

/* A token hidden from the maps' colours (or shown again), as the first
 * token is by "Hide First Token". */
static void
hide_token_action (GtkWidget  *widget,
                   const char *action_name,
                   GVariant   *parameter)
{
  AttnWindow *self = ATTN_WINDOW (widget);
  int token = g_variant_get_int32 (parameter);

  if (token < 0)
    return;
  if (!attn_display_set_hidden (&self->hidden, token, !attn_display_hides (&self->hidden, token)))
    {
      g_autofree char *message = g_strdup_printf (_("At most %d tokens can be hidden"),
                                                  ATTN_DISPLAY_MAX_HIDDEN);

      adw_toast_overlay_add_toast (self->toast_overlay, adw_toast_new (message));
    }
  _attn_window_apply_display (self);
}

static void
show_all_tokens_action (GtkWidget  *widget,
                        const char *action_name,
                        GVariant   *parameter)
{
  AttnWindow *self = ATTN_WINDOW (widget);

  attn_display_init (&self->hidden);
  g_settings_set_boolean (self->settings, "hide-first-token", FALSE);
  _attn_window_apply_display (self);
}

static void
focus_editor_action (GtkWidget  *widget,
                     const char *action_name,
                     GVariant   *parameter)
{
  attn_sentence_editor_focus (ATTN_WINDOW (widget)->editor);
}

/* win.zoom-cells(N): one cell = N px, 0: fit (the zoom menu) */
static void
zoom_cells_action (GtkWidget  *widget,
                   const char *action_name,
                   GVariant   *parameter)
{
  AttnWindow *self = ATTN_WINDOW (widget);

  adw_view_stack_set_visible_child_name (self->view_stack, "heatmap");
  attn_heatmap_view_set_zoom (self->heatmap, g_variant_get_int32 (parameter));
}

static void
zoom_action (GtkWidget  *widget,
             const char *action_name,
             GVariant   *parameter)
{
  AttnWindow *self = ATTN_WINDOW (widget);

  adw_view_stack_set_visible_child_name (self->view_stack, "heatmap");

  if (g_str_equal (action_name, "win.zoom-in"))
    attn_heatmap_view_zoom_in (self->heatmap);
  else if (g_str_equal (action_name, "win.zoom-out"))
    attn_heatmap_view_zoom_out (self->heatmap);
  else
    attn_heatmap_view_set_zoom (self->heatmap, 0);
}

static void
toggle_walkthrough_action (GtkWidget  *widget,
                           const char *action_name,
                           GVariant   *parameter)
{
  AttnWindow *self = ATTN_WINDOW (widget);

  if (gtk_widget_get_visible (GTK_WIDGET (self->walkthrough_button)))
    adw_flap_set_reveal_flap (self->flap, !adw_flap_get_reveal_flap (self->flap));
}

/* Alt+1 … Alt+9: the views in the switcher's order (a hidden page, were
 * there one, not counted), as GNOME apps switch views and tabs; a number
 * past the last does nothing. */
static void
show_view_action (GtkWidget  *widget,
                  const char *action_name,
                  GVariant   *parameter)
{
  AttnWindow *self = ATTN_WINDOW (widget);
  g_autoptr(GtkSelectionModel) pages = adw_view_stack_get_pages (self->view_stack);
  int wanted = g_variant_get_int32 (parameter), number = 0;

  for (guint i = 0; i < g_list_model_get_n_items (G_LIST_MODEL (pages)); i++)
    {
      g_autoptr(AdwViewStackPage) page = g_list_model_get_item (G_LIST_MODEL (pages), i);

      if (adw_view_stack_page_get_visible (page) && ++number == wanted)
        {
          adw_view_stack_set_visible_child (self->view_stack, adw_view_stack_page_get_child (page));
          return;
        }
    }
}

/* Plain keys (arrows, Page Up/Down, brackets, Escape) act on the views, but never
 * while the user types, nor where the focus widget uses the key itself (the
 * heatmap's cell cursor, the heads' cursor, switchers and rows of buttons,
 * lists, sliders: attn-focus-keys.c), nor in a popover. */
static gboolean
focus_takes_key (AttnWindow *self,
                 guint       keyval)
{
  GtkWidget *focus = gtk_root_get_focus (GTK_ROOT (self));

  if (focus == NULL)
    return FALSE;

  if (gtk_widget_get_native (focus) != GTK_NATIVE (self))
    return TRUE;

  return attn_focus_uses_key (focus, GTK_WIDGET (self), keyval);
}

static gboolean
plain_key_cb (GtkWidget *widget,
              GVariant  *args,
              gpointer   user_data)
{
  AttnWindow *self = ATTN_WINDOW (widget);
  guint keyval;
  const char *action;

  g_variant_get (args, "(u&s)", &keyval, &action);

  if (focus_takes_key (self, keyval))
    return FALSE;

  /* Folded over the views (a narrow window), the walkthrough is what
   * Escape dismisses first; beside them it is part of the window. */
  if (keyval == GDK_KEY_Escape && adw_flap_get_folded (self->flap) && adw_flap_get_reveal_flap (self->flap))
    {
      adw_flap_set_reveal_flap (self->flap, FALSE);
      return TRUE;
    }

  /* With nothing to clear, Escape goes on to whoever else wants it. */
  if (keyval == GDK_KEY_Escape
      && attn_document_get_query (self->document) < 0
      && attn_document_get_key (self->document) < 0)
    return FALSE;

  return gtk_widget_activate_action (widget, action, NULL);
}

static void
add_plain_key (GtkShortcutController *controller,
               guint                  keyval,
               const char            *action)
{
  GtkShortcut *shortcut;

  shortcut = gtk_shortcut_new (gtk_keyval_trigger_new (keyval, 0),
                               gtk_callback_action_new (plain_key_cb, NULL, NULL));
  gtk_shortcut_set_arguments (shortcut, g_variant_new ("(us)", keyval, action));
  gtk_shortcut_controller_add_shortcut (controller, shortcut);
}

/* -------------------------------------------------------------------------- */

void
_attn_window_update_actions (AttnWindow *self)
{
  gboolean has_engine = attn_document_get_engine (self->document) != NULL;
  gboolean has_result = attn_document_get_result (self->document) != NULL;

  gtk_widget_action_set_enabled (GTK_WIDGET (self), "win.next-layer", has_engine);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "win.previous-layer", has_engine);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "win.next-head", has_engine);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "win.previous-head", has_engine);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "win.next-token", has_result);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "win.previous-token", has_result);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "win.export-view", has_result);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "win.export-all-heads", has_result);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "win.export-values", has_result);
  gtk_widget_set_sensitive (GTK_WIDGET (self->layer_spin), has_engine);
  gtk_widget_set_sensitive (GTK_WIDGET (self->head_spin), has_engine);
}

void
_attn_window_actions_init (AttnWindow *self)
{
  GtkEventController *controller;

  /* Capture phase: these keys must reach the window before a focused
   * button or scrolled window spends them on focus moves or scrolling. */
  controller = gtk_shortcut_controller_new ();
  gtk_event_controller_set_propagation_phase (controller, GTK_PHASE_CAPTURE);
  add_plain_key (GTK_SHORTCUT_CONTROLLER (controller), GDK_KEY_Left, "win.previous-token");
  add_plain_key (GTK_SHORTCUT_CONTROLLER (controller), GDK_KEY_Right, "win.next-token");
  add_plain_key (GTK_SHORTCUT_CONTROLLER (controller), GDK_KEY_Page_Up, "win.previous-layer");
  add_plain_key (GTK_SHORTCUT_CONTROLLER (controller), GDK_KEY_Page_Down, "win.next-layer");
  add_plain_key (GTK_SHORTCUT_CONTROLLER (controller), GDK_KEY_bracketleft, "win.previous-head");
  add_plain_key (GTK_SHORTCUT_CONTROLLER (controller), GDK_KEY_bracketright, "win.next-head");
  add_plain_key (GTK_SHORTCUT_CONTROLLER (controller), GDK_KEY_Escape, "win.clear-query");
  gtk_widget_add_controller (GTK_WIDGET (self), controller);

  _attn_window_update_actions (self);
}

void
_attn_window_class_actions_init (GtkWidgetClass *widget_class)
{
  gtk_widget_class_install_action (widget_class, "win.open-model", NULL, open_model_action);
  gtk_widget_class_install_action (widget_class, "win.model-info", NULL, model_info_action);
  /* Radio items in the model menu: the built-in model ("") and recent ones. */
  gtk_widget_class_install_property_action (widget_class, "win.model", "model");
  gtk_widget_class_install_action (widget_class, "win.focus-editor", NULL, focus_editor_action);
  gtk_widget_class_install_action (widget_class, "win.hide-token", "i", hide_token_action);
  gtk_widget_class_install_action (widget_class, "win.show-all-tokens", NULL, show_all_tokens_action);
  gtk_widget_class_install_action (widget_class, "win.export-view", NULL, export_action);
  gtk_widget_class_install_action (widget_class, "win.export-all-heads", NULL, export_action);
  gtk_widget_class_install_action (widget_class, "win.export-values", NULL, export_action);
  gtk_widget_class_install_action (widget_class, "win.open-exported", "s", open_exported_action);
  gtk_widget_class_install_action (widget_class, "win.next-layer", NULL, step_action);
  gtk_widget_class_install_action (widget_class, "win.previous-layer", NULL, step_action);
  gtk_widget_class_install_action (widget_class, "win.next-head", NULL, step_action);
  gtk_widget_class_install_action (widget_class, "win.previous-head", NULL, step_action);
  gtk_widget_class_install_action (widget_class, "win.next-token", NULL, token_action);
  gtk_widget_class_install_action (widget_class, "win.previous-token", NULL, token_action);
  gtk_widget_class_install_action (widget_class, "win.clear-query", NULL, clear_query_action);
  gtk_widget_class_install_action (widget_class, "win.zoom-in", NULL, zoom_action);
  gtk_widget_class_install_action (widget_class, "win.zoom-out", NULL, zoom_action);
  gtk_widget_class_install_action (widget_class, "win.zoom-fit", NULL, zoom_action);
  gtk_widget_class_install_action (widget_class, "win.zoom-cells", "i", zoom_cells_action);
  gtk_widget_class_install_action (widget_class, "win.toggle-walkthrough", NULL,
                                   toggle_walkthrough_action);
  gtk_widget_class_install_action (widget_class, "win.show-view", "i", show_view_action);

  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_o, GDK_CONTROL_MASK,
                                       "win.open-model", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_l, GDK_CONTROL_MASK,
                                       "win.focus-editor", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_e, GDK_CONTROL_MASK,
                                       "win.export-view", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_plus, GDK_CONTROL_MASK,
                                       "win.zoom-in", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_equal, GDK_CONTROL_MASK,
                                       "win.zoom-in", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_KP_Add, GDK_CONTROL_MASK,
                                       "win.zoom-in", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_minus, GDK_CONTROL_MASK,
                                       "win.zoom-out", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_KP_Subtract, GDK_CONTROL_MASK,
                                       "win.zoom-out", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_0, GDK_CONTROL_MASK,
                                       "win.zoom-fit", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_F9, 0,
                                       "win.toggle-walkthrough", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_w, GDK_CONTROL_MASK,
                                       "window.close", NULL);
  for (int number = 1; number <= 9; number++)
    gtk_widget_class_add_binding_action (widget_class, GDK_KEY_1 + number - 1, GDK_ALT_MASK,
                                         "win.show-view", "i", number);
}
