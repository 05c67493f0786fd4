/* attn-result.c
 *
 * Copyright 2026 The Attention authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "attn-result"

#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "attn-engine.h"
#include "attn-predictions.h"
#include "attn-result.h"
#include "attn-words.h"

struct _AttnResult
{
  gatomicrefcount ref_count;
  char           *text;
  char           *text_b;        /* sentence B of a pair (attn-pair.h), or NULL */
  char           *model_name;
  AeTokens        tokens;
  char          **token_texts;   /* (T + 1,) NULL-terminated */
  guint          *part_start;    /* (T,) see attn_result_get_token_part() */
  guint          *part_end;
  guint          *char_bytes;    /* (T,) 0 for a token that is whole characters */
  guint8         *piece_kinds;   /* (T,) AttnPieceKind: where words start (attn-words.h) */
  guint           n_dropped;
  AeTrace        *trace;
  AttnEngine     *engine;        /* owned; the one that made the trace */
  AttnRunOutputs  outputs;       /* residual stream, log-probs, ablation (attn-predictions.h) */
  AttnResult     *pieces;        /* owned; a merged result's tokens (attn-result-words.c), else NULL */
  AttnWords      *words;         /* owned with @pieces: which tokens make each word */
};

G_DEFINE_BOXED_TYPE (AttnResult, attn_result, attn_result_ref, attn_result_unref)

/* Byte-level and byte-fallback pieces can split a UTF-8 character ("日" is
 * three tokens of one byte each in GPT-2, <0xE6><0x97><0xA5> in Llama 2).
 * Such a token is shown as the character(s) it is part of, read from the
 * input at its span widened to character boundaries, so the pieces of one
 * character read as that character; attn_result_get_token_part() says which
 * of its bytes the token holds.  Returns FALSE for a token of whole
 * characters. */
static gboolean
widen_to_characters (const char *text,
                     gsize       text_len,
                     gsize       start,
                     gsize       end,
                     gsize      *char_start,
                     gsize      *char_end)
{
  if (end > text_len || start >= end)
    return FALSE;
  while (start > 0 && ((guchar) text[start] & 0xC0) == 0x80)
    start--;
  while (end < text_len && ((guchar) text[end] & 0xC0) == 0x80)
    end++;
  *char_start = start;
  *char_end = end;
  return g_utf8_validate_len (text + start, end - start, NULL);
}

/* Bytes that are not valid UTF-8 and have no span to widen (a token made
 * without text) are written "<0xE6>", as byte-fallback tokenizers print them. */
static char *
printable_piece (const char *bytes,
                 gsize       n_bytes)
{
  GString *out = g_string_sized_new (n_bytes);
  const char *p = bytes;
  const char *end = bytes + n_bytes;

  while (p < end)
    {
      const char *valid_end;

      g_utf8_validate_len (p, end - p, &valid_end);
      g_string_append_len (out, p, valid_end - p);
      if (valid_end < end)
        {
          g_string_append_printf (out, "<0x%02X>", (guchar) *valid_end);
          valid_end++;
        }
      p = valid_end;
    }

  return g_string_free (out, FALSE);
}

/* What the tokenizer says of a token's place in its word, for the words
 * rule in attn-words.h. */
static AttnPieceKind
piece_kind (const AeTokenizer *tokenizer,
            const AeTokens    *tokens,
            gsize              i)
{
  if ((tokens->specials != NULL && tokens->specials[i])
      || ae_tokenizer_is_special (tokenizer, tokens->ids[i]))
    return ATTN_PIECE_SPECIAL;
  if (tokenizer == NULL || ae_tokenizer_kind (tokenizer) != AE_TOKENIZER_WORDPIECE)
    return ATTN_PIECE_PLAIN;
  return _attn_token_is_continuation (tokenizer, tokens->ids[i])
         ? ATTN_PIECE_CONTINUATION : ATTN_PIECE_WORD_START;
}

