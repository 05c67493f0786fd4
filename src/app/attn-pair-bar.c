/* attn-pair-bar.c
 *
 * Copyright 2026 The Attention authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "attn-pair-bar"

#include "config.h"

#include <glib/gi18n.h>

#include "attn-pair-bar.h"
#include "attn-sentence-editor.h"

struct _AttnPairBar
{
  GtkWidget       parent_instance;

  AttnDocument   *document;      /* owned */
  GSignalGroup   *signals;       /* the document's notifications */
  AttnPairFilter  filter;
  guint           debounce_id;

  GtkWidget      *box;
  GtkWidget      *entry;
  GtkWidget      *filter_drop;
};

G_DEFINE_FINAL_TYPE (AttnPairBar, attn_pair_bar, GTK_TYPE_WIDGET)

enum {
  PROP_0,
  PROP_DOCUMENT,
  PROP_FILTER,
  N_PROPS
};

static GParamSpec *properties [N_PROPS];

/* The drop-down's rows, in AttnPairFilter's order. */
static const char *const filter_labels[] = {
  N_("All links"),
  /* Translators: links from sentence A's tokens to sentence A's */
  N_("A → A"),
  N_("A → B"),
  N_("B → A"),
  N_("B → B"),
};

G_STATIC_ASSERT (G_N_ELEMENTS (filter_labels) == ATTN_PAIR_FILTER_B_TO_B + 1);

/* Shown only while the model reads pairs; the filter only with a pair. */
static void
update (AttnPairBar *self)
{
  AttnEngine *engine = self->document ? attn_document_get_engine (self->document) : NULL;
  AttnResult *result = self->document ? attn_document_get_result (self->document) : NULL;
  gboolean pairs = engine != NULL && attn_engine_accepts_pairs (engine);

  gtk_widget_set_visible (GTK_WIDGET (self), pairs);
  gtk_widget_set_sensitive (self->filter_drop, result != NULL && attn_result_has_pair (result));
}

/* The document's sentence B, unless the entry already says it (typing
 * must not have its cursor moved by its own echo). */
static void
text_b_changed_cb (AttnPairBar *self)
{
  const char *text_b = self->document ? attn_document_get_text_b (self->document) : NULL;

  if (g_strcmp0 (gtk_editable_get_text (GTK_EDITABLE (self->entry)), text_b ? text_b : "") == 0)
    return;
  g_clear_handle_id (&self->debounce_id, g_source_remove);
  gtk_editable_set_text (GTK_EDITABLE (self->entry), text_b ? text_b : "");
  g_clear_handle_id (&self->debounce_id, g_source_remove);
}

static void
push_text_b (AttnPairBar *self)
{
  g_clear_handle_id (&self->debounce_id, g_source_remove);
  if (self->document != NULL)
    attn_document_set_text_b (self->document, gtk_editable_get_text (GTK_EDITABLE (self->entry)));
}

static void
debounce_cb (gpointer user_data)
{
  AttnPairBar *self = user_data;

  self->debounce_id = 0;
  push_text_b (self);
}

/* As the sentence editor does: the model recomputes after a short pause. */
static void
entry_changed_cb (AttnPairBar *self)
{
  g_clear_handle_id (&self->debounce_id, g_source_remove);
  self->debounce_id = g_timeout_add_once (ATTN_SENTENCE_EDITOR_DEBOUNCE_MS, debounce_cb, self);
}

static void
filter_selected_cb (AttnPairBar *self)
{
  guint selected = gtk_drop_down_get_selected (GTK_DROP_DOWN (self->filter_drop));

  if (selected < G_N_ELEMENTS (filter_labels))
    attn_pair_bar_set_filter (self, (AttnPairFilter) selected);
}

static void
attn_pair_bar_unmap (GtkWidget *widget)
{
  AttnPairBar *self = ATTN_PAIR_BAR (widget);

  /* what was typed still counts */
  if (self->debounce_id != 0)
    push_text_b (self);
  GTK_WIDGET_CLASS (attn_pair_bar_parent_class)->unmap (widget);
}

