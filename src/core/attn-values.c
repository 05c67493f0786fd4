/* attn-values.c
 *
 * Copyright 2026 The Attention authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "attn-values"

#include "config.h"

#include <math.h>
#include <string.h>

#include <glib/gi18n.h>
#include <jansson.h>

#include "attn-pair.h"
#include "attn-predictions.h"
#include "attn-values.h"
#include "attn-words.h"

/* Nine significant digits round-trip every float32 exactly. */
#define FLOAT_FORMAT "%.9g"

typedef struct
{
  guint *layers;
  gsize  n_layers;
  guint *heads;
  gsize  n_heads;
  guint  q0, q1;     /* the rows written: [q0, q1) */
  guint  k0, k1;     /* the keys written: [k0, k1) */
  AttnPairFilter pairs;
} Indices;

static void
indices_clear (Indices *indices)
{
  g_clear_pointer (&indices->layers, g_free);
  g_clear_pointer (&indices->heads, g_free);
}

static guint *
all_or_copy (const guint *chosen,
             gsize        n_chosen,
             guint        n_all,
             gsize       *n_out)
{
  guint *out;

  if (chosen == NULL)
    {
      out = g_new (guint, MAX (n_all, 1));
      for (guint i = 0; i < n_all; i++)
        out[i] = i;
      *n_out = n_all;
      return out;
    }

  *n_out = n_chosen;
  return g_memdup2 (chosen, MAX (n_chosen, 1) * sizeof (guint));
}

/* The rows and keys the selection's pair filter keeps (attn-pair.h). */
static gboolean
resolve_block (AttnResult                *result,
               const AttnValuesSelection *selection,
               Indices                   *indices,
               GError                   **error)
{
  indices->pairs = selection != NULL ? selection->pairs : ATTN_PAIR_FILTER_ALL;
  return attn_pair_filter_get_block (indices->pairs, result, &indices->q0, &indices->q1,
                                     &indices->k0, &indices->k1, error);
}

static gboolean
resolve_indices (AttnResult                *result,
                 const AttnValuesSelection *selection,
                 Indices                   *indices,
                 GError                   **error)
{
  guint n_layers = attn_result_get_n_layers (result);
  guint n_heads = attn_result_get_n_heads (result);

  indices->layers = all_or_copy (selection ? selection->layers : NULL,
                                 selection ? selection->n_layers : 0,
                                 n_layers, &indices->n_layers);
  indices->heads = all_or_copy (selection ? selection->heads : NULL,
                                selection ? selection->n_heads : 0,
                                n_heads, &indices->n_heads);

  for (gsize i = 0; i < indices->n_layers; i++)
    if (indices->layers[i] >= n_layers)
      {
        g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT,
                     _("Layer %u does not exist: the model has layers 0 to %u"),
                     indices->layers[i], n_layers - 1);
        return FALSE;
      }
  for (gsize i = 0; i < indices->n_heads; i++)
    if (indices->heads[i] >= n_heads)
      {
        g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT,
                     _("Head %u does not exist: the model has heads 0 to %u"),
                     indices->heads[i], n_heads - 1);
        return FALSE;
      }
  return resolve_block (result, selection, indices, error);
}

gboolean
attn_values_format_from_string (const char       *name,
                                AttnValuesFormat *format)
{
  static const struct { const char *name; AttnValuesFormat format; } formats[] = {
    { "json", ATTN_VALUES_JSON }, { "csv", ATTN_VALUES_CSV }, { "npy", ATTN_VALUES_NPY },
  };

  for (guint i = 0; name != NULL && i < G_N_ELEMENTS (formats); i++)
    if (g_ascii_strcasecmp (name, formats[i].name) == 0)
      {
        *format = formats[i].format;
        return TRUE;
      }
  return FALSE;
}

gboolean
attn_values_format_from_path (const char       *path,
                              AttnValuesFormat *format)
{
  const char *dot = path ? strrchr (path, '.') : NULL;

  return dot != NULL && attn_values_format_from_string (dot + 1, format);
}

/* A buffered writer: formatting goes into a GString flushed in large
 * chunks, and the first failure sticks so the loops stay simple. */
