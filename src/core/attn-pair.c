/* attn-pair.c
 *
 * Copyright 2026 The Attention authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Sentence pairs: which engines read them, encoding a pair for a pass, and
 * what a result says about each token's sentence (attn-pair.h).
 */

#define G_LOG_DOMAIN "attn-pair"

#include "config.h"

#include <string.h>

#include <glib/gi18n.h>

#include "attn-engine-private.h"
#include "attn-pair.h"

gboolean
attn_engine_accepts_pairs (AttnEngine *self)
{
  const AeModel *model;

  g_return_val_if_fail (ATTN_IS_ENGINE (self), FALSE);
  model = attn_engine_get_model (self);
  return ae_model_config (model)->arch.bidirectional
         && ae_tokenizer_has_pairs (ae_model_tokenizer (model));
}

char *
attn_engine_dup_pair_refusal (AttnEngine *self)
{
  g_return_val_if_fail (ATTN_IS_ENGINE (self), NULL);

  if (attn_engine_accepts_pairs (self))
    return NULL;
  if (!ae_model_config (attn_engine_get_model (self))->arch.bidirectional)
    return g_strdup_printf (_("“%s” is a decoder: it reads one text from left to right. "
                              "Sentence pairs are for encoders such as BERT, DistilBERT and RoBERTa"),
                            attn_engine_get_name (self));
  return g_strdup_printf (_("The tokenizer of “%s” has no template for sentence pairs"),
                          attn_engine_get_name (self));
}

gboolean
_attn_engine_encode (AttnEngine         *self,
                     const char         *text,
                     const char         *text_b,
                     gsize               max_tokens,
                     const AeCancelFlag *cancel,
                     AeTokens           *tokens,
                     GError            **error)
{
  const AeTokenizer *tok = ae_model_tokenizer (attn_engine_get_model (self));
  AeEncodeOptions options = { max_tokens, cancel };
  AeError ae_error = { 0 };
  AeStatus status;

  if (text_b == NULL || text_b[0] == '\0')
    status = ae_tokenizer_encode_with (tok, text, strlen (text), &options, tokens, &ae_error);
  else if (!attn_engine_accepts_pairs (self))
    {
      g_autofree char *why = attn_engine_dup_pair_refusal (self);

      memset (tokens, 0, sizeof *tokens);
      g_set_error_literal (error, ATTN_ENGINE_ERROR, ATTN_ENGINE_ERROR_UNSUPPORTED, why);
      return FALSE;
    }
  else
    status = ae_tokenizer_encode_pair (tok, text, strlen (text), text_b, strlen (text_b),
                                       &options, tokens, &ae_error);
  return _attn_engine_status_to_error (status, &ae_error, error);
}

AttnResult *
attn_engine_tokenize_pair (AttnEngine  *self,
                           const char  *text,
                           const char  *text_b,
                           GError     **error)
{
  AeTokens tokens = { 0 };
  AttnResult *result;

  g_return_val_if_fail (ATTN_IS_ENGINE (self), NULL);
  g_return_val_if_fail (text != NULL, NULL);

  if (!_attn_engine_encode (self, text, text_b, 0, NULL, &tokens, error))
    return NULL;
  result = _attn_result_new_pair (text, text_b != NULL && text_b[0] ? text_b : NULL,
                                  attn_engine_get_name (self),
                                  ae_model_tokenizer (attn_engine_get_model (self)), &tokens, 0,
                                  NULL);
  _attn_result_set_engine (result, self);
  return result;
}

gboolean
attn_result_accepts_pairs (const AttnResult *self)
{
  AttnEngine *engine;

  g_return_val_if_fail (self != NULL, FALSE);
  engine = attn_result_get_engine (self);
  return engine != NULL && attn_engine_accepts_pairs (engine);
}

gboolean
attn_result_has_pair (const AttnResult *self)
{
  g_return_val_if_fail (self != NULL, FALSE);
  return _attn_result_get_text_b (self) != NULL;
}

const char *
attn_result_get_text_b (const AttnResult *self)
{
  g_return_val_if_fail (self != NULL, NULL);
  return _attn_result_get_text_b (self);
}

