/* attn-result.c
 *
 * Copyright 2026 The Attention authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "attn-result"

#include "config.h"

#include <string.h>

#include "attn-engine.h"
#include "attn-result.h"

struct _AttnResult
{
  gatomicrefcount ref_count;
  char           *text;
  char           *model_name;
  AeTokens        tokens;
  char          **token_texts;   /* (T + 1,) NULL-terminated */
  guint           n_dropped;
  AeTrace        *trace;
  AttnEngine     *engine;        /* owned; the one that made the trace */
};

G_DEFINE_BOXED_TYPE (AttnResult, attn_result, attn_result_ref, attn_result_unref)

/* Byte-level pieces can split a UTF-8 character ("日" is three tokens of
 * one byte each).  Such bytes are written "<0xE6>", as byte-fallback
 * tokenizers print them: a person can tell the pieces apart, where U+FFFD
 * would make them all look the same, and pango and JSON get valid UTF-8. */
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

AttnResult *
_attn_result_new (const char        *text,
                  const char        *model_name,
                  const AeTokenizer *tokenizer,
                  AeTokens          *tokens,
                  guint              n_dropped,
                  AeTrace           *trace)
{
  AttnResult *self = g_new0 (AttnResult, 1);

  g_atomic_ref_count_init (&self->ref_count);
  self->text = g_strdup (text);
  self->model_name = g_strdup (model_name);
  self->tokens = *tokens;
  memset (tokens, 0, sizeof *tokens);
  self->n_dropped = n_dropped;
  self->trace = trace;

  self->token_texts = g_new0 (char *, self->tokens.n_tokens + 1);
  for (gsize i = 0; i < self->tokens.n_tokens; i++)
    {
      gsize n_bytes = 0;
      const char *bytes = ae_tokenizer_token_bytes (tokenizer, self->tokens.ids[i], &n_bytes);

      self->token_texts[i] = bytes ? printable_piece (bytes, n_bytes) : g_strdup ("");
    }

  return self;
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
  g_free (self->model_name);
  ae_tokens_clear (&self->tokens);
  g_strfreev (self->token_texts);
  if (self->trace != NULL)
    ae_trace_free (self->trace);
  g_clear_object (&self->engine);
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

const AeTrace *
attn_result_get_trace (const AttnResult *self)
{
  g_return_val_if_fail (self != NULL, NULL);
  return self->trace;
}

const float *
attn_result_get_weights (const AttnResult *self,
                         guint             layer,
                         guint             head)
{
  g_return_val_if_fail (self != NULL, NULL);
  return self->trace ? ae_trace_weights (self->trace, layer, head) : NULL;
}