static void
attn_pair_bar_dispose (GObject *object)
{
  AttnPairBar *self = ATTN_PAIR_BAR (object);

  g_clear_handle_id (&self->debounce_id, g_source_remove);
  if (self->signals != NULL)
    g_signal_group_set_target (self->signals, NULL);
  g_clear_object (&self->signals);
  g_clear_object (&self->document);
  g_clear_pointer (&self->box, gtk_widget_unparent);

  G_OBJECT_CLASS (attn_pair_bar_parent_class)->dispose (object);
}

static void
attn_pair_bar_get_property (GObject    *object,
                            guint       prop_id,
                            GValue     *value,
                            GParamSpec *pspec)
{
  AttnPairBar *self = ATTN_PAIR_BAR (object);

  switch (prop_id)
    {
    case PROP_DOCUMENT:
      g_value_set_object (value, self->document);
      break;
    case PROP_FILTER:
      g_value_set_int (value, self->filter);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
attn_pair_bar_set_property (GObject      *object,
                            guint         prop_id,
                            const GValue *value,
                            GParamSpec   *pspec)
{
  AttnPairBar *self = ATTN_PAIR_BAR (object);

  switch (prop_id)
    {
    case PROP_DOCUMENT:
      attn_pair_bar_set_document (self, g_value_get_object (value));
      break;
    case PROP_FILTER:
      attn_pair_bar_set_filter (self, g_value_get_int (value));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
attn_pair_bar_class_init (AttnPairBarClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = attn_pair_bar_dispose;
  object_class->get_property = attn_pair_bar_get_property;
  object_class->set_property = attn_pair_bar_set_property;
  widget_class->unmap = attn_pair_bar_unmap;

  properties [PROP_DOCUMENT] =
    g_param_spec_object ("document", NULL, NULL, ATTN_TYPE_DOCUMENT,
                         (G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS));
  properties [PROP_FILTER] =
    g_param_spec_int ("filter", NULL, NULL, ATTN_PAIR_FILTER_ALL, ATTN_PAIR_FILTER_B_TO_B, ATTN_PAIR_FILTER_ALL,
                      (G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS));
  g_object_class_install_properties (object_class, N_PROPS, properties);

  gtk_widget_class_set_layout_manager_type (widget_class, GTK_TYPE_BIN_LAYOUT);
  gtk_widget_class_set_css_name (widget_class, "attnpairbar");
}

static void
attn_pair_bar_init (AttnPairBar *self)
{
  g_autoptr(GtkStringList) filters = gtk_string_list_new (NULL);
  GtkWidget *label, *links;

  self->box = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 6);
  gtk_widget_set_parent (self->box, GTK_WIDGET (self));

  label = gtk_label_new_with_mnemonic (_("Sentence _B"));
  gtk_widget_add_css_class (label, "dim-label");
  gtk_box_append (GTK_BOX (self->box), label);

  self->entry = gtk_entry_new ();
  gtk_widget_set_hexpand (self->entry, TRUE);
  gtk_entry_set_placeholder_text (GTK_ENTRY (self->entry),
                                  _("A second sentence: the encoder reads both, every token seeing every token"));
  gtk_label_set_mnemonic_widget (GTK_LABEL (label), self->entry);
  gtk_accessible_update_property (GTK_ACCESSIBLE (self->entry),
                                  GTK_ACCESSIBLE_PROPERTY_LABEL, _("Sentence B"),
                                  GTK_ACCESSIBLE_PROPERTY_DESCRIPTION,
                                  _("The second sentence of a pair, read with the first as [CLS] A [SEP] B [SEP]"),
                                  -1);
  gtk_widget_add_css_class (self->entry, "sentence-b");
  g_signal_connect_swapped (self->entry, "changed", G_CALLBACK (entry_changed_cb), self);
  g_signal_connect_swapped (self->entry, "activate", G_CALLBACK (push_text_b), self);
  gtk_box_append (GTK_BOX (self->box), self->entry);

  for (guint i = 0; i < G_N_ELEMENTS (filter_labels); i++)
    gtk_string_list_append (filters, _(filter_labels[i]));
  self->filter_drop = gtk_drop_down_new (G_LIST_MODEL (g_object_ref (filters)), NULL);
  gtk_widget_set_tooltip_text (self->filter_drop,
                               _("Which links the maps show: from sentence A or B to sentence A or B"));
  links = gtk_label_new_with_mnemonic (_("_Links"));
  gtk_widget_add_css_class (links, "dim-label");
  gtk_label_set_mnemonic_widget (GTK_LABEL (links), self->filter_drop);
  gtk_accessible_update_property (GTK_ACCESSIBLE (self->filter_drop),
                                  GTK_ACCESSIBLE_PROPERTY_LABEL, _("Links between the sentences"), -1);
  g_signal_connect_swapped (self->filter_drop, "notify::selected", G_CALLBACK (filter_selected_cb), self);
  gtk_box_append (GTK_BOX (self->box), links);
  gtk_box_append (GTK_BOX (self->box), self->filter_drop);

  self->signals = g_signal_group_new (ATTN_TYPE_DOCUMENT);
  g_signal_group_connect_swapped (self->signals, "notify::engine", G_CALLBACK (update), self);
  g_signal_group_connect_swapped (self->signals, "notify::result", G_CALLBACK (update), self);
  g_signal_group_connect_swapped (self->signals, "notify::text-b", G_CALLBACK (text_b_changed_cb), self);

  gtk_widget_set_visible (GTK_WIDGET (self), FALSE);
}

GtkWidget *
attn_pair_bar_new (void)
{
  return g_object_new (ATTN_TYPE_PAIR_BAR, NULL);
}

AttnDocument *
attn_pair_bar_get_document (AttnPairBar *self)
{
  g_return_val_if_fail (ATTN_IS_PAIR_BAR (self), NULL);
  return self->document;
}

void
attn_pair_bar_set_document (AttnPairBar  *self,
                            AttnDocument *document)
{
  g_return_if_fail (ATTN_IS_PAIR_BAR (self));
  g_return_if_fail (!document || ATTN_IS_DOCUMENT (document));

  if (!g_set_object (&self->document, document))
    return;

  g_signal_group_set_target (self->signals, document);
  text_b_changed_cb (self);
  update (self);
  g_object_notify_by_pspec (G_OBJECT (self), properties [PROP_DOCUMENT]);
}

AttnPairFilter
attn_pair_bar_get_filter (AttnPairBar *self)
{
  g_return_val_if_fail (ATTN_IS_PAIR_BAR (self), ATTN_PAIR_FILTER_ALL);
  return self->filter;
}

void
attn_pair_bar_set_filter (AttnPairBar    *self,
                          AttnPairFilter  filter)
{
  g_return_if_fail (ATTN_IS_PAIR_BAR (self));
  g_return_if_fail (filter <= ATTN_PAIR_FILTER_B_TO_B);

  if (self->filter == filter)
    return;
  self->filter = filter;
  gtk_drop_down_set_selected (GTK_DROP_DOWN (self->filter_drop), filter);
  g_object_notify_by_pspec (G_OBJECT (self), properties [PROP_FILTER]);
}

void
attn_pair_bar_set_text_b (AttnPairBar *self,
                          const char  *text_b)
{
  g_return_if_fail (ATTN_IS_PAIR_BAR (self));

  gtk_editable_set_text (GTK_EDITABLE (self->entry), text_b ? text_b : "");
  push_text_b (self);
}

const char *
_attn_token_segment_class (AttnResult *result,
                           guint       index)
{
  if (result == NULL || !attn_result_has_pair (result) || index >= attn_result_get_n_tokens (result))
    return NULL;
  return attn_result_get_sentence (result, index) == 0 ? "segment-a" : "segment-b";
}

const char *
_attn_token_segment_phrase (AttnResult *result,
                            guint       index)
{
  if (_attn_token_segment_class (result, index) == NULL)
    return NULL;
  return attn_result_get_sentence (result, index) == 0 ? _("sentence A") : _("sentence B");
}
