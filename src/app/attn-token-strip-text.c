/* attn-token-strip-text.c
 *
 * Copyright 2026 The Attention authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * What the token strip says in words: each token's tooltip (position,
 * text and id, a byte piece's character, a mask's words, the sentence of
 * a pair, the weights both ways, its probability) and the accessible name
 * and description a screen reader reads.
 */

#define G_LOG_DOMAIN "attn-token-strip"

#include "config.h"

#include <glib/gi18n.h>
#include <math.h>

#include "attn-attention-view.h"
#include "attn-masked.h"
#include "attn-pair-bar.h"
#include "attn-predictions.h"
#include "attn-tint.h"
#include "attn-words.h"

#include "attn-token-strip-private.h"

/* The start token (<|endoftext|>, [CLS]): first, with no span in the text. */
static gboolean
is_start_token (AttnResult *result)
{
  gsize start, end;

  attn_result_get_token_span (result, 0, &start, &end);
  return start == end;
}

static char *
dup_base_tooltip (AttnTokenStrip *self,
                  AttnResult     *result,
                  guint           index)
{
  g_autofree char *mask_words = _attn_token_strip_dup_mask_words (self, index, 5);
  const char *text = attn_result_get_token_text (result, index);
  guint part_start, part_end, n_bytes;
  GString *tooltip = g_string_new (NULL);

  if (attn_result_get_words (result) != NULL)
    {
      const AttnWords *words = attn_result_get_words (result);
      guint n_pieces = words->first[index + 1] - words->first[index];

      /* Translators: tooltip of a word while word pieces are merged: position, word, number of tokens */
      g_string_append_printf (tooltip, g_dngettext (GETTEXT_PACKAGE, "Word %u: “%s” (%u token)",
                                                    "Word %u: “%s” (%u tokens)", n_pieces),
                              index, text, n_pieces);
    }
  else
    /* Translators: tooltip of a token: position, token text, vocabulary id */
    g_string_append_printf (tooltip, _("Token %u: “%s” (id %d)"), index, text,
                            attn_result_get_token_id (result, index));
  if (index == 0 && is_start_token (result))
    {
      g_string_append_c (tooltip, '\n');
      /* Why so many heads look here: the learner's first question. */
      g_string_append (tooltip, _("The start token: every token can see it, so a head with nothing "
                                  "useful to look at parks its attention here (an attention sink)."));
    }
  /* A [MASK] / <mask>: what the masked-LM head puts there (issue 15). */
  if (mask_words != NULL)
    {
      g_string_append_c (tooltip, '\n');
      /* Translators: tooltip line of a mask token, then its likeliest words */
      g_string_append (tooltip, _("Fills in:"));
      g_string_append (tooltip, mask_words);
    }
  if (_attn_token_segment_phrase (result, index) != NULL)
    {
      g_string_append_c (tooltip, '\n');
      /* Translators: tooltip line of a token of a sentence pair: "In sentence B" */
      g_string_append_printf (tooltip, _("In %s"), _attn_token_segment_phrase (result, index));
    }
  if (attn_result_get_token_part (result, index, &part_start, &part_end, &n_bytes))
    {
      g_string_append_c (tooltip, '\n');
      if (part_end - part_start == 1)
        /* Translators: tooltip line of a token that is one byte of a
         * character (byte-level and byte-fallback tokenizers split rare
         * characters into bytes): byte number, bytes in all, the character */
        g_string_append_printf (tooltip, _("Only part of a character: byte %u of the %u bytes of “%s”"),
                                part_start + 1, n_bytes, text);
      else
        /* Translators: as above, for several bytes: first, last, in all, the character */
        g_string_append_printf (tooltip, _("Only part of a character: bytes %u–%u of the %u bytes of “%s”"),
                                part_start + 1, part_end, n_bytes, text);
    }

  return g_string_free (tooltip, FALSE);
}