gboolean
_attn_token_is_continuation (const AeTokenizer *tokenizer,
                             gint32             id)
{
  const char *string;
  size_t n_bytes = 0;

  if (tokenizer == NULL || ae_tokenizer_kind (tokenizer) != AE_TOKENIZER_WORDPIECE
      || ae_tokenizer_is_special (tokenizer, id))
    return FALSE;
  /* A WordPiece continuation's bytes are its string without the "##". */
  string = ae_tokenizer_token_string (tokenizer, id);
  ae_tokenizer_token_bytes (tokenizer, id, &n_bytes);
  return string != NULL && strlen (string) > n_bytes;
}

static void
set_token_text (AttnResult        *self,
                const AeTokenizer *tokenizer,
                gsize              i)
{
  gsize n_bytes = 0, start = self->tokens.starts[i], end = self->tokens.ends[i];
  /* a B token's span is in text B */
  const char *text = self->text_b != NULL && self->tokens.segments != NULL
                     && self->tokens.segments[i] == 1 ? self->text_b : self->text;
  gsize text_len = strlen (text), char_start, char_end;
  const char *bytes = ae_tokenizer_token_bytes (tokenizer, self->tokens.ids[i], &n_bytes);

  if (bytes == NULL)
    self->token_texts[i] = g_strdup ("");
  else if (g_utf8_validate_len (bytes, n_bytes, NULL))
    self->token_texts[i] = g_strndup (bytes, n_bytes);
  else if (widen_to_characters (text, text_len, start, end, &char_start, &char_end))
    {
      self->token_texts[i] = g_strndup (text + char_start, char_end - char_start);
      self->part_start[i] = (guint) (start - char_start);
      self->part_end[i] = (guint) (end - char_start);
      self->char_bytes[i] = (guint) (char_end - char_start);
    }
  else
    self->token_texts[i] = printable_piece (bytes, n_bytes);
}

AttnResult *
_attn_result_new (const char        *text,
                  const char        *model_name,
                  const AeTokenizer *tokenizer,
                  AeTokens          *tokens,
                  guint              n_dropped,
                  AeTrace           *trace)
{
  return _attn_result_new_pair (text, NULL, model_name, tokenizer, tokens, n_dropped, trace);
}

AttnResult *
_attn_result_new_pair (const char        *text,
                       const char        *text_b,
                       const char        *model_name,
                       const AeTokenizer *tokenizer,
                       AeTokens          *tokens,
                       guint              n_dropped,
                       AeTrace           *trace)
{
  AttnResult *self = g_new0 (AttnResult, 1);

  g_atomic_ref_count_init (&self->ref_count);
  self->text = g_strdup (text);
  self->text_b = g_strdup (text_b);
  self->model_name = g_strdup (model_name);
  self->tokens = *tokens;
  memset (tokens, 0, sizeof *tokens);
  self->n_dropped = n_dropped;
  self->trace = trace;

  self->token_texts = g_new0 (char *, self->tokens.n_tokens + 1);
  self->part_start = g_new0 (guint, self->tokens.n_tokens + 1);
  self->part_end = g_new0 (guint, self->tokens.n_tokens + 1);
  self->char_bytes = g_new0 (guint, self->tokens.n_tokens + 1);
  self->piece_kinds = g_new0 (guint8, self->tokens.n_tokens + 1);
  for (gsize i = 0; i < self->tokens.n_tokens; i++)
    {
      set_token_text (self, tokenizer, i);
      self->piece_kinds[i] = piece_kind (tokenizer, &self->tokens, i);
    }

  return self;
}

