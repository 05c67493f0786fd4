/* attn-learn-figure.c
 *
 * Copyright 2026 The Attention authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "attn-learn-figure"

#include "config.h"

#include <adwaita.h>
#include <glib/gi18n.h>

#include "attn-learn-figure.h"

typedef struct
{
  AttnDocument *document;
  AttnTheme     theme;
  char         *description;
} AttnLearnFigurePrivate;

G_DEFINE_TYPE_WITH_PRIVATE (AttnLearnFigure, attn_learn_figure, GTK_TYPE_WIDGET)

enum {
  PROP_0,
  PROP_DOCUMENT,
  N_PROPS
};

static GParamSpec *properties [N_PROPS];

static const char *const document_properties[] = {
  "notify::result", "notify::view-result", "notify::layer", "notify::head", "notify::query", "notify::key",
};

static void
update (AttnLearnFigure *self)
{
  ATTN_LEARN_FIGURE_GET_CLASS (self)->update (self);
  gtk_widget_queue_resize (GTK_WIDGET (self));
  gtk_widget_queue_draw (GTK_WIDGET (self));
}

static void
dark_changed_cb (AttnLearnFigure *self,
                 GParamSpec      *pspec,
                 AdwStyleManager *style_manager)
{
  AttnLearnFigurePrivate *priv = attn_learn_figure_get_instance_private (self);

  priv->theme = *attn_theme_get_default (adw_style_manager_get_dark (style_manager));
  /* Figures sit on the page, not on a canvas of their own. */
  priv->theme.background.a = 0;
  update (self);
}

static void
attn_learn_figure_real_update (AttnLearnFigure *self)
{
}

static void
attn_learn_figure_dispose (GObject *object)
{
  AttnLearnFigure *self = ATTN_LEARN_FIGURE (object);
  AttnLearnFigurePrivate *priv = attn_learn_figure_get_instance_private (self);
  GtkWidget *child;

  /* No update on the way out: a subclass's children may be gone. */
  if (priv->document != NULL)
    g_signal_handlers_disconnect_by_data (priv->document, self);
  g_clear_object (&priv->document);
  while ((child = gtk_widget_get_first_child (GTK_WIDGET (self))) != NULL)
    gtk_widget_unparent (child);

  G_OBJECT_CLASS (attn_learn_figure_parent_class)->dispose (object);
}

static void
attn_learn_figure_finalize (GObject *object)
{
  AttnLearnFigure *self = ATTN_LEARN_FIGURE (object);
  AttnLearnFigurePrivate *priv = attn_learn_figure_get_instance_private (self);

  g_clear_pointer (&priv->description, g_free);

  G_OBJECT_CLASS (attn_learn_figure_parent_class)->finalize (object);
}