void
_attn_token_strip_update_accessible (AttnTokenStrip *self)
{
  AttnResult *result = _attn_token_strip_get_result (self);
  g_autofree char *label = NULL;
  g_autoptr(GString) description = NULL;
  char *words = NULL;

  /* The selected token is in the name, so a screen reader says it when
   * the arrows move the selection (GTK 4.8 has no announcements). */
  if (self->selected >= 0 && result != NULL)
    {
      g_autofree char *name = _attn_token_display_name (result, self->selected);
      const char *sentence = _attn_token_segment_phrase (result, self->selected);

      if (sentence != NULL)
        /* Translators: the same in a sentence pair: text, "sentence A" or
         * "sentence B", position, number of tokens */
        label = g_strdup_printf (_("Tokens, “%s” selected, in %s: token %d of %u"),
                                 name, sentence, self->selected, self->lines.n);
      else
        /* Translators: accessible name of the token strip with a selected
         * token: its text, its position, the number of tokens */
        label = g_strdup_printf (_("Tokens, “%s” selected: token %d of %u"),
                                 name, self->selected, self->lines.n);
    }
  else
    label = g_strdup (_("Tokens"));

  /* A mask selected: the words drawn under it are said with its name. */
  if (self->selected >= 0 && (words = _attn_token_strip_dup_mask_words (self, self->selected, 3)) != NULL)
    {
      g_autofree char *plain = g_steal_pointer (&label);

      label = g_strdup_printf ("%s. %s%s", plain, _("Fills in:"), words);
      g_clear_pointer (&words, g_free);
    }

  /* ... and every mask's in the description, selected or not. */
  description = g_string_new (_("The text as the model's tokens. Left and Right choose the token "
                                "whose attention the views show, Ctrl with them by word, Home and "
                                "End the first and the last."));
  for (guint i = 0; i < self->lines.n && self->masks != NULL; i++)
    if ((words = _attn_token_strip_dup_mask_words (self, i, 3)) != NULL)
      {
        g_string_append_c (description, ' ');
        /* Translators: accessible description of the token strip: a mask
         * token's position, then its likeliest words (“cat” 23 % · …) */
        g_string_append_printf (description, _("Token %u fills in:%s."), i, words);
        g_clear_pointer (&words, g_free);
      }

  gtk_accessible_update_property (GTK_ACCESSIBLE (self),
                                  GTK_ACCESSIBLE_PROPERTY_LABEL, label,
                                  GTK_ACCESSIBLE_PROPERTY_DESCRIPTION, description->str,
                                  -1);
}

gboolean
_attn_token_strip_query_tooltip (GtkWidget  *widget,
                                 int         x,
                                 int         y,
                                 gboolean    keyboard_tooltip,
                                 GtkTooltip *tooltip)
{
  AttnTokenStrip *self = ATTN_TOKEN_STRIP (widget);
  int index = keyboard_tooltip ? self->cursor : _attn_token_strip_token_at (self, x, y);
  g_autofree char *text = NULL;
  graphene_rect_t rect;

  if (index < 0 || !_attn_token_strip_laid_out (self))
    /* between the tokens: the strip's own tooltip, if any */
    return _attn_token_strip_parent_class ()->query_tooltip (widget, x, y, keyboard_tooltip, tooltip);

  text = attn_token_strip_dup_tooltip (self, index);
  gtk_tooltip_set_text (tooltip, text);
  _attn_token_strip_token_rect (self, index, &rect);
  gtk_tooltip_set_tip_area (tooltip, &(GdkRectangle) { rect.origin.x, rect.origin.y - _attn_token_strip_scroll_value (self),
                                                       rect.size.width, rect.size.height });
  return TRUE;
}

char *
attn_token_strip_dup_tooltip (AttnTokenStrip *self,
                              guint           index)
{
  AttnResult *result;
  GString *tooltip;
  double logprob;

  g_return_val_if_fail (ATTN_IS_TOKEN_STRIP (self), NULL);

  result = _attn_token_strip_get_result (self);
  if (result == NULL || index >= self->lines.n || index >= attn_result_get_n_tokens (result))
    return NULL;

  tooltip = g_string_new (NULL);
  {
    g_autofree char *base = dup_base_tooltip (self, result, index);

    g_string_append (tooltip, base);
  }

  if (attn_document_get_view_query (self->link.document) >= 0)
    {
      g_autofree char *weights = _attn_tint_dup_tooltip (self->link.document, index);

      if (weights != NULL)
        g_string_append_printf (tooltip, "\n%s", weights);
    }

  if (self->bars)
    {
      logprob = _attn_token_strip_token_logprob (self, index);
      g_string_append_c (tooltip, '\n');
      if (isnan (logprob))
        g_string_append (tooltip, _("Probability: none, the first token has nothing before it to predict it from"));
      else
        /* Translators: the bar under a token: how probable the model found
         * it after the tokens before it, in percent and as a log-probability */
        g_string_append_printf (tooltip, _("Probability after the tokens before it: %.3g %% (log-probability %.2f)"),
                                100.0 * exp (logprob), logprob);
    }

  return g_string_free (tooltip, FALSE);
}