AttnSegment
attn_result_get_segment (const AttnResult *self,
                         guint             index)
{
  const AeTokens *t;

  g_return_val_if_fail (self != NULL, ATTN_SEGMENT_A);
  t = _attn_result_get_tokens (self);
  g_return_val_if_fail (index < t->n_tokens, ATTN_SEGMENT_A);
  if (t->specials != NULL && t->specials[index])
    return ATTN_SEGMENT_SPECIAL;
  return t->segments != NULL && t->segments[index] == 1 ? ATTN_SEGMENT_B : ATTN_SEGMENT_A;
}

guint
attn_result_get_sentence (const AttnResult *self,
                          guint             index)
{
  const AeTokens *t;

  g_return_val_if_fail (self != NULL, 0);
  t = _attn_result_get_tokens (self);
  g_return_val_if_fail (index < t->n_tokens, 0);
  return t->segments != NULL ? t->segments[index] : 0;
}

guint
attn_result_get_first_b (const AttnResult *self)
{
  const AeTokens *t;
  guint i = 0;

  g_return_val_if_fail (self != NULL, 0);
  t = _attn_result_get_tokens (self);
  while (i < t->n_tokens && t->segments != NULL && t->segments[i] == 0)
    i++;
  return t->segments != NULL ? i : (guint) t->n_tokens;
}

gint32
attn_result_get_token_type_id (const AttnResult *self,
                               guint             index)
{
  const AeTokens *t;

  g_return_val_if_fail (self != NULL, 0);
  t = _attn_result_get_tokens (self);
  g_return_val_if_fail (index < t->n_tokens, 0);
  return t->type_ids != NULL ? t->type_ids[index] : 0;
}

const char *
attn_segment_to_string (AttnSegment segment)
{
  switch (segment)
    {
    case ATTN_SEGMENT_B:       return "B";
    case ATTN_SEGMENT_SPECIAL: return "special";
    case ATTN_SEGMENT_A:
    default:                   return "A";
    }
}

static const char *const filter_names[] = { "all", "A->A", "A->B", "B->A", "B->B" };

gboolean
attn_pair_filter_keeps (AttnPairFilter    filter,
                        const AttnResult *self,
                        guint             query,
                        guint             key)
{
  guint q, k;

  if (filter == ATTN_PAIR_FILTER_ALL)
    return TRUE;
  if (!attn_result_has_pair (self) || query >= attn_result_get_n_tokens (self)
      || key >= attn_result_get_n_tokens (self))
    return FALSE;
  q = attn_result_get_sentence (self, query);
  k = attn_result_get_sentence (self, key);
  switch (filter)
    {
    case ATTN_PAIR_FILTER_A_TO_A: return q == 0 && k == 0;
    case ATTN_PAIR_FILTER_A_TO_B: return q == 0 && k == 1;
    case ATTN_PAIR_FILTER_B_TO_A: return q == 1 && k == 0;
    case ATTN_PAIR_FILTER_B_TO_B: return q == 1 && k == 1;
    case ATTN_PAIR_FILTER_ALL:
    default:                      return TRUE;
    }
}

/* Sentence @sentence's tokens [*start, *end). */
static void
sentence_range (const AttnResult *self,
                guint             sentence,
                guint            *start,
                guint            *end)
{
  guint first_b = attn_result_get_first_b (self);

  *start = sentence == 0 ? 0 : first_b;
  *end = sentence == 0 ? first_b : attn_result_get_n_tokens (self);
}

gboolean
attn_pair_filter_get_block (AttnPairFilter    filter,
                            const AttnResult *self,
                            guint            *q0,
                            guint            *q1,
                            guint            *k0,
                            guint            *k1,
                            GError          **error)
{
  g_return_val_if_fail (self != NULL, FALSE);

  *q0 = *k0 = 0;
  *q1 = *k1 = attn_result_get_n_tokens (self);
  if (filter == ATTN_PAIR_FILTER_ALL)
    return TRUE;
  if (!attn_result_has_pair (self))
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT,
                   /* Translators: %s is a filter such as "A->B" */
                   _("Links %s: the text is not a sentence pair (give sentence B)"),
                   attn_pair_filter_to_string (filter));
      return FALSE;
    }
  sentence_range (self, filter == ATTN_PAIR_FILTER_B_TO_A || filter == ATTN_PAIR_FILTER_B_TO_B, q0, q1);
  sentence_range (self, filter == ATTN_PAIR_FILTER_A_TO_B || filter == ATTN_PAIR_FILTER_B_TO_B, k0, k1);
  return TRUE;
}

