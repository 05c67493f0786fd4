/* attn-head-scores-export.c
 *
 * Copyright 2026 The Attention authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The detector table as numbers (issue 14): CSV with one row per head, or
 * JSON with the model, the text, the probe's ids and per head both sets
 * of scores.  Scores that do not exist (no repeated token) are empty in
 * CSV and null in JSON.
 */

#define G_LOG_DOMAIN "attn-head-scores"

#include "config.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include <glib/gi18n.h>
#include <jansson.h>

#include "attn-head-scores.h"
#include "attn-values.h"

static json_t *
json_score (double x)
{
  return isnan (x) || isinf (x) ? json_null () : json_real (x);
}

static json_t *
scores_object (AttnHeadScores  *self,
               AttnScoreSource  source,
               guint            layer,
               guint            head)
{
  json_t *object = json_object ();

  for (int d = 0; d < ATTN_DETECTOR_COUNT; d++)
    json_object_set_new (object, attn_detector_to_string ((AttnDetector) d),
                         json_score (attn_head_scores_get (self, source, (AttnDetector) d, layer, head)));
  return object;
}

static char *
dup_json (AttnHeadScores *self)
{
  AttnResult *result = attn_head_scores_get_result (self);
  json_t *root = json_object ();
  json_t *tokens = json_array ();
  json_t *heads = json_array ();
  char *dump;

  json_object_set_new (root, "model", json_string (attn_result_get_model_name (result)));
  json_object_set_new (root, "text", json_string (attn_result_get_text (result)));
  for (guint i = 0; i < attn_result_get_n_tokens (result); i++)
    json_array_append_new (tokens, json_string (attn_result_get_token_text (result, i)));
  json_object_set_new (root, "tokens", tokens);
  json_object_set_new (root, "n_layer", json_integer (attn_head_scores_get_n_layers (self)));
  json_object_set_new (root, "n_head", json_integer (attn_head_scores_get_n_heads (self)));
  json_object_set_new (root, "repeat_rows",
                       json_integer ((json_int_t) attn_head_scores_get_n_repeated (self, ATTN_SCORE_SENTENCE)));
  if (attn_head_scores_has_probe (self))
    {
      guint n = 0;
      const gint32 *ids = attn_head_scores_get_probe_ids (self, &n);
      json_t *probe = json_array ();

      for (guint i = 0; i < n; i++)
        json_array_append_new (probe, json_integer (ids[i]));
      json_object_set_new (root, "probe", json_string ("induction"));
      json_object_set_new (root, "probe_ids", probe);
    }
  for (guint l = 0; l < attn_head_scores_get_n_layers (self); l++)
    for (guint h = 0; h < attn_head_scores_get_n_heads (self); h++)
      {
        json_t *head = json_pack ("{s:i, s:i, s:o}", "layer", l, "head", h,
                                  "sentence", scores_object (self, ATTN_SCORE_SENTENCE, l, h));

        if (attn_head_scores_has_probe (self))
          json_object_set_new (head, "probe", scores_object (self, ATTN_SCORE_PROBE, l, h));
        json_array_append_new (heads, head);
      }
  json_object_set_new (root, "heads", heads);
  dump = json_dumps (root, JSON_INDENT (2) | JSON_PRESERVE_ORDER | JSON_REAL_PRECISION (9));
  json_decref (root);
  return dump;
}

static void
append_csv_score (GString *csv,
                  double   x)
{
  char buffer[G_ASCII_DTOSTR_BUF_SIZE];

  g_string_append_c (csv, ',');
  if (!isnan (x) && !isinf (x))
    g_string_append (csv, g_ascii_formatd (buffer, sizeof buffer, "%.9g", x));
}

static char *
dup_csv (AttnHeadScores *self)
{
  GString *csv = g_string_new ("layer,head");
  gboolean probe = attn_head_scores_has_probe (self);

  for (int s = 0; s < (probe ? 2 : 1); s++)
    for (int d = 0; d < ATTN_DETECTOR_COUNT; d++)
      g_string_append_printf (csv, ",%s%s", s == ATTN_SCORE_PROBE ? "probe_" : "",
                              attn_detector_to_string ((AttnDetector) d));
  g_string_append_c (csv, '\n');
  for (guint l = 0; l < attn_head_scores_get_n_layers (self); l++)
    for (guint h = 0; h < attn_head_scores_get_n_heads (self); h++)
      {
        g_string_append_printf (csv, "%u,%u", l, h);
        for (int s = 0; s < (probe ? 2 : 1); s++)
          for (int d = 0; d < ATTN_DETECTOR_COUNT; d++)
            append_csv_score (csv, attn_head_scores_get (self, (AttnScoreSource) s, (AttnDetector) d, l, h));
        g_string_append_c (csv, '\n');
      }
  return g_string_free (csv, FALSE);
}

char *
attn_head_scores_dup_values (AttnHeadScores   *self,
                             AttnValuesFormat  format,
                             GError          **error)
{
  g_return_val_if_fail (self != NULL, NULL);

  switch (format)
    {
    case ATTN_VALUES_CSV:
      return dup_csv (self);
    case ATTN_VALUES_JSON:
      {
        char *dump = dup_json (self);
        char *copy = g_strconcat (dump, "\n", NULL);

        free (dump);
        return copy;
      }
    case ATTN_VALUES_NPY:
    default:
      g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_NOT_SUPPORTED,
                           _("Head scores are written as CSV or JSON, not NPY"));
      return NULL;
    }
}

gboolean
attn_head_scores_write_file (AttnHeadScores  *self,
                             const char      *path,
                             GCancellable    *cancellable,
                             GError         **error)
{
  g_autofree char *text = NULL;
  AttnValuesFormat format;

  g_return_val_if_fail (self != NULL, FALSE);
  g_return_val_if_fail (path != NULL, FALSE);

  if (!attn_values_format_from_path (path, &format) || format == ATTN_VALUES_NPY)
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT,
                   _("Cannot export “%s”: head scores are written as .csv or .json"), path);
      return FALSE;
    }
  text = attn_head_scores_dup_values (self, format, error);
  if (text == NULL)
    return FALSE;
  return attn_write_text_atomically (path, text, cancellable, error);
}