static void
attn_learn_figure_get_property (GObject    *object,
                                guint       prop_id,
                                GValue     *value,
                                GParamSpec *pspec)
{
  AttnLearnFigure *self = ATTN_LEARN_FIGURE (object);

  switch (prop_id)
    {
    case PROP_DOCUMENT:
      g_value_set_object (value, attn_learn_figure_get_document (self));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
attn_learn_figure_set_property (GObject      *object,
                                guint         prop_id,
                                const GValue *value,
                                GParamSpec   *pspec)
{
  AttnLearnFigure *self = ATTN_LEARN_FIGURE (object);

  switch (prop_id)
    {
    case PROP_DOCUMENT:
      attn_learn_figure_set_document (self, g_value_get_object (value));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
attn_learn_figure_class_init (AttnLearnFigureClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = attn_learn_figure_dispose;
  object_class->finalize = attn_learn_figure_finalize;
  object_class->get_property = attn_learn_figure_get_property;
  object_class->set_property = attn_learn_figure_set_property;

  klass->update = attn_learn_figure_real_update;

  properties [PROP_DOCUMENT] =
    g_param_spec_object ("document", NULL, NULL,
                         ATTN_TYPE_DOCUMENT,
                         (G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS));

  g_object_class_install_properties (object_class, N_PROPS, properties);

  gtk_widget_class_set_accessible_role (widget_class, GTK_ACCESSIBLE_ROLE_IMG);
  gtk_widget_class_set_css_name (widget_class, "learnfigure");
}

static void
attn_learn_figure_init (AttnLearnFigure *self)
{
  AdwStyleManager *style_manager = adw_style_manager_get_default ();
  AttnLearnFigurePrivate *priv = attn_learn_figure_get_instance_private (self);

  priv->theme = *attn_theme_get_default (adw_style_manager_get_dark (style_manager));
  priv->theme.background.a = 0;
  g_signal_connect_object (style_manager, "notify::dark",
                           G_CALLBACK (dark_changed_cb), self, G_CONNECT_SWAPPED);
}

AttnDocument *
attn_learn_figure_get_document (AttnLearnFigure *self)
{
  AttnLearnFigurePrivate *priv = attn_learn_figure_get_instance_private (self);

  g_return_val_if_fail (ATTN_IS_LEARN_FIGURE (self), NULL);
  return priv->document;
}

void
attn_learn_figure_set_document (AttnLearnFigure *self,
                                AttnDocument    *document)
{
  AttnLearnFigurePrivate *priv = attn_learn_figure_get_instance_private (self);

  g_return_if_fail (ATTN_IS_LEARN_FIGURE (self));
  g_return_if_fail (document == NULL || ATTN_IS_DOCUMENT (document));

  if (priv->document == document)
    return;

  if (priv->document != NULL)
    g_signal_handlers_disconnect_by_data (priv->document, self);
  g_set_object (&priv->document, document);
  if (document != NULL)
    for (guint i = 0; i < G_N_ELEMENTS (document_properties); i++)
      g_signal_connect_object (document, document_properties[i],
                               G_CALLBACK (update), self, G_CONNECT_SWAPPED);

  update (self);
  g_object_notify_by_pspec (G_OBJECT (self), properties [PROP_DOCUMENT]);
}

const char *
attn_learn_figure_get_description (AttnLearnFigure *self)
{
  AttnLearnFigurePrivate *priv = attn_learn_figure_get_instance_private (self);

  g_return_val_if_fail (ATTN_IS_LEARN_FIGURE (self), NULL);
  return priv->description;
}

AttnResult *
_attn_learn_figure_get_result (AttnLearnFigure *self)
{
  AttnLearnFigurePrivate *priv = attn_learn_figure_get_instance_private (self);
  AttnResult *result;

  if (priv->document == NULL)
    return NULL;
  result = ATTN_LEARN_FIGURE_GET_CLASS (self)->shows_words
           ? attn_document_get_view_result (priv->document)
           : attn_document_get_result (priv->document);
  if (result == NULL || !attn_result_has_trace (result)
      || attn_result_get_n_tokens (result) == 0)
    return NULL;
  return result;
}

int
_attn_learn_figure_get_query (AttnLearnFigure *self)
{
  AttnLearnFigurePrivate *priv = attn_learn_figure_get_instance_private (self);
  AttnResult *result = _attn_learn_figure_get_result (self);
  int query;

  if (result == NULL)
    return -1;
  query = attn_result_index_of_token (result, attn_document_get_query (priv->document));
  if (query >= 0 && (guint) query < attn_result_get_n_tokens (result))
    return query;
  /* The last word: a final full stop has little to look for. */
  for (query = (int) attn_result_get_n_tokens (result) - 1; query > 0; query--)
    {
      const char *text = attn_result_get_token_text (result, query);

      for (const char *p = text; *p; p = g_utf8_next_char (p))
        if (g_unichar_isalnum (g_utf8_get_char (p)))
          return query;
    }
  return (int) attn_result_get_n_tokens (result) - 1;
}

int
_attn_learn_figure_get_key (AttnLearnFigure *self)
{
  AttnLearnFigurePrivate *priv = attn_learn_figure_get_instance_private (self);
  AttnResult *result = _attn_learn_figure_get_result (self);
  const float *weights;
  guint T;
  int query, key, best = 0;

  if (result == NULL)
    return -1;
  query = _attn_learn_figure_get_query (self);
  key = attn_result_index_of_token (result, attn_document_get_key (priv->document));
  if (key >= 0 && key <= query)
    return key;

  T = attn_result_get_n_tokens (result);
  weights = attn_result_get_weights (result, attn_document_get_layer (priv->document),
                                     attn_document_get_head (priv->document));
  if (weights == NULL)
    return 0;
  /* Token 0 is where most heads park weight they do not need (the sink),
   * and a token's link to itself says little: the most telling key is the
   * strongest of the others, if there are any. */
  for (int j = 1; j < query; j++)
    if (best == 0 || weights[(gsize) query * T + j] > weights[(gsize) query * T + best])
      best = j;
  return best == 0 && query > 0 ? query : best;
}

void
_attn_learn_figure_commit_focus (AttnLearnFigure *self)
{
  AttnLearnFigurePrivate *priv = attn_learn_figure_get_instance_private (self);
  AttnResult *result = _attn_learn_figure_get_result (self);
  int key;

  if (priv->document == NULL || result == NULL)
    return;
  key = attn_result_token_of_index (result, _attn_learn_figure_get_key (self), FALSE);
  if (attn_document_get_query (priv->document) < 0)
    attn_document_set_query (priv->document,
                             attn_result_token_of_index (result, _attn_learn_figure_get_query (self), TRUE));
  if (attn_document_get_key (priv->document) != key)
    attn_document_set_key (priv->document, key);
}

const AttnTheme *
_attn_learn_figure_get_theme (AttnLearnFigure *self)
{
  AttnLearnFigurePrivate *priv = attn_learn_figure_get_instance_private (self);

  return &priv->theme;
}

void
_attn_learn_figure_set_description (AttnLearnFigure *self,
                                    const char      *description)
{
  AttnLearnFigurePrivate *priv = attn_learn_figure_get_instance_private (self);

  if (g_strcmp0 (priv->description, description) == 0)
    return;
  g_free (priv->description);
  priv->description = g_strdup (description);
  gtk_accessible_update_property (GTK_ACCESSIBLE (self),
                                  GTK_ACCESSIBLE_PROPERTY_DESCRIPTION, description ? description : "",
                                  -1);
}

char *
_attn_learn_dup_token (AttnResult *result,
                       int         token)
{
  g_autofree char *label = NULL;

  if (result == NULL || token < 0 || (guint) token >= attn_result_get_n_tokens (result))
    return g_strdup ("?");
  label = attn_render_dup_token_label (attn_result_get_token_text (result, token));
  /* Translators: a token quoted in running text */
  return g_strdup_printf (_("“%s”"), label);
}