AttnResult *
_attn_result_new_words (AttnResult *pieces,
                        AttnWords  *words,
                        AeTrace    *trace)
{
  AttnResult *self = g_new0 (AttnResult, 1);
  guint W = words->n_words;

  g_atomic_ref_count_init (&self->ref_count);
  self->text = g_strdup (pieces->text);
  self->text_b = g_strdup (pieces->text_b);   /* words of a pair keep its sentences */
  self->model_name = g_strdup (pieces->model_name);
  self->n_dropped = pieces->n_dropped;
  self->trace = trace;
  self->pieces = attn_result_ref (pieces);
  self->words = words;

  /* A word is its first piece's id (what detectors compare), from its
   * first piece's start to its last piece's end, in its first piece's
   * sentence. */
  self->tokens.n_tokens = W;
  self->tokens.ids = malloc ((W + 1) * sizeof (int32_t));
  self->tokens.starts = malloc ((W + 1) * sizeof (size_t));
  self->tokens.ends = malloc ((W + 1) * sizeof (size_t));
  self->tokens.truncated = pieces->tokens.truncated;
  self->tokens.n_bytes_read = pieces->tokens.n_bytes_read;
  self->tokens.n_bytes_read_b = pieces->tokens.n_bytes_read_b;
  if (pieces->tokens.type_ids != NULL)
    self->tokens.type_ids = malloc ((W + 1) * sizeof (int32_t));
  if (pieces->tokens.segments != NULL)
    self->tokens.segments = malloc (W + 1);
  if (pieces->tokens.specials != NULL)
    self->tokens.specials = malloc (W + 1);
  g_assert (self->tokens.ids && self->tokens.starts && self->tokens.ends);
  for (guint w = 0; w < W; w++)
    {
      guint first = words->first[w], last = words->first[w + 1] - 1;

      self->tokens.ids[w] = pieces->tokens.ids[first];
      self->tokens.starts[w] = pieces->tokens.starts[first];
      self->tokens.ends[w] = MAX (pieces->tokens.ends[last], pieces->tokens.starts[first]);
      if (self->tokens.type_ids != NULL)
        self->tokens.type_ids[w] = pieces->tokens.type_ids[first];
      if (self->tokens.segments != NULL)
        self->tokens.segments[w] = pieces->tokens.segments[first];
      if (self->tokens.specials != NULL)
        self->tokens.specials[w] = pieces->tokens.specials[first];
    }

  self->token_texts = g_new0 (char *, W + 1);
  for (guint w = 0; w < W; w++)
    self->token_texts[w] = g_strdup (words->texts[w]);
  self->part_start = g_new0 (guint, W + 1);
  self->part_end = g_new0 (guint, W + 1);
  self->char_bytes = g_new0 (guint, W + 1);
  /* A word is what its first piece is (a special token is a word alone). */
  self->piece_kinds = g_new0 (guint8, W + 1);
  for (guint w = 0; w < W; w++)
    self->piece_kinds[w] = pieces->piece_kinds[words->first[w]];

  /* A word's probability after the words before it is the product of its
   * pieces' (the first token's NaN stays NaN): the strip's bars. */
  if (pieces->outputs.logprobs != NULL)
    {
      self->outputs.logprobs = g_new (float, W + 1);
      for (guint w = 0; w < W; w++)
        {
          double sum = 0;

          for (guint i = words->first[w]; i < words->first[w + 1]; i++)
            sum += pieces->outputs.logprobs[i];
          self->outputs.logprobs[w] = (float) sum;
        }
    }

  return self;
}

const AttnWords *
attn_result_get_words (const AttnResult *self)
{
  g_return_val_if_fail (self != NULL, NULL);
  return self->words;
}

AttnResult *
attn_result_get_pieces (const AttnResult *self)
{
  g_return_val_if_fail (self != NULL, NULL);
  return self->pieces;
}

AttnResult *
attn_result_ref (AttnResult *self)
{
  g_return_val_if_fail (self != NULL, NULL);

  g_atomic_ref_count_inc (&self->ref_count);
  return self;
}

