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

#include "ae-detectors.h"
#include "attn-head-stats.h"
#include "attn-predictions.h"
#include "cli-common.h"

/* The induction probe's length: 25 distinct random tokens, then the same
 * 25 again (Olsson et al. 2022 repeat random tokens), after BOS; shorter
 * when the context is. */
#define PROBE_HALF 25
#define PROBE_SEED 2022

/* Each head's induction score on the probe, (L, NH); the probe's ids in
 * *probe.  NULL after printing why. */
static double *
probe_induction (AttnEngine       *engine,
                 const AeAblation *ablation,
                 GArray          **probe)
{
  const AeModel *model = attn_engine_get_model (engine);
  const AeConfig *cfg = ae_model_config (model);
  size_t L = cfg->n_layer, NH = cfg->n_head, n;
  g_autofree int32_t *ids = g_new (int32_t, 2 * PROBE_HALF + 1);
  AeForwardHooks hooks = { ablation, NULL };
  AeTrace *trace = NULL;
  AeError error = { 0 };
  double *scores;

  n = ae_induction_probe (ae_model_tokenizer (model), cfg->vocab_size, PROBE_HALF, PROBE_SEED,
                          cfg->n_ctx, ids);
  if (ae_model_forward_hooked (model, ids, n, 0, &hooks, NULL, &trace, &error) != AE_STATUS_OK)
    {
      cli_fail ("%s", error.message);
      return NULL;
    }
  scores = g_new (double, L * NH);
  for (size_t l = 0; l < L; l++)
    for (size_t h = 0; h < NH; h++)
      {
        AeDetectorScores s;

        ae_detectors_compute (ae_trace_weights (trace, l, h), ids, n, &s);
        scores[l * NH + h] = s.score[AE_DETECTOR_INDUCTION];
      }
  ae_trace_free (trace);
  *probe = g_array_new (FALSE, FALSE, sizeof (gint32));
  g_array_append_vals (*probe, ids, n);
  return scores;
}

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
  g_autofree double *probe_scores = NULL;
  g_autoptr(GArray) probe = NULL;
  const GOptionEntry entries[] = {
    { "format", 'f', 0, G_OPTION_ARG_STRING, &format, N_("Output format: text or json"), N_("FORMAT") },
    { "probe", 0, 0, G_OPTION_ARG_STRING, &probe_name, N_("Also score every head on a built-in probe: induction (a repeated random token sequence)"), N_("PROBE") },
    G_OPTION_ENTRY_NULL
  };
  gboolean json;
  json_t *heads;
  guint T;

  if (!cli_parse ("heads", "TEXT", _("What every head does on TEXT"), entries, CLI_PARSE_RUNS_MODEL | CLI_PARSE_ABLATES, &common, &argc, &argv))
    return CLI_EXIT_USAGE;
  if (!cli_text_or_json (format, &json))
    return CLI_EXIT_USAGE;
  if (probe_name != NULL && g_strcmp0 (probe_name, "induction") != 0)
    return cli_usage (_("unknown probe “%s”: use induction"), probe_name);
  if ((status = cli_start (&common, argc, argv, &text, &engine, &result)) != CLI_EXIT_OK)
    return status;
  if (probe_name != NULL &&
      (probe_scores = probe_induction (engine, cli_ablation (&common), &probe)) == NULL)
    return CLI_EXIT_FAILURE;

  T = attn_result_get_n_tokens (result);
  heads = json_array ();
  if (!json)
    printf ("%5s %4s  %6s %6s %6s %6s %7s %8s %11s %9s%s  %s\n", _("layer"), _("head"),
            _("prev"), _("first"), _("self"), _("local"), _("entropy"), _("distance"),
            _("prev_argmax"), _("duplicate"), probe_scores ? _(" induction") : "", _("label"));

  for (guint l = 0; l < attn_result_get_n_layers (result); l++)
    for (guint h = 0; h < attn_result_get_n_heads (result); h++)
      {
        AttnHeadStats s;
        AttnHeadLabel label;
        AeDetectorScores d;
        double induction;

        attn_result_get_head_stats (result, l, h, &s);
        ae_detectors_compute (attn_result_get_weights (result, l, h),
                              attn_result_get_token_ids (result), T, &d);
        label = s.label;
        /* with the probe, "induction" is the probe's score (the issue's
         * definition), else the sentence's own figure */
        induction = probe_scores ? probe_scores[l * attn_result_get_n_heads (result) + h]
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

            json_object_set_new (head, "duplicate", cli_json_number (d.score[AE_DETECTOR_DUPLICATE]));
            json_array_append_new (heads, head);
          }
        else
          {
            /* A "specific tokens" head is named by the token it looks at most. */
            g_autofree char *which = label == ATTN_HEAD_LABEL_SPECIFIC
              ? g_strdup_printf (" (\"%s\", %.3f)", attn_result_get_token_text (result, s.top_key),
                                 s.top_key_weight)
              : g_strdup ("");
            g_autofree char *probe_col = probe_scores ? g_strdup_printf (" %9.3f", induction)
                                                      : g_strdup ("");

            printf ("%5u %4u  %6.3f %6.3f %6.3f %6.3f %7.3f %8.2f %11.3f %9.3f%s  %s%s\n", l, h,
                    s.prev, s.first, s.self, s.local, s.entropy_norm, s.mean_distance,
                    s.prev_argmax, d.score[AE_DETECTOR_DUPLICATE], probe_col,
                    attn_head_label_to_string (label), which);
          }
      }

  if (json)
    {
      json_t *root = json_pack ("{s:s, s:i, s:i, s:o}", "model", attn_result_get_model_name (result),
                                "n_tokens", T, "dropped_tokens", attn_result_get_n_dropped (result),
                                "heads", heads);

      cli_json_ablation (root, attn_result_get_ablation (result));
      if (probe != NULL)
        {
          json_t *ids = json_array ();

          for (guint i = 0; i < probe->len; i++)
            json_array_append_new (ids, json_integer (g_array_index (probe, gint32, i)));
          json_object_set_new (root, "probe", json_string (probe_name));
          json_object_set_new (root, "probe_ids", ids);
        }
      char *dump = json_dumps (root, JSON_INDENT (2) | JSON_PRESERVE_ORDER);

      printf ("%s\n", dump);
      free (dump);
      json_decref (root);
    }
  else
    json_decref (heads);

  return CLI_EXIT_OK;
}