typedef struct
{
  GOutputStream *stream;
  GCancellable  *cancellable;
  GString       *buffer;
  GError        *error;
} Writer;

static void
writer_flush (Writer *w)
{
  if (w->error == NULL && w->buffer->len > 0)
    g_output_stream_write_all (w->stream, w->buffer->str, w->buffer->len,
                               NULL, w->cancellable, &w->error);
  g_string_truncate (w->buffer, 0);
}

static void
writer_maybe_flush (Writer *w)
{
  if (w->buffer->len >= 1 << 16)
    writer_flush (w);
}

static void
writer_float (Writer *w,
              float   value)
{
  char buf[G_ASCII_DTOSTR_BUF_SIZE];

  g_string_append (w->buffer, g_ascii_formatd (buf, sizeof buf, FLOAT_FORMAT, value));
}

/* JSON has no NaN or infinity: a value that is not finite (from a model
 * whose numbers overflow) is written as null, so every row keeps its
 * length and the file stays valid JSON. */
static void
writer_json_float (Writer *w,
                   float   value)
{
  if (isfinite (value))
    writer_float (w, value);
  else
    g_string_append (w->buffer, "null");
}

static void
writer_json_string (Writer     *w,
                    const char *text)
{
  json_t *string = json_string (text);
  char *encoded = string ? json_dumps (string, JSON_ENCODE_ANY) : NULL;

  g_string_append (w->buffer, encoded ? encoded : "\"\"");
  free (encoded);
  json_decref (string);
}

/* Whole-model exports go head by head and, inside a head, a block of rows
 * at a time (attn_result_get_head_rows()): memory stays one block of
 * ROW_BLOCK × T floats whatever the number of heads and tokens. */
#define ROW_BLOCK 64

/* Rows r0 .. r1 - 1 of one head into @block; FALSE (the error kept in @w)
 * when the head cannot be read or an earlier write failed. */
static gboolean
writer_rows (Writer     *w,
             AttnResult *result,
             guint       layer,
             guint       head,
             guint       r0,
             guint       r1,
             float      *block)
{
  if (w->error != NULL)
    return FALSE;
  return attn_result_get_head_rows (result, layer, head, r0, r1, block, &w->error);
}

static void
writer_csv_string (Writer     *w,
                   const char *text)
{
  g_string_append_c (w->buffer, '"');
  for (const char *p = text; *p; p++)
    {
      if (*p == '"')
        g_string_append_c (w->buffer, '"');
      g_string_append_c (w->buffer, *p);
    }
  g_string_append_c (w->buffer, '"');
}

