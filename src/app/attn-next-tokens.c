/* attn-next-tokens.c
 *
 * Copyright 2026 The Attention authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "attn-next-tokens"

#include "config.h"

#include <string.h>

#include <glib/gi18n.h>

#include "attn-document-link.h"
#include "attn-next-tokens.h"
#include "attn-predictions.h"

#define N_SHOWN 3

struct _AttnNextTokens
{
  GtkWidget         parent_instance;

  GtkWidget        *label;
  AttnDocumentLink  link;
};

G_DEFINE_FINAL_TYPE (AttnNextTokens, attn_next_tokens, GTK_TYPE_WIDGET)

char *
_attn_dup_shown_token (const char *token)
{
  if (*token == '\0')
    return g_strdup (_("(empty)"));
  if (strcmp (token, "\n") == 0)
    return g_strdup ("↵");
  return g_strdup_printf ("“%s”", token);
}

char *
_attn_dup_predicted_words (const GArray *top,
                           guint         n)
{
  GString *words;

  if (top == NULL || top->len == 0)
    return NULL;
  words = g_string_new (NULL);
  for (guint i = 0; i < MIN (top->len, n); i++)
    {
      const AttnPrediction *p = &g_array_index (top, AttnPrediction, i);

      /* Translators: one predicted word and its probability: “cat” 23 % */
      g_string_append_printf (words, i ? _(" · “%s” %.0f %%") : _(" “%s” %.0f %%"),
                              p->token, 100 * p->probability);
    }
  return g_string_free (words, FALSE);
}

/* "After “water”: “light” 15.4 % · “.” 11.9 % · “in” 3.3 %", or NULL when
 * the result does not predict the next token. */
static char *
dup_line (AttnNextTokens *self)
{
  AttnDocument *document = self->link.document;
  AttnResult *result = document != NULL ? attn_document_get_result (document) : NULL;
  g_autoptr(GArray) top = NULL;
  g_autofree char *after = NULL;
  g_autofree char *off = NULL;
  GString *line;
  guint T;
  int position;

  /* an encoder's predictions are its masked words (Predict view), not a
   * next token */
  if (result == NULL || !attn_result_has_predictions (result) || attn_result_is_bidirectional (result) ||
      (T = attn_result_get_n_tokens (result)) == 0)
    return NULL;
  position = attn_document_get_query (document);
  if (position < 0 || (guint) position >= T)
    position = (int) T - 1;
  if ((top = attn_result_predict (result, (guint) position, N_SHOWN, NULL)) == NULL || top->len == 0)
    return NULL;

  after = _attn_dup_shown_token (attn_result_get_token_text (result, (guint) position));
  line = g_string_new (NULL);
  /* Translators: the start of the line under the token strip; %s: the
   * token (quoted) after which the predictions that follow come */
  g_string_printf (line, _("Next after %s:"), after);
  for (guint i = 0; i < top->len; i++)
    {
      const AttnPrediction *p = &g_array_index (top, AttnPrediction, i);
      g_autofree char *name = _attn_dup_shown_token (p->token);

      g_string_append_printf (line, i == 0 ? " %s %.1f %%" : " · %s %.1f %%", name, 100.0 * p->probability);
    }
  if ((off = attn_result_dup_ablation_label (result)) != NULL)
    g_string_append_printf (line, " (%s)", off);
  return g_string_free (line, FALSE);
}

static void
update (AttnNextTokens *self)
{
  g_autofree char *line = dup_line (self);

  gtk_label_set_text (GTK_LABEL (self->label), line != NULL ? line : "");
  gtk_widget_set_visible (GTK_WIDGET (self), line != NULL);
}

static void
attn_next_tokens_dispose (GObject *object)
{
  AttnNextTokens *self = ATTN_NEXT_TOKENS (object);

  _attn_document_link_clear (&self->link);
  g_clear_pointer (&self->label, gtk_widget_unparent);
  G_OBJECT_CLASS (attn_next_tokens_parent_class)->dispose (object);
}

static void
attn_next_tokens_class_init (AttnNextTokensClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = attn_next_tokens_dispose;
  _attn_document_link_install (object_class, G_STRUCT_OFFSET (AttnNextTokens, link),
                               G_CALLBACK (attn_next_tokens_set_document));
  gtk_widget_class_set_layout_manager_type (widget_class, GTK_TYPE_BIN_LAYOUT);
  gtk_widget_class_set_css_name (widget_class, "attnnexttokens");
}

static void
attn_next_tokens_init (AttnNextTokens *self)
{
  self->label = gtk_label_new (NULL);
  gtk_label_set_xalign (GTK_LABEL (self->label), 0);
  /* one line, so a narrow window keeps its height for the views */
  gtk_label_set_ellipsize (GTK_LABEL (self->label), PANGO_ELLIPSIZE_END);
  gtk_widget_add_css_class (self->label, "caption");
  gtk_widget_add_css_class (self->label, "dim-label");
  gtk_widget_set_tooltip_text (self->label,
                               _("The model’s most probable next tokens after the selected token (or the last "
                                 "one), with heads switched off if any. The Predict view shows more, the logit "
                                 "lens and Continue."));
  gtk_widget_set_parent (self->label, GTK_WIDGET (self));

  _attn_document_link_init (&self->link, self,
                            "notify::result", G_CALLBACK (update),
                            "notify::query", G_CALLBACK (update),
                            NULL);
  update (self);
}

GtkWidget *
attn_next_tokens_new (void)
{
  return g_object_new (ATTN_TYPE_NEXT_TOKENS, NULL);
}

AttnDocument *
attn_next_tokens_get_document (AttnNextTokens *self)
{
  g_return_val_if_fail (ATTN_IS_NEXT_TOKENS (self), NULL);
  return self->link.document;
}

void
attn_next_tokens_set_document (AttnNextTokens *self,
                               AttnDocument   *document)
{
  g_return_if_fail (ATTN_IS_NEXT_TOKENS (self));
  g_return_if_fail (!document || ATTN_IS_DOCUMENT (document));

  if (_attn_document_link_set (&self->link, self, document))
    update (self);
}

const char *
attn_next_tokens_get_text (AttnNextTokens *self)
{
  g_return_val_if_fail (ATTN_IS_NEXT_TOKENS (self), NULL);
  return gtk_label_get_text (GTK_LABEL (self->label));
}
