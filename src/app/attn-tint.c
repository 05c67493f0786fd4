/* attn-tint.c
 *
 * Copyright 2026 The Attention authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "attn-tint"

#include "config.h"

#include <glib/gi18n.h>

#include "attn-attention-view.h"
#include "attn-pair.h"
#include "attn-result-vectors.h"
#include "attn-tint.h"

/* The weight query → key of the current head, or FALSE when there is
 * none to show (no result, indices out of range, key after a causal
 * model's query). */
static gboolean
get_link (AttnDocument *document,
          int           query,
          int           key,
          double       *weight)
{
  AttnResult *result = attn_document_get_view_result (document);
  const float *weights;
  guint n_tokens;

  if (result == NULL || query < 0 || key < 0)
    return FALSE;

  n_tokens = attn_result_get_n_tokens (result);
  weights = attn_result_get_weights (result, attn_document_get_layer (document),
                                     attn_document_get_head (document));
  if (weights == NULL || (guint) query >= n_tokens || (guint) key >= attn_result_get_n_keys_seen (result, query))
    return FALSE;

  if (weight != NULL)
    *weight = weights[(gsize) query * n_tokens + key];
  return TRUE;
}

gboolean
_attn_tint_get_weight (AttnDocument *document,
                       guint         token,
                       double       *weight)
{
  int query;

  g_return_val_if_fail (ATTN_IS_DOCUMENT (document), FALSE);

  /* A pair's Links filter (A → B …) leaves the other links untinted, as
   * the maps leave them out. */
  query = attn_document_get_view_query (document);
  if (!attn_document_keeps_link (document, query, (int) token))
    return FALSE;
  return get_link (document, query, (int) token, weight);
}

void
_attn_tint_get_colors (AttnColormap  colormap,
                       AttnScale     scale,
                       double        weight,
                       AttnRgba     *background,
                       AttnRgba     *foreground)
{
  AttnRgba c = attn_colormap_lookup (colormap, attn_scale_apply (scale, weight));

  if (background != NULL)
    *background = c;
  if (foreground != NULL)
    *foreground = attn_rgba_get_text_color (&c);
}

/* One line of the tooltip: "“cat” → “sat”: 0.12", saying when the link is
 * masked or left out by the Links filter (its true weight still given). */
static void
append_link (GString      *text,
             AttnDocument *document,
             int           from,
             int           to,
             const char   *from_name,
             const char   *to_name)
{
  double w;

  if (!get_link (document, from, to, &w))
    /* Translators: query → key, which comes later and is hidden by the causal mask */
    g_string_append_printf (text, _("“%s” → “%s”: masked (a GPT cannot look ahead)"), from_name, to_name);
  else if (!attn_document_keeps_link (document, from, to))
    /* Translators: query → key: weight, for a link the Links filter (A → B …) leaves out */
    g_string_append_printf (text, _("“%s” → “%s”: %.3f (not among the links shown)"), from_name, to_name, w);
  else
    /* Translators: query → key: weight */
    g_string_append_printf (text, _("“%s” → “%s”: %.3f"), from_name, to_name, w);
}

char *
_attn_tint_dup_tooltip (AttnDocument *document,
                        guint         token)
{
  AttnResult *result;
  int query;
  g_autofree char *q = NULL;
  g_autofree char *k = NULL;
  g_autoptr(GString) text = NULL;

  g_return_val_if_fail (ATTN_IS_DOCUMENT (document), NULL);

  result = attn_document_get_view_result (document);
  query = attn_document_get_view_query (document);
  if (result == NULL || query < 0 || (guint) query >= attn_result_get_n_tokens (result)
      || token >= attn_result_get_n_tokens (result))
    return NULL;

  q = _attn_token_display_name (result, query);
  k = _attn_token_display_name (result, token);
  text = g_string_new (NULL);

  /* Translators: the layer and head the weights below come from */
  g_string_append_printf (text, _("Layer %u, head %u:"), attn_document_get_layer (document),
                          attn_document_get_head (document));
  g_string_append_c (text, '\n');
  append_link (text, document, query, (int) token, q, k);
  if ((int) token != query)
    {
      g_string_append_c (text, '\n');
      append_link (text, document, (int) token, query, k, q);
    }

  return g_string_free (g_steal_pointer (&text), FALSE);
}