gboolean
attn_pair_filter_from_string (const char     *name,
                              AttnPairFilter *filter)
{
  for (guint i = 0; name != NULL && i < G_N_ELEMENTS (filter_names); i++)
    if (g_ascii_strcasecmp (name, filter_names[i]) == 0)
      {
        *filter = (AttnPairFilter) i;
        return TRUE;
      }
  return FALSE;
}

const char *
attn_pair_filter_to_string (AttnPairFilter filter)
{
  return (guint) filter < G_N_ELEMENTS (filter_names) ? filter_names[filter] : "all";
}

/* Characters of @text from byte @from on. */
static guint
chars_after (const char *text,
             gsize       from)
{
  gsize len = text != NULL ? strlen (text) : 0;

  return from < len ? (guint) g_utf8_strlen (text + from, -1) : 0;
}

char *
attn_result_dup_truncation_notice (const AttnResult *self,
                                   guint             n_ctx)
{
  const char *text_b = _attn_result_get_text_b (self);
  guint T, unread_a, unread_b;
  gsize read_a = 0;

  g_return_val_if_fail (self != NULL, NULL);
  if (!attn_result_get_truncated (self, &read_a))
    return NULL;

  T = attn_result_get_n_tokens (self);
  unread_a = chars_after (attn_result_get_text (self), read_a);
  unread_b = text_b != NULL ? chars_after (text_b, _attn_result_get_tokens (self)->n_bytes_read_b) : 0;

  if (text_b != NULL && unread_a > 0)
    /* Translators: a sentence pair past the model's context: tokens shown,
     * characters of sentence A left out, the context.  B comes after A, so
     * none of it was read. */
    return g_strdup_printf (g_dngettext (GETTEXT_PACKAGE,
                                         "Showing the first %u tokens; the last %u character of sentence A and all of sentence B do not fit in this model’s context of %u tokens.",
                                         "Showing the first %u tokens; the last %u characters of sentence A and all of sentence B do not fit in this model’s context of %u tokens.",
                                         unread_a),
                            T, unread_a, n_ctx);
  if (text_b != NULL && unread_b > 0)
    /* Translators: as above, when sentence A fit and B was cut */
    return g_strdup_printf (g_dngettext (GETTEXT_PACKAGE,
                                         "Showing the first %u tokens; the last %u character of sentence B does not fit in this model’s context of %u tokens.",
                                         "Showing the first %u tokens; the last %u characters of sentence B do not fit in this model’s context of %u tokens.",
                                         unread_b),
                            T, unread_b, n_ctx);
  if (unread_a > 0)
    /* Translators: shown when the text is longer than the model's
     * context; the second number counts characters of the text */
    return g_strdup_printf (g_dngettext (GETTEXT_PACKAGE,
                                         "Showing the first %u tokens; the last %u character of the text does not fit in this model’s context of %u tokens.",
                                         "Showing the first %u tokens; the last %u characters of the text do not fit in this model’s context of %u tokens.",
                                         unread_a),
                            T, unread_a, n_ctx);
  /* Every character was read but not every token kept (the template's
   * closing tokens, or tokens counted past the context): no "0 characters". */
  return g_strdup_printf (_("Showing the first %u tokens; the end of the text does not fit in this model’s context of %u tokens."),
                          T, n_ctx);
}

const char *
attn_pair_filter_describe (AttnPairFilter filter)
{
  static const char *const names[] = {
    NULL,
    /* Translators: a map filtered to the links of a sentence pair */
    N_("links A → A only"), N_("links A → B only"), N_("links B → A only"), N_("links B → B only"),
  };

  if (filter <= ATTN_PAIR_FILTER_ALL || filter >= (int) G_N_ELEMENTS (names))
    return NULL;
  return _(names[filter]);
}
