/* attn-compare-values.c
 *
 * Copyright 2026 The Attention authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "attn-compare"

#include "config.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include <glib/gi18n.h>
#include <jansson.h>

#include "ae-trace.h"
#include "attn-compare-values.h"

static json_t *
json_float (double x)
{
  return isnan (x) || isinf (x) ? json_null () : json_real (x);
}

static json_t *
token_array (AttnResult *result,
             gboolean    ids)
{
  json_t *array = json_array ();

  for (guint i = 0; i < attn_result_get_n_tokens (result); i++)
    json_array_append_new (array, ids ? json_integer (attn_result_get_token_id (result, i))
                                      : json_string (attn_result_get_token_text (result, i)));
  return array;
}

static json_t *
matrix (const float *w,
        guint        T)
{
  json_t *rows = json_array ();

  for (guint q = 0; q < T; q++)
    {
      json_t *row = json_array ();

      for (guint k = 0; k < T; k++)
        json_array_append_new (row, json_real (w[(gsize) q * T + k]));
      json_array_append_new (rows, row);
    }
  return rows;
}

static char *
dup_json (AttnResult          *a,
          AttnResult          *b,
          const AttnAlignment *al,
          guint                layer,
          guint                head,
          int                  query,
          const float         *wa,
          const float         *wb)
{
  guint Ta = al->n_a, Tb = al->n_b;
  json_t *root = json_object ();
  json_t *aligned = json_array ();
  json_t *delta = json_array ();
  char *dump, *text;

  json_object_set_new (root, "model", json_string (attn_result_get_model_name (a)));
  json_object_set_new (root, "layer", json_integer (layer));
  json_object_set_new (root, "head", json_integer (head));
  json_object_set_new (root, "text_a", json_string (attn_result_get_text (a)));
  json_object_set_new (root, "text_b", json_string (attn_result_get_text (b)));
  json_object_set_new (root, "tokens_a", token_array (a, FALSE));
  json_object_set_new (root, "tokens_b", token_array (b, FALSE));
  json_object_set_new (root, "ids_a", token_array (a, TRUE));
  json_object_set_new (root, "ids_b", token_array (b, TRUE));
  for (guint i = 0; i < Ta; i++)
    if (al->b_of_a[i] >= 0)
      json_array_append_new (aligned, json_pack ("[i, i]", i, al->b_of_a[i]));
  json_object_set_new (root, "aligned", aligned);
  json_object_set_new (root, "attention_a", matrix (wa, Ta));
  json_object_set_new (root, "attention_b", matrix (wb, Tb));
  for (guint q = 0; q < Ta; q++)
    {
      json_t *row = json_array ();
      int qb = al->b_of_a[q];

      for (guint k = 0; k < Ta; k++)
        {
          int kb = al->b_of_a[k];

          json_array_append_new (row, qb >= 0 && kb >= 0
                                      ? json_real ((double) wb[(gsize) qb * Tb + kb] - wa[(gsize) q * Ta + k])
                                      : json_null ());
        }
      json_array_append_new (delta, row);
    }
  json_object_set_new (root, "delta", delta);
  json_object_set_new (root, "query", query >= 0 ? json_integer (query) : json_null ());
  if (query >= 0)
    {
      guint n = 0;
      g_autofree AttnCompareRank *ranks = attn_compare_rank_heads (a, b, al, (guint) query, &n);
      json_t *ranking = json_array ();

      for (guint i = 0; i < n; i++)
        json_array_append_new (ranking,
                               json_pack ("{s:i, s:i, s:o, s:o, s:o, s:o}", "layer", ranks[i].layer,
                                          "head", ranks[i].head, "change", json_float (ranks[i].change),
                                          "key", ranks[i].key >= 0 ? json_integer (ranks[i].key) : json_null (),
                                          "key_token", ranks[i].key >= 0
                                            ? json_string (attn_result_get_token_text (a, ranks[i].key))
                                            : json_null (),
                                          "key_delta", json_float (ranks[i].key_delta)));
      json_object_set_new (root, "ranking", ranking);
    }
  dump = json_dumps (root, JSON_INDENT (2) | JSON_PRESERVE_ORDER | JSON_REAL_PRECISION (9));
  json_decref (root);
  text = g_strconcat (dump, "\n", NULL);
  free (dump);
  return text;
}

static void
append_csv_text (GString    *csv,
                 const char *text)
{
  g_autofree char *escaped = NULL;
  g_auto(GStrv) parts = g_strsplit (text, "\"", -1);

  escaped = g_strjoinv ("\"\"", parts);
  g_string_append_printf (csv, ",\"%s\"", escaped);
}

static void
append_csv_number (GString *csv,
                   double   x)
{
  char buffer[G_ASCII_DTOSTR_BUF_SIZE];

  g_string_append_c (csv, ',');
  if (!isnan (x))
    g_string_append (csv, g_ascii_formatd (buffer, sizeof buffer, "%.9g", x));
}

static char *
dup_csv (AttnResult          *a,
         const AttnAlignment *al,
         const float         *wa,
         const float         *wb)
{
  GString *csv = g_string_new ("query,key,query_token,key_token,b_query,b_key,weight_a,weight_b,delta\n");
  guint Ta = al->n_a, Tb = al->n_b;

  for (guint q = 0; q < Ta; q++)
    for (guint k = 0; k < Ta; k++)
      {
        int qb = al->b_of_a[q], kb = al->b_of_a[k];
        gboolean both = qb >= 0 && kb >= 0;
        double weight_b = both ? wb[(gsize) qb * Tb + kb] : NAN;

        g_string_append_printf (csv, "%u,%u", q, k);
        append_csv_text (csv, attn_result_get_token_text (a, q));
        append_csv_text (csv, attn_result_get_token_text (a, k));
        if (qb >= 0)
          g_string_append_printf (csv, ",%d", qb);
        else
          g_string_append_c (csv, ',');
        if (kb >= 0)
          g_string_append_printf (csv, ",%d", kb);
        else
          g_string_append_c (csv, ',');
        append_csv_number (csv, wa[(gsize) q * Ta + k]);
        append_csv_number (csv, weight_b);
        append_csv_number (csv, both ? weight_b - wa[(gsize) q * Ta + k] : NAN);
        g_string_append_c (csv, '\n');
      }
  return g_string_free (csv, FALSE);
}

char *
attn_compare_dup_values (AttnResult        *a,
                         AttnResult        *b,
                         guint              layer,
                         guint              head,
                         int                query,
                         AttnValuesFormat   format,
                         GError           **error)
{
  const AeHeadAttention *head_a = NULL, *head_b = NULL;
  AttnAlignment *al;
  char *text = NULL;

  g_return_val_if_fail (a != NULL && b != NULL, NULL);

  if (format == ATTN_VALUES_NPY)
    {
      g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_NOT_SUPPORTED,
                           _("A comparison is written as CSV or JSON, not NPY"));
      return NULL;
    }
  if (attn_result_get_trace (a) == NULL || attn_result_get_trace (b) == NULL ||
      layer >= attn_result_get_n_layers (a) || head >= attn_result_get_n_heads (a) ||
      attn_result_get_n_layers (b) != attn_result_get_n_layers (a) ||
      attn_result_get_n_heads (b) != attn_result_get_n_heads (a) ||
      query >= (int) attn_result_get_n_tokens (a))
    {
      g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT,
                           _("The two texts cannot be compared: one was not run, another model ran "
                             "it, or the head or token does not exist"));
      return NULL;
    }
  head_a = ae_trace_head_get (attn_result_get_trace (a), layer, head, NULL);
  head_b = ae_trace_head_get (attn_result_get_trace (b), layer, head, NULL);
  al = attn_alignment_new (a, b);
  if (head_a == NULL || head_b == NULL)
    g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_NO_SPACE,
                         _("Out of memory for the two texts’ attention"));
  else if (format == ATTN_VALUES_CSV)
    text = dup_csv (a, al, head_a->weights, head_b->weights);
  else
    text = dup_json (a, b, al, layer, head, query, head_a->weights, head_b->weights);
  if (head_a != NULL)
    ae_head_attention_release (head_a);
  if (head_b != NULL)
    ae_head_attention_release (head_b);
  attn_alignment_free (al);
  return text;
}

gboolean
attn_compare_write_values (AttnResult    *a,
                           AttnResult    *b,
                           guint          layer,
                           guint          head,
                           int            query,
                           const char    *path,
                           GCancellable  *cancellable,
                           GError       **error)
{
  g_autofree char *text = NULL;
  AttnValuesFormat format;

  g_return_val_if_fail (path != NULL, FALSE);

  if (!attn_values_format_from_path (path, &format) || format == ATTN_VALUES_NPY)
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT,
                   _("Cannot export “%s”: a comparison is written as .csv or .json"), path);
      return FALSE;
    }
  text = attn_compare_dup_values (a, b, layer, head, query, format, error);
  return text != NULL && attn_write_text_atomically (path, text, cancellable, error);
}
