/* cli-heads.c — attention-cli heads: what every head does on a sentence
 *
 * Copyright 2026 The Attention authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * One line per layer × head with the statistics behind the app's head
 * description (ae-stats) and its plain-language label.
 */

#include "config.h"

#include <stdio.h>

#include <glib/gi18n.h>
#include <jansson.h>

#include "attn-head-scores.h"
#include "attn-head-stats.h"
#include "attn-predictions.h"
#include "cli-common.h"

int
cli_heads (int    argc,
           char **argv)
{
  g_auto(CliCommon) common = { 0 };
  int status;
  g_autofree char *format = NULL;
  g_autofree char *text = NULL;
  g_autoptr(AttnEngine) engine = NULL;
  g_autoptr(AttnResult) result = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *probe_name = NULL;
  g_autoptr(AttnHeadScores) scores = NULL;
  gboolean probe;
  const GOptionEntry entries[] = {
    { "format", 'f', 0, G_OPTION_ARG_STRING, &format, N_("Output format: text or json"), N_("FORMAT") },
    { "probe", 0, 0, G_OPTION_ARG_STRING, &probe_name, N_("Also score every head on a built-in probe: induction (a repeated random token sequence)"), N_("PROBE") },
    G_OPTION_ENTRY_NULL
  };
  gboolean json;
  json_t *heads;
  guint T;

  if (!cli_parse ("heads", "TEXT", _("What every head does on TEXT"), entries, CLI_PARSE_RUNS_MODEL | CLI_PARSE_ABLATES | CLI_PARSE_PAIRS, &common, &argc, &argv))
    return CLI_EXIT_USAGE;
  if (!cli_text_or_json (format, &json))
    return CLI_EXIT_USAGE;
  if (probe_name != NULL && g_strcmp0 (probe_name, "induction") != 0)
    return cli_usage (_("unknown probe “%s”: use induction"), probe_name);
  if ((status = cli_start (&common, argc, argv, &text, &engine, &result)) != CLI_EXIT_OK)
    return status;
  /* The detectors, and with --probe the induction probe run through the
   * same model with the same heads off (attn-head-scores.h). */
  probe = probe_name != NULL;
  if ((scores = attn_head_scores_compute (result, probe, NULL, &error)) == NULL)
    return cli_fail ("%s", error->message);

  T = attn_result_get_n_tokens (result);
  heads = json_array ();
  if (!json)
    printf ("%5s %4s  %6s %6s %6s %6s %7s %8s %11s %9s%s  %s\n", _("layer"), _("head"),
            _("prev"), _("first"), _("self"), _("local"), _("entropy"), _("distance"),
            _("prev_argmax"), _("duplicate"), probe ? _(" induction") : "", _("label"));

  for (guint l = 0; l < attn_result_get_n_layers (result); l++)
    for (guint h = 0; h < attn_result_get_n_heads (result); h++)
      {
        AttnHeadStats s;
        AttnHeadLabel label;
        double duplicate = attn_head_scores_get (scores, ATTN_SCORE_SENTENCE, ATTN_DETECTOR_DUPLICATE, l, h);
        double induction;

        attn_result_get_head_stats (result, l, h, &s);
        label = s.label;
        /* with the probe, "induction" is the probe's score (the issue's
         * definition), else the sentence's own figure */
        induction = probe ? attn_head_scores_get (scores, ATTN_SCORE_PROBE, ATTN_DETECTOR_INDUCTION, l, h)
                          : s.induction;

        if (json)
          {
            json_t *head = json_pack ("{s:i, s:i, s:o, s:o, s:o, s:o, s:o, s:o, s:o, s:o, s:I, s:s, s:I, s:s, s:o}",
                       "layer", l, "head", h, "prev", cli_json_number (s.prev),
                       "first", cli_json_number (s.first), "self", cli_json_number (s.self),
                       "local", cli_json_number (s.local),
                       "entropy_norm", cli_json_number (s.entropy_norm),
                       "mean_distance", cli_json_number (s.mean_distance),
                       "prev_argmax", cli_json_number (s.prev_argmax),
                       "induction", cli_json_number (induction),
                       "repeat_rows", (json_int_t) s.n_repeat_rows,
                       "label", attn_head_label_to_string (label),
                       "top_key", (json_int_t) s.top_key,
                       "top_key_token", s.n_rows ? attn_result_get_token_text (result, s.top_key) : "",
                       "top_key_weight", cli_json_number (s.top_key_weight));

            json_object_set_new (head, "duplicate", cli_json_number (duplicate));
            json_array_append_new (heads, head);
          }
        else
          {
            /* A "specific tokens" head is named by the token it looks at most. */
            g_autofree char *which = label == ATTN_HEAD_LABEL_SPECIFIC
              ? g_strdup_printf (" (\"%s\", %.3f)", attn_result_get_token_text (result, s.top_key),
                                 s.top_key_weight)
              : g_strdup ("");
            g_autofree char *probe_col = probe ? g_strdup_printf (" %9.3f", induction)
                                               : g_strdup ("");

            printf ("%5u %4u  %6.3f %6.3f %6.3f %6.3f %7.3f %8.2f %11.3f %9.3f%s  %s%s\n", l, h,
                    s.prev, s.first, s.self, s.local, s.entropy_norm, s.mean_distance,
                    s.prev_argmax, duplicate, probe_col,
                    attn_head_label_to_string (label), which);
          }
      }

  if (json)
    {
      json_t *root = json_pack ("{s:s, s:i, s:i, s:o}", "model", attn_result_get_model_name (result),
                                "n_tokens", T, "dropped_tokens", attn_result_get_n_dropped (result),
                                "heads", heads);

      cli_json_result_ablation (root, result);
      cli_json_segments (root, result);
      if (probe)
        {
          json_t *ids = json_array ();
          guint n_ids = 0;
          const gint32 *probe_ids = attn_head_scores_get_probe_ids (scores, &n_ids);

          for (guint i = 0; i < n_ids; i++)
            json_array_append_new (ids, json_integer (probe_ids[i]));
          json_object_set_new (root, "probe", json_string (probe_name));
          json_object_set_new (root, "probe_ids", ids);
        }
      cli_print_json (root, JSON_INDENT (2) | JSON_PRESERVE_ORDER);
      json_decref (root);
    }
  else
    json_decref (heads);

  return CLI_EXIT_OK;
}