static void
write_json (Writer                    *w,
            AttnResult                *result,
            const AttnValuesSelection *selection,
            const Indices             *ix,
            float                     *block)
{
  guint T = attn_result_get_n_tokens (result);
  const AttnWords *words = attn_result_get_words (result);
  AttnResult *tokens = words != NULL ? attn_result_get_pieces (result) : result;

  g_string_append (w->buffer, "{\n  \"model\": ");
  writer_json_string (w, attn_result_get_model_name (result));
  /* dropped_tokens: how many tokens past the context a truncated run left
   * out (0 when the whole text fit). */
  g_string_append_printf (w->buffer, ",\n  \"n_layer\": %u,\n  \"n_head\": %u,\n  \"n_ctx\": %u,\n"
                          "  \"dropped_tokens\": %u,\n",
                          selection && selection->n_layer ? selection->n_layer : attn_result_get_n_layers (result),
                          selection && selection->n_head ? selection->n_head : attn_result_get_n_heads (result),
                          selection ? selection->n_ctx : 0, attn_result_get_n_dropped (result));

  /* the heads a run switched off: the numbers are the ablated model's */
  if (attn_result_get_ablation (result) != NULL)
    {
      g_autofree char *list = attn_result_dup_ablation_list (result);
      g_auto(GStrv) items = g_strsplit (list, ",", -1);

      g_string_append (w->buffer, "  \"ablated\": [");
      for (guint i = 0; items[i] != NULL; i++)
        g_string_append_printf (w->buffer, "%s\"%s\"", i ? ", " : "", items[i]);
      g_string_append_printf (w->buffer, "],\n  \"ablation\": \"%s\",\n",
                              ae_ablation_kind_to_string (attn_result_get_ablation (result)->kind));
    }

  /* Words merged from pieces: "words" and "pieces" ([first token, end)
   * of the model's "tokens" and "ids") label the attention's axes. */
  if (words != NULL)
    {
      g_string_append (w->buffer, "  \"merged_words\": true,\n"
                       "  \"merge\": \"sum over the key word's pieces, mean over the query word's\",\n"
                       "  \"words\": [");
      for (guint i = 0; i < T; i++)
        {
          if (i > 0)
            g_string_append (w->buffer, ", ");
          writer_json_string (w, attn_result_get_token_text (result, i));
        }
      g_string_append (w->buffer, "],\n  \"pieces\": [");
      for (guint i = 0; i < T; i++)
        g_string_append_printf (w->buffer, "%s[%u, %u]", i ? ", " : "", words->first[i], words->first[i + 1]);
      g_string_append (w->buffer, "],\n");
    }

  g_string_append (w->buffer, "  \"tokens\": [");
  for (guint i = 0; i < attn_result_get_n_tokens (tokens); i++)
    {
      if (i > 0)
        g_string_append (w->buffer, ", ");
      writer_json_string (w, attn_result_get_token_text (tokens, i));
    }
  g_string_append (w->buffer, "],\n  \"ids\": [");
  for (guint i = 0; i < attn_result_get_n_tokens (tokens); i++)
    g_string_append_printf (w->buffer, "%s%d", i ? ", " : "", attn_result_get_token_id (tokens, i));
  g_string_append (w->buffer, "],\n  \"offsets\": [");
  for (guint i = 0; i < attn_result_get_n_tokens (tokens); i++)
    {
      gsize start, end;

      attn_result_get_token_span (tokens, i, &start, &end);
      g_string_append_printf (w->buffer, "%s[%zu, %zu]", i ? ", " : "", start, end);
    }
  /* sentence pairs (attn-pair.h): each token's type id and segment; a B
   * token's offsets are in text_b */
  g_string_append (w->buffer, "],\n  \"token_type_ids\": [");
  for (guint i = 0; i < T; i++)
    g_string_append_printf (w->buffer, "%s%d", i ? ", " : "", attn_result_get_token_type_id (result, i));
  g_string_append (w->buffer, "],\n  \"segments\": [");
  for (guint i = 0; i < T; i++)
    g_string_append_printf (w->buffer, "%s\"%s\"", i ? ", " : "",
                            attn_segment_to_string (attn_result_get_segment (result, i)));
  if (attn_result_has_pair (result))
    {
      g_string_append (w->buffer, "],\n  \"text_b\": ");
      writer_json_string (w, attn_result_get_text_b (result));
      g_string_append (w->buffer, ",\n  \"layers\": [");
    }
  else
    g_string_append (w->buffer, "],\n  \"layers\": [");
  for (gsize i = 0; i < ix->n_layers; i++)
    g_string_append_printf (w->buffer, "%s%u", i ? ", " : "", ix->layers[i]);
  g_string_append (w->buffer, "],\n  \"heads\": [");
  for (gsize i = 0; i < ix->n_heads; i++)
    g_string_append_printf (w->buffer, "%s%u", i ? ", " : "", ix->heads[i]);
  g_string_append (w->buffer, "]");
  /* A pair's filter: which links, and the tokens of the block's rows and
   * columns ("attention" is layers × heads × queries × keys). */
  _attn_values_append_links (w->buffer, ",\n  ", ix->pairs, ix->q0, ix->q1, ix->k0, ix->k1);
  g_string_append (w->buffer, ",\n  \"attention\": [");

  for (gsize l = 0; l < ix->n_layers; l++)
    {
      g_string_append (w->buffer, l ? ",\n    [" : "\n    [");
      for (gsize h = 0; h < ix->n_heads; h++)
        {
          g_string_append (w->buffer, h ? ",\n     [" : "\n     [");
          for (guint r0 = ix->q0; r0 < ix->q1; r0 += ROW_BLOCK)
            {
              guint r1 = MIN (r0 + ROW_BLOCK, ix->q1);

              if (!writer_rows (w, result, ix->layers[l], ix->heads[h], r0, r1, block))
                return;
              for (guint q = r0; q < r1; q++)
                {
                  const float *row = block + (gsize) (q - r0) * T;

                  g_string_append (w->buffer, q > ix->q0 ? ",\n      [" : "\n      [");
                  for (guint k = ix->k0; k < ix->k1; k++)
                    {
                      if (k > ix->k0)
                        g_string_append (w->buffer, ", ");
                      writer_json_float (w, row[k]);
                    }
                  g_string_append_c (w->buffer, ']');
                  writer_maybe_flush (w);
                }
            }
          g_string_append (w->buffer, "]");
        }
      g_string_append (w->buffer, "]");
    }
  g_string_append (w->buffer, "\n  ]\n}\n");
}

