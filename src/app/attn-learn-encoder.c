/* attn-learn-encoder.c
 *
 * Copyright 2026 The Attention authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "attn-learn-encoder"

#include "config.h"

#include <glib/gi18n.h>

#include "attn-hub-cache.h"
#include "attn-hub-models.h"
#include "attn-learn-encoder.h"
#include "attn-learn-example.h"

struct _AttnLearnEncoder
{
  GtkWidget     parent_instance;

  GtkWidget    *box;
  GtkWidget    *status;
  GtkWidget    *compare_button;
  GtkWidget    *download_button;
  GtkWidget    *card;          /* the heading and the second figure */
  GtkWidget    *heading;
  GtkWidget    *figure;

  AttnDocument *document;      /* the window's */
  AttnDocument *compare;       /* the encoder's, on the same text; NULL until asked */
  char         *offered_repo;  /* a cached encoder, or NULL */
  char         *offered_path;
  char         *compare_path;  /* the model the comparison runs */
  GCancellable *loading;
};

G_DEFINE_FINAL_TYPE (AttnLearnEncoder, attn_learn_encoder, GTK_TYPE_WIDGET)

gboolean
attn_learn_is_encoder_architecture (const char *architecture)
{
  static const char *const prefixes[] = { "Bert", "DistilBert", "Roberta", NULL };
  static const char *const types[] = { "bert", "distilbert", "roberta", NULL };

  if (architecture == NULL)
    return FALSE;
  for (guint i = 0; prefixes[i] != NULL; i++)
    if (g_str_has_prefix (architecture, prefixes[i]))
      return TRUE;
  return g_strv_contains (types, architecture);
}

static gboolean
loaded_is_bidirectional (AttnLearnEncoder *self)
{
  AttnResult *result = self->document ? attn_document_get_result (self->document) : NULL;

  return result != NULL && attn_result_has_trace (result) && attn_result_is_bidirectional (result);
}

/* The status line and which button shows, from what is loaded and cached. */
static void
update_status (AttnLearnEncoder *self)
{
  gboolean bidirectional = loaded_is_bidirectional (self);
  g_autofree char *text = NULL;

  if (bidirectional)
    text = g_strdup (_("The loaded model reads both ways, like BERT: in the figure above, “it” also "
                       "gives weight to the words after it, “was too big” among them, which a "
                       "left-to-right model cannot see."));
  else if (self->offered_repo != NULL)
    text = g_strdup_printf (_("%s, a bidirectional model, is in your model cache. Run the same "
                              "sentence on it, beside the loaded model, to see its “it” read the "
                              "words after it too."), self->offered_repo);
  else
    text = g_strdup (_("No bidirectional model is in your model cache. Download one, such as "
                       "DistilBERT (distilbert/distilbert-base-uncased, 268 MB), to see how “it” "
                       "reads a sentence it sees whole."));
  gtk_label_set_text (GTK_LABEL (self->status), text);
  gtk_widget_set_visible (self->compare_button, !bidirectional && self->offered_repo != NULL);
  gtk_widget_set_visible (self->download_button, !bidirectional && self->offered_repo == NULL);
  gtk_widget_set_visible (self->card, !bidirectional && self->compare != NULL);
  if (self->offered_repo != NULL)
    {
      /* Translators: %s is a model's repo id */
      g_autofree char *label = g_strdup_printf (_("Compare With %s"), self->offered_repo);

      gtk_button_set_label (GTK_BUTTON (self->compare_button), label);
    }
}

/* The comparison follows the editor's text. */
static void
document_result_cb (AttnLearnEncoder *self)
{
  const char *text = attn_document_get_text (self->document);

  update_status (self);
  if (self->compare != NULL && text != NULL
      && g_strcmp0 (attn_document_get_text (self->compare), text) != 0)
    attn_document_set_text (self->compare, text);
}

