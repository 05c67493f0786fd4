/* attn-matrix-values.c
 *
 * Copyright 2026 The Attention authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "attn-values"

#include "config.h"

#include <math.h>
#include <string.h>

#include <glib/gi18n.h>

#include "attn-matrix-values.h"

/* The links written: a sentence pair's filter cuts one block of rows and
 * keys (attn_pair_filter_get_block ()), as the attention exports do. */
typedef struct
{
  AttnPairFilter pairs;
  guint          q0, q1;
  guint          k0, k1;
} Block;

/* float32 has 9 significant digits: every value reads back bit for bit. */
static void
append_float (GString *out,
              float    value,
              gboolean json)
{
  char buf[G_ASCII_DTOSTR_BUF_SIZE];

  /* JSON has no NaN: null keeps the row's length and the file valid */
  if (json && !isfinite (value))
    g_string_append (out, "null");
  else
    g_string_append (out, g_ascii_formatd (buf, sizeof buf, "%.9g", value));
}

static void
append_json (GString *out,
             json_t  *value)
{
  char *encoded = json_dumps (value, JSON_ENCODE_ANY | JSON_COMPACT);

  g_string_append (out, encoded ? encoded : "null");
  free (encoded);
}

static void
append_json_string (GString    *out,
                    const char *text)
{
  json_t *string = json_string (text ? text : "");

  append_json (out, string);
  json_decref (string);
}

static void
append_csv_string (GString    *out,
                   const char *text)
{
  g_string_append_c (out, '"');
  for (const char *p = text; *p; p++)
    {
      if (*p == '"')
        g_string_append_c (out, '"');
      g_string_append_c (out, *p);
    }
  g_string_append_c (out, '"');
}

static void
format_json (GString               *out,
             AttnResult            *result,
             const AttnNamedMatrix *matrices,
             gsize                  n_matrices,
             const Block           *b,
             json_t                *extra)
{
  guint T = attn_result_get_n_tokens (result);
  const char *key;
  json_t *value;

  g_string_append (out, "{\"model\":");
  append_json_string (out, attn_result_get_model_name (result));
  g_string_append (out, ",\"text\":");
  append_json_string (out, attn_result_get_text (result));
  g_string_append (out, ",\"tokens\":[");
  for (guint t = 0; t < T; t++)
    {
      if (t > 0)
        g_string_append_c (out, ',');
      append_json_string (out, attn_result_get_token_text (result, t));
    }
  g_string_append (out, "],\"ids\":[");
  for (guint t = 0; t < T; t++)
    g_string_append_printf (out, "%s%d", t > 0 ? "," : "", attn_result_get_token_id (result, t));
  g_string_append_c (out, ']');
  /* a pair's filter: each matrix is the block of these rows and keys */
  _attn_values_append_links (out, ",", b->pairs, b->q0, b->q1, b->k0, b->k1);

  for (gsize m = 0; m < n_matrices; m++)
    {
      g_string_append_c (out, ',');
      append_json_string (out, matrices[m].name);
      g_string_append (out, ":[");
      for (guint q = b->q0; q < b->q1; q++)
        {
          g_string_append (out, q > b->q0 ? ",[" : "[");
          for (guint k = b->k0; k < b->k1; k++)
            {
              if (k > b->k0)
                g_string_append_c (out, ',');
              append_float (out, matrices[m].values[(gsize) q * T + k], TRUE);
            }
          g_string_append_c (out, ']');
        }
      g_string_append_c (out, ']');
    }

  if (extra != NULL)
    json_object_foreach (extra, key, value)
      {
        g_string_append_c (out, ',');
        append_json_string (out, key);
        g_string_append_c (out, ':');
        append_json (out, value);
      }
  g_string_append (out, "}\n");
}

static void
format_csv (GString               *out,
            AttnResult            *result,
            const AttnNamedMatrix *matrices,
            gsize                  n_matrices,
            const Block           *b)
{
  guint T = attn_result_get_n_tokens (result);
  gboolean every = attn_result_is_bidirectional (result);

  g_string_append (out, "query,key,query_token,key_token");
  for (gsize m = 0; m < n_matrices; m++)
    g_string_append_printf (out, ",%s", matrices[m].name);
  g_string_append_c (out, '\n');

  for (guint q = b->q0; q < b->q1; q++)
    for (guint k = b->k0; k < MIN (b->k1, every ? T : q + 1); k++)
      {
        g_string_append_printf (out, "%u,%u,", q, k);
        append_csv_string (out, attn_result_get_token_text (result, q));
        g_string_append_c (out, ',');
        append_csv_string (out, attn_result_get_token_text (result, k));
        for (gsize m = 0; m < n_matrices; m++)
          {
            g_string_append_c (out, ',');
            append_float (out, matrices[m].values[(gsize) q * T + k], FALSE);
          }
        g_string_append_c (out, '\n');
      }
}

static void
format_npy (GString               *out,
            AttnResult            *result,
            const AttnNamedMatrix *matrix,
            const Block           *b)
{
  guint T = attn_result_get_n_tokens (result);
  g_autofree char *shape = g_strdup_printf ("(%u, %u)", b->q1 - b->q0, b->k1 - b->k0);

  attn_values_npy_header (out, shape);
  for (guint q = b->q0; q < b->q1; q++)
    for (guint k = b->k0; k < b->k1; k++)
      {
        guint32 bits;

        memcpy (&bits, &matrix->values[(gsize) q * T + k], 4);
        bits = GUINT32_TO_LE (bits);
        g_string_append_len (out, (const char *) &bits, 4);
      }
}