static void
write_csv (Writer        *w,
           AttnResult    *result,
           const Indices *ix,
           float         *block)
{
  guint T = attn_result_get_n_tokens (result);

  g_string_append (w->buffer, attn_result_get_words (result) != NULL
                              ? "layer,head,query,key,query_word,key_word,weight\n"
                              : "layer,head,query,key,query_token,key_token,weight\n");
  for (gsize l = 0; l < ix->n_layers; l++)
    for (gsize h = 0; h < ix->n_heads; h++)
      for (guint r0 = ix->q0; r0 < ix->q1; r0 += ROW_BLOCK)
        {
          guint r1 = MIN (r0 + ROW_BLOCK, ix->q1);

          if (!writer_rows (w, result, ix->layers[l], ix->heads[h], r0, r1, block))
            return;
          for (guint q = r0; q < r1; q++)
            {
              for (guint k = ix->k0; k < ix->k1; k++)
                {
                  g_string_append_printf (w->buffer, "%u,%u,%u,%u,", ix->layers[l], ix->heads[h], q, k);
                  writer_csv_string (w, attn_result_get_token_text (result, q));
                  g_string_append_c (w->buffer, ',');
                  writer_csv_string (w, attn_result_get_token_text (result, k));
                  g_string_append_c (w->buffer, ',');
                  writer_float (w, block[(gsize) (q - r0) * T + k]);
                  g_string_append_c (w->buffer, '\n');
                }
              writer_maybe_flush (w);
            }
        }
}

void
_attn_values_append_links (GString        *out,
                           const char     *separator,
                           AttnPairFilter  pairs,
                           guint           q0,
                           guint           q1,
                           guint           k0,
                           guint           k1)
{
  if (pairs == ATTN_PAIR_FILTER_ALL)
    return;
  g_string_append_printf (out, "%s\"links\": \"%s\"%s\"queries\": [", separator,
                          attn_pair_filter_to_string (pairs), separator);
  for (guint q = q0; q < q1; q++)
    g_string_append_printf (out, "%s%u", q > q0 ? ", " : "", q);
  g_string_append_printf (out, "]%s\"keys\": [", separator);
  for (guint k = k0; k < k1; k++)
    g_string_append_printf (out, "%s%u", k > k0 ? ", " : "", k);
  g_string_append_c (out, ']');
}

/* NumPy's .npy version 1.0: magic, header length, a Python dict literal
 * padded with spaces to a multiple of 64 bytes, then little-endian data. */
void
attn_values_npy_header (GString    *out,
                        const char *shape)
{
  g_autoptr(GString) header = g_string_new (NULL);
  guint16 header_len;

  g_string_printf (header, "{'descr': '<f4', 'fortran_order': False, 'shape': %s, }", shape);
  while ((10 + header->len + 1) % 64 != 0)
    g_string_append_c (header, ' ');
  g_string_append_c (header, '\n');

  header_len = GUINT16_TO_LE ((guint16) header->len);
  g_string_append_len (out, "\x93NUMPY\x01\x00", 8);
  g_string_append_len (out, (const char *) &header_len, 2);
  g_string_append_len (out, header->str, header->len);
}