void
attn_learn_encoder_refresh (AttnLearnEncoder *self)
{
  g_autofree char *cache_dir = attn_hub_cache_dir ();
  g_autoptr(GPtrArray) models = attn_hub_list_models (cache_dir);

  g_return_if_fail (ATTN_IS_LEARN_ENCODER (self));

  g_clear_pointer (&self->offered_repo, g_free);
  g_clear_pointer (&self->offered_path, g_free);
  /* The first the engine can open, in the listing's order (by repo id). */
  for (guint i = 0; i < models->len && self->offered_repo == NULL; i++)
    {
      AttnHubModel *model = g_ptr_array_index (models, i);

      if (model->supported && attn_learn_is_encoder_architecture (model->architecture))
        {
          self->offered_repo = g_strdup (model->repo_id);
          self->offered_path = g_strdup (model->path);
        }
    }
  update_status (self);
}

static void
engine_loaded_cb (GObject      *source,
                  GAsyncResult *async_result,
                  gpointer      user_data)
{
  g_autoptr(AttnLearnEncoder) self = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(AttnEngine) engine = attn_engine_new_finish (async_result, &error);
  g_autofree char *heading = NULL;

  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED)
      || g_error_matches (error, ATTN_ENGINE_ERROR, ATTN_ENGINE_ERROR_CANCELLED))
    return;
  g_clear_object (&self->loading);
  gtk_widget_set_sensitive (self->compare_button, TRUE);
  if (engine == NULL)
    {
      gtk_label_set_text (GTK_LABEL (self->status), error->message);
      return;
    }
  if (self->compare == NULL)
    {
      self->compare = attn_document_new ();
      attn_learn_figure_set_document (ATTN_LEARN_FIGURE (self->figure), self->compare);
    }
  g_free (self->compare_path);
  self->compare_path = g_strdup (self->offered_path);
  attn_document_set_engine (self->compare, engine);
  attn_document_set_text (self->compare, attn_document_get_text (self->document));
  /* Translators: %s is a model's repo id */
  heading = g_strdup_printf (_("The same sentence on %s, which reads both ways"), self->offered_repo);
  gtk_label_set_text (GTK_LABEL (self->heading), heading);
  update_status (self);
}

static void
compare_cb (AttnLearnEncoder *self)
{
  if (self->document == NULL || self->offered_path == NULL || self->loading != NULL)
    return;
  if (self->compare != NULL && g_strcmp0 (self->compare_path, self->offered_path) == 0)
    {
      document_result_cb (self);
      return;
    }
  /* Loading reads the weights: off the main thread. */
  self->loading = g_cancellable_new ();
  gtk_widget_set_sensitive (self->compare_button, FALSE);
  gtk_label_set_text (GTK_LABEL (self->status), _("Loading the bidirectional model…"));
  attn_engine_new_async (self->offered_path, self->loading, engine_loaded_cb, g_object_ref (self));
}

static void
download_cb (AttnLearnEncoder *self)
{
  gtk_widget_activate_action (GTK_WIDGET (self), "win.download-model", NULL);
}

static void
attn_learn_encoder_dispose (GObject *object)
{
  AttnLearnEncoder *self = ATTN_LEARN_ENCODER (object);

  if (self->loading != NULL)
    g_cancellable_cancel (self->loading);
  g_clear_object (&self->loading);
  attn_learn_encoder_set_document (self, NULL);
  g_clear_pointer (&self->box, gtk_widget_unparent);
  g_clear_object (&self->compare);
  g_clear_pointer (&self->offered_repo, g_free);
  g_clear_pointer (&self->offered_path, g_free);
  g_clear_pointer (&self->compare_path, g_free);

  G_OBJECT_CLASS (attn_learn_encoder_parent_class)->dispose (object);
}

static void
attn_learn_encoder_class_init (AttnLearnEncoderClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = attn_learn_encoder_dispose;
  gtk_widget_class_set_layout_manager_type (widget_class, GTK_TYPE_BIN_LAYOUT);
}

static GtkWidget *
button_new (const char *label,
            const char *name)
{
  GtkWidget *button = gtk_button_new_with_mnemonic (label);

  gtk_label_set_wrap (GTK_LABEL (gtk_button_get_child (GTK_BUTTON (button))), TRUE);
  gtk_widget_set_name (button, name);
  gtk_widget_set_halign (button, GTK_ALIGN_START);
  return button;
}