void
attn_result_unref (AttnResult *self)
{
  g_return_if_fail (self != NULL);

  if (!g_atomic_ref_count_dec (&self->ref_count))
    return;

  g_free (self->text);
  g_free (self->text_b);
  g_free (self->model_name);
  ae_tokens_clear (&self->tokens);
  g_strfreev (self->token_texts);
  g_free (self->part_start);
  g_free (self->part_end);
  g_free (self->char_bytes);
  g_free (self->piece_kinds);
  if (self->trace != NULL)
    ae_trace_free (self->trace);
  _attn_run_outputs_clear (&self->outputs);
  g_clear_object (&self->engine);
  g_clear_pointer (&self->pieces, attn_result_unref);
  g_clear_pointer (&self->words, attn_words_free);
  g_free (self);
}

const char *
attn_result_get_text (const AttnResult *self)
{
  g_return_val_if_fail (self != NULL, NULL);
  return self->text;
}

void
_attn_result_set_engine (AttnResult *self,
                         AttnEngine *engine)
{
  g_set_object (&self->engine, engine);
}

AttnEngine *
attn_result_get_engine (const AttnResult *self)
{
  g_return_val_if_fail (self != NULL, NULL);
  return self->engine;
}

const char *
attn_result_get_model_name (const AttnResult *self)
{
  g_return_val_if_fail (self != NULL, NULL);
  return self->model_name;
}

guint
attn_result_get_n_tokens (const AttnResult *self)
{
  g_return_val_if_fail (self != NULL, 0);
  return self->tokens.n_tokens;
}

guint
attn_result_get_n_layers (const AttnResult *self)
{
  g_return_val_if_fail (self != NULL, 0);
  return self->trace ? self->trace->n_layer : 0;
}

guint
attn_result_get_n_heads (const AttnResult *self)
{
  g_return_val_if_fail (self != NULL, 0);
  return self->trace ? self->trace->n_head : 0;
}

guint
attn_result_get_n_dropped (const AttnResult *self)
{
  g_return_val_if_fail (self != NULL, 0);
  return self->n_dropped;
}

gboolean
attn_result_get_truncated (const AttnResult *self,
                           gsize            *n_bytes_read)
{
  g_return_val_if_fail (self != NULL, FALSE);

  if (n_bytes_read)
    *n_bytes_read = self->tokens.truncated ? self->tokens.n_bytes_read : strlen (self->text);
  return self->tokens.truncated || self->n_dropped > 0;
}

AttnPieceKind
attn_result_get_piece_kind (const AttnResult *self,
                            guint             index)
{
  g_return_val_if_fail (self != NULL, ATTN_PIECE_PLAIN);
  g_return_val_if_fail (index < self->tokens.n_tokens, ATTN_PIECE_PLAIN);
  return self->piece_kinds[index];
}

gint32
attn_result_get_token_id (const AttnResult *self,
                          guint             index)
{
  g_return_val_if_fail (self != NULL, -1);
  g_return_val_if_fail (index < self->tokens.n_tokens, -1);
  return self->tokens.ids[index];
}

const gint32 *
attn_result_get_token_ids (const AttnResult *self)
{
  g_return_val_if_fail (self != NULL, NULL);
  return self->tokens.ids;
}

const char *
attn_result_get_token_text (const AttnResult *self,
                            guint             index)
{
  g_return_val_if_fail (self != NULL, NULL);
  g_return_val_if_fail (index < self->tokens.n_tokens, NULL);
  return self->token_texts[index];
}

gboolean
attn_result_get_token_part (const AttnResult *self,
                            guint             index,
                            guint            *part_start,
                            guint            *part_end,
                            guint            *n_bytes)
{
  g_return_val_if_fail (self != NULL, FALSE);
  g_return_val_if_fail (index < self->tokens.n_tokens, FALSE);

  if (part_start)
    *part_start = self->part_start[index];
  if (part_end)
    *part_end = self->part_end[index];
  if (n_bytes)
    *n_bytes = self->char_bytes[index];
  return self->char_bytes[index] > 0;
}

const char * const *
attn_result_get_token_texts (const AttnResult *self)
{
  g_return_val_if_fail (self != NULL, NULL);
  return (const char * const *) self->token_texts;
}