gboolean
attn_matrix_values_write (AttnResult            *result,
                          const AttnNamedMatrix *matrices,
                          gsize                  n_matrices,
                          AttnPairFilter         pairs,
                          json_t                *extra,
                          AttnValuesFormat       format,
                          GOutputStream         *stream,
                          GCancellable          *cancellable,
                          GError               **error)
{
  g_autoptr(GString) out = g_string_new (NULL);
  Block b = { pairs };

  g_return_val_if_fail (result != NULL, FALSE);
  g_return_val_if_fail (G_IS_OUTPUT_STREAM (stream), FALSE);

  if (n_matrices == 0 || attn_result_get_n_tokens (result) == 0)
    {
      g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA,
                           _("There are no values to write: the text has no tokens"));
      return FALSE;
    }
  if (!attn_pair_filter_get_block (pairs, result, &b.q0, &b.q1, &b.k0, &b.k1, error))
    return FALSE;

  switch (format)
    {
    case ATTN_VALUES_CSV:
      format_csv (out, result, matrices, n_matrices, &b);
      break;
    case ATTN_VALUES_NPY:
      format_npy (out, result, &matrices[0], &b);
      break;
    case ATTN_VALUES_JSON:
    default:
      format_json (out, result, matrices, n_matrices, &b, extra);
      break;
    }
  return g_output_stream_write_all (stream, out->str, out->len, NULL, cancellable, error);
}

/* One write's own copies: the caller's matrices may be gone by then. */
typedef struct
{
  AttnResult       *result;
  AttnNamedMatrix  *matrices;
  gsize             n_matrices;
  AttnPairFilter    pairs;
  json_t           *extra;
  AttnValuesFormat  format;
  char             *path;
} MatrixJob;

static void
matrix_job_free (gpointer data)
{
  MatrixJob *job = data;

  for (gsize m = 0; m < job->n_matrices; m++)
    {
      g_free ((char *) job->matrices[m].name);
      g_free ((float *) job->matrices[m].values);
    }
  g_free (job->matrices);
  g_clear_pointer (&job->result, attn_result_unref);
  if (job->extra != NULL)
    json_decref (job->extra);
  g_free (job->path);
  g_free (job);
}

static gboolean
write_job_cb (GOutputStream  *stream,
              gpointer        user_data,
              GCancellable   *cancellable,
              GError        **error)
{
  MatrixJob *job = user_data;

  return attn_matrix_values_write (job->result, job->matrices, job->n_matrices, job->pairs, job->extra,
                                   job->format, stream, cancellable, error);
}

gboolean
attn_matrix_values_write_file (AttnResult            *result,
                               const AttnNamedMatrix *matrices,
                               gsize                  n_matrices,
                               AttnPairFilter         pairs,
                               json_t                *extra,
                               AttnValuesFormat       format,
                               const char            *path,
                               GCancellable          *cancellable,
                               GError               **error)
{
  /* borrowed, not copied: the write is over when this returns */
  MatrixJob job = { result, (AttnNamedMatrix *) matrices, n_matrices, pairs, extra, format, (char *) path };

  return attn_write_file_atomically (path, write_job_cb, &job, cancellable, error);
}

static void
write_in_thread (GTask        *task,
                 gpointer      source_object,
                 gpointer      task_data,
                 GCancellable *cancellable)
{
  MatrixJob *job = task_data;
  GError *error = NULL;

  if (attn_matrix_values_write_file (job->result, job->matrices, job->n_matrices, job->pairs, job->extra,
                                     job->format, job->path, cancellable, &error))
    g_task_return_boolean (task, TRUE);
  else
    g_task_return_error (task, error);
}

void
attn_matrix_values_write_file_async (AttnResult            *result,
                                     const AttnNamedMatrix *matrices,
                                     gsize                  n_matrices,
                                     AttnPairFilter         pairs,
                                     json_t                *extra,
                                     AttnValuesFormat       format,
                                     const char            *path,
                                     GCancellable          *cancellable,
                                     GAsyncReadyCallback    callback,
                                     gpointer               user_data)
{
  g_autoptr(GTask) task = NULL;
  MatrixJob *job;
  gsize n;

  g_return_if_fail (result != NULL && path != NULL);

  n = (gsize) attn_result_get_n_tokens (result) * attn_result_get_n_tokens (result);
  job = g_new0 (MatrixJob, 1);
  job->result = attn_result_ref (result);
  job->matrices = g_new0 (AttnNamedMatrix, MAX (n_matrices, 1));
  job->n_matrices = n_matrices;
  job->pairs = pairs;
  for (gsize m = 0; m < n_matrices; m++)
    {
      job->matrices[m].name = g_strdup (matrices[m].name);
      job->matrices[m].values = g_memdup2 (matrices[m].values, MAX (n, 1) * sizeof (float));
    }
  job->extra = extra != NULL ? json_incref (extra) : NULL;
  job->format = format;
  job->path = g_strdup (path);

  task = g_task_new (NULL, cancellable, callback, user_data);
  g_task_set_source_tag (task, attn_matrix_values_write_file_async);
  g_task_set_task_data (task, job, matrix_job_free);
  g_task_run_in_thread (task, write_in_thread);
}

gboolean
attn_matrix_values_write_file_finish (GAsyncResult  *async_result,
                                      GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (async_result, NULL), FALSE);

  return g_task_propagate_boolean (G_TASK (async_result), error);
}