static void
attn_learn_encoder_init (AttnLearnEncoder *self)
{
  self->box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 12);
  gtk_widget_set_parent (self->box, GTK_WIDGET (self));

  self->status = gtk_label_new (NULL);
  gtk_widget_set_name (self->status, "encoder-status");
  gtk_label_set_wrap (GTK_LABEL (self->status), TRUE);
  gtk_label_set_xalign (GTK_LABEL (self->status), 0);
  gtk_widget_add_css_class (self->status, "learn-paragraph");
  gtk_box_append (GTK_BOX (self->box), self->status);

  self->compare_button = button_new ("", "compare-encoder");
  g_signal_connect_swapped (self->compare_button, "clicked", G_CALLBACK (compare_cb), self);
  gtk_box_append (GTK_BOX (self->box), self->compare_button);
  self->download_button = button_new (_("Download a _Bidirectional Model…"), "download-encoder");
  g_signal_connect_swapped (self->download_button, "clicked", G_CALLBACK (download_cb), self);
  gtk_box_append (GTK_BOX (self->box), self->download_button);

  /* the second figure, in a card like the tour's own */
  self->card = gtk_box_new (GTK_ORIENTATION_VERTICAL, 6);
  gtk_widget_add_css_class (self->card, "card");
  gtk_widget_add_css_class (self->card, "learn-figure");
  self->heading = gtk_label_new (NULL);
  gtk_label_set_wrap (GTK_LABEL (self->heading), TRUE);
  gtk_label_set_xalign (GTK_LABEL (self->heading), 0);
  gtk_widget_add_css_class (self->heading, "heading");
  gtk_widget_set_margin_top (self->heading, 12);
  gtk_widget_set_margin_start (self->heading, 12);
  gtk_widget_set_margin_end (self->heading, 12);
  gtk_box_append (GTK_BOX (self->card), self->heading);
  self->figure = attn_learn_example_new ();
  gtk_widget_set_name (self->figure, "figure-example-encoder");
  gtk_widget_set_margin_bottom (self->figure, 12);
  gtk_widget_set_margin_start (self->figure, 12);
  gtk_widget_set_margin_end (self->figure, 12);
  gtk_box_append (GTK_BOX (self->card), self->figure);
  gtk_widget_set_visible (self->card, FALSE);
  gtk_box_append (GTK_BOX (self->box), self->card);
}

GtkWidget *
attn_learn_encoder_new (void)
{
  return g_object_new (ATTN_TYPE_LEARN_ENCODER, NULL);
}

void
attn_learn_encoder_set_document (AttnLearnEncoder *self,
                                 AttnDocument     *document)
{
  g_return_if_fail (ATTN_IS_LEARN_ENCODER (self));
  g_return_if_fail (document == NULL || ATTN_IS_DOCUMENT (document));

  if (self->document == document)
    return;
  if (self->document != NULL)
    g_signal_handlers_disconnect_by_data (self->document, self);
  g_set_object (&self->document, document);
  if (document == NULL)
    return;
  g_signal_connect_object (document, "notify::result", G_CALLBACK (document_result_cb), self,
                           G_CONNECT_SWAPPED);
  /* A new model (a download opens the one it fetched): look again. */
  g_signal_connect_object (document, "notify::engine", G_CALLBACK (attn_learn_encoder_refresh), self,
                           G_CONNECT_SWAPPED);
  attn_learn_encoder_refresh (self);
}

const char *
attn_learn_encoder_get_offered (AttnLearnEncoder *self)
{
  g_return_val_if_fail (ATTN_IS_LEARN_ENCODER (self), NULL);
  return self->offered_repo;
}

AttnDocument *
attn_learn_encoder_get_compare (AttnLearnEncoder *self)
{
  g_return_val_if_fail (ATTN_IS_LEARN_ENCODER (self), NULL);
  return self->compare;
}