void
attn_result_get_token_span (const AttnResult *self,
                            guint             index,
                            gsize            *start,
                            gsize            *end)
{
  g_return_if_fail (self != NULL);
  g_return_if_fail (index < self->tokens.n_tokens);

  if (start)
    *start = self->tokens.starts[index];
  if (end)
    *end = self->tokens.ends[index];
}

gboolean
attn_result_has_trace (const AttnResult *self)
{
  g_return_val_if_fail (self != NULL, FALSE);
  return self->trace != NULL;
}

gboolean
attn_result_is_bidirectional (const AttnResult *self)
{
  g_return_val_if_fail (self != NULL, FALSE);
  return self->trace != NULL && self->trace->bidirectional;
}

const AeTrace *
attn_result_get_trace (const AttnResult *self)
{
  g_return_val_if_fail (self != NULL, NULL);
  return self->trace;
}

guint
attn_result_get_n_recomputed (const AttnResult *self)
{
  g_return_val_if_fail (self != NULL, 0);
  return self->trace ? (guint) (self->trace->n_tokens - self->trace->n_reused) : 0;
}

gboolean
attn_result_has_weights_ready (const AttnResult *self,
                               guint             layer,
                               guint             head)
{
  g_return_val_if_fail (self != NULL, FALSE);
  return self->trace != NULL && ae_trace_head_in_memory (self->trace, layer, head);
}

const float *
attn_result_get_weights (const AttnResult *self,
                         guint             layer,
                         guint             head)
{
  g_return_val_if_fail (self != NULL, NULL);
  return self->trace ? ae_trace_weights (self->trace, layer, head) : NULL;
}

const AeTokens *
_attn_result_get_tokens (const AttnResult *self)
{
  return &self->tokens;
}

const char *
_attn_result_get_text_b (const AttnResult *self)
{
  return self->text_b;
}

static gboolean
no_trace (const AttnResult  *self,
          GError           **error)
{
  if (self->trace != NULL)
    return FALSE;
  g_set_error_literal (error, ATTN_ENGINE_ERROR, ATTN_ENGINE_ERROR_INVALID,
                       "this result holds tokens only: the model did not run on them");
  return TRUE;
}

gboolean
attn_result_get_head_rows (const AttnResult *self,
                           guint             layer,
                           guint             head,
                           guint             r0,
                           guint             r1,
                           float            *weights,
                           GError          **error)
{
  AeError ae_error = { 0 };
  AeStatus status;

  g_return_val_if_fail (self != NULL, FALSE);
  if (no_trace (self, error))
    return FALSE;
  status = ae_trace_head_rows (self->trace, layer, head, r0, r1, NULL, 0, weights,
                               self->trace->n_tokens, &ae_error);
  return _attn_status_to_error (status, &ae_error, error);
}

gboolean
attn_result_get_head_pooled (const AttnResult *self,
                             guint             layer,
                             guint             head,
                             guint             n_rows,
                             guint             n_cols,
                             gboolean          max_pool,
                             float            *out,
                             GError          **error)
{
  AeError ae_error = { 0 };
  AeStatus status;

  g_return_val_if_fail (self != NULL, FALSE);
  if (no_trace (self, error))
    return FALSE;
  status = ae_trace_head_pooled (self->trace, layer, head, n_rows, n_cols,
                                 max_pool ? AE_POOL_MAX : AE_POOL_MEAN, out, &ae_error);
  return _attn_status_to_error (status, &ae_error, error);
}

const AttnRunOutputs *
_attn_result_get_outputs (const AttnResult *self)
{
  g_return_val_if_fail (self != NULL, NULL);
  return &self->outputs;
}

void
_attn_result_set_outputs (AttnResult     *self,
                          AttnRunOutputs *outputs)
{
  _attn_run_outputs_clear (&self->outputs);
  self->outputs = *outputs;
  memset (outputs, 0, sizeof *outputs);
}