static void
write_npy (Writer        *w,
           AttnResult    *result,
           const Indices *ix,
           float         *block)
{
  guint T = attn_result_get_n_tokens (result);
  g_autoptr(GString) header = g_string_new (NULL);

  guint n_keys = ix->k1 - ix->k0;

  g_string_printf (header, "(%zu, %zu, %u, %u)", ix->n_layers, ix->n_heads, ix->q1 - ix->q0, n_keys);
  attn_values_npy_header (w->buffer, header->str);

  for (gsize l = 0; l < ix->n_layers; l++)
    for (gsize h = 0; h < ix->n_heads; h++)
      for (guint r0 = ix->q0; r0 < ix->q1; r0 += ROW_BLOCK)
        {
          guint r1 = MIN (r0 + ROW_BLOCK, ix->q1);

          if (!writer_rows (w, result, ix->layers[l], ix->heads[h], r0, r1, block))
            return;
          /* each row's keys [k0, k1): the whole row unless a pair is filtered */
          for (guint q = r0; q < r1; q++)
            {
              const float *keys = block + (gsize) (q - r0) * T + ix->k0;
#if G_BYTE_ORDER == G_LITTLE_ENDIAN
              g_string_append_len (w->buffer, (const char *) keys, (gssize) (n_keys * sizeof (float)));
#else
              for (guint i = 0; i < n_keys; i++)
                {
                  guint32 bits;

                  memcpy (&bits, &keys[i], 4);
                  bits = GUINT32_TO_LE (bits);
                  g_string_append_len (w->buffer, (const char *) &bits, 4);
                }
#endif
            }
          writer_maybe_flush (w);
        }
}

gboolean
attn_values_write (AttnResult                *result,
                   const AttnValuesSelection *selection,
                   AttnValuesFormat           format,
                   GOutputStream             *stream,
                   GCancellable              *cancellable,
                   GError                   **error)
{
  Indices ix = { 0 };
  Writer w = { stream, cancellable, NULL, NULL };
  g_autofree float *block = NULL;

  g_return_val_if_fail (result != NULL, FALSE);
  g_return_val_if_fail (G_IS_OUTPUT_STREAM (stream), FALSE);
  g_return_val_if_fail (format <= ATTN_VALUES_NPY, FALSE);

  if (!resolve_indices (result, selection, &ix, error))
    {
      indices_clear (&ix);
      return FALSE;
    }

  w.buffer = g_string_sized_new (1 << 17);
  block = g_new (float, (gsize) ROW_BLOCK * MAX (attn_result_get_n_tokens (result), 1));
  switch (format)
    {
    case ATTN_VALUES_JSON: write_json (&w, result, selection, &ix, block); break;
    case ATTN_VALUES_CSV:  write_csv (&w, result, &ix, block); break;
    case ATTN_VALUES_NPY:  write_npy (&w, result, &ix, block); break;
    }
  writer_flush (&w);

  g_string_free (w.buffer, TRUE);
  indices_clear (&ix);

  if (w.error != NULL)
    {
      g_propagate_error (error, w.error);
      return FALSE;
    }
  return TRUE;
}

typedef struct
{
  AttnResult                *result;
  const AttnValuesSelection *selection;
  AttnValuesFormat           format;
} ValuesJob;

static gboolean
write_values_cb (GOutputStream  *stream,
                 gpointer        user_data,
                 GCancellable   *cancellable,
                 GError        **error)
{
  ValuesJob *job = user_data;

  return attn_values_write (job->result, job->selection, job->format, stream, cancellable, error);
}

gboolean
attn_values_write_file (AttnResult                *result,
                        const AttnValuesSelection *selection,
                        AttnValuesFormat           format,
                        const char                *path,
                        GCancellable              *cancellable,
                        GError                   **error)
{
  ValuesJob job = { result, selection, format };

  /* Checked before the file is opened: attn_values_write () would refuse it
   * without setting @error. */
  g_return_val_if_fail (format <= ATTN_VALUES_NPY, FALSE);

  return attn_write_file_atomically (path, write_values_cb, &job, cancellable, error);
}
