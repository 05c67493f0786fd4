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

#include "ae-stats.h"
#include "cli-common.h"

int
cli_heads (int    argc,
           char **argv)
{
  g_auto(CliCommon) common = { 0 };
  g_autofree char *format = NULL;
  g_autofree char *text = NULL;
  g_autoptr(AttnEngine) engine = NULL;
  g_autoptr(AttnResult) result = NULL;
  g_autoptr(GError) error = NULL;
  const GOptionEntry entries[] = {
    { "format", 'f', 0, G_OPTION_ARG_STRING, &format, N_("Output format: text or json"), N_("FORMAT") },
    G_OPTION_ENTRY_NULL
  };
  gboolean json;
  json_t *heads;
  guint T;

  if (!cli_parse ("heads", "TEXT", _("What every head does on TEXT"), entries, CLI_PARSE_RUNS_MODEL, &common, &argc, &argv))
    return CLI_EXIT_USAGE;
  if (!cli_text_or_json (format, &json))
    return CLI_EXIT_USAGE;
  if ((text = cli_text_argument (argc, argv)) == NULL)
    return CLI_EXIT_USAGE;
  if ((engine = cli_load_engine (&common)) == NULL)
    return CLI_EXIT_FAILURE;
  if ((result = cli_run (engine, &common, text, 0)) == NULL)
    return CLI_EXIT_FAILURE;

  T = attn_result_get_n_tokens (result);
  heads = json_array ();
  if (!json)
    printf ("%5s %4s  %6s %6s %6s %6s %7s %8s %11s  %s\n", _("layer"), _("head"),
            _("prev"), _("first"), _("self"), _("local"), _("entropy"), _("distance"),
            _("prev_argmax"), _("label"));

  for (guint l = 0; l < attn_result_get_n_layers (result); l++)
    for (guint h = 0; h < attn_result_get_n_heads (result); h++)
      {
        AeHeadStats s;
        AeHeadLabel label;

        ae_head_stats_compute_tokens (attn_result_get_weights (result, l, h),
                                      attn_result_get_token_ids (result), T, &s);
        label = ae_head_label (&s);

        if (json)
          json_array_append_new (heads,
            json_pack ("{s:i, s:i, s:o, s:o, s:o, s:o, s:o, s:o, s:o, s:o, s:I, s:s, s:I, s:s, s:o}",
                       "layer", l, "head", h, "prev", cli_json_number (s.prev),
                       "first", cli_json_number (s.first), "self", cli_json_number (s.self),
                       "local", cli_json_number (s.local),
                       "entropy_norm", cli_json_number (s.entropy_norm),
                       "mean_distance", cli_json_number (s.mean_distance),
                       "prev_argmax", cli_json_number (s.prev_argmax),
                       "induction", cli_json_number (s.induction),
                       "repeat_rows", (json_int_t) s.n_repeat_rows,
                       "label", ae_head_label_to_string (label),
                       "top_key", (json_int_t) s.top_key,
                       "top_key_token", s.n_rows ? attn_result_get_token_text (result, s.top_key) : "",
                       "top_key_weight", cli_json_number (s.top_key_weight)));
        else
          {
            /* A "specific tokens" head is named by the token it looks at most. */
            g_autofree char *which = label == AE_HEAD_LABEL_SPECIFIC
              ? g_strdup_printf (" (\"%s\", %.3f)", attn_result_get_token_text (result, s.top_key),
                                 s.top_key_weight)
              : g_strdup ("");

            printf ("%5u %4u  %6.3f %6.3f %6.3f %6.3f %7.3f %8.2f %11.3f  %s%s\n", l, h,
                    s.prev, s.first, s.self, s.local, s.entropy_norm, s.mean_distance,
                    s.prev_argmax, ae_head_label_to_string (label), which);
          }
      }

  if (json)
    {
      json_t *root = json_pack ("{s:s, s:i, s:i, s:o}", "model", attn_result_get_model_name (result),
                                "n_tokens", T, "dropped_tokens", attn_result_get_n_dropped (result),
                                "heads", heads);
      char *dump = json_dumps (root, JSON_INDENT (2) | JSON_PRESERVE_ORDER);

      printf ("%s\n", dump);
      free (dump);
      json_decref (root);
    }
  else
    json_decref (heads);

  return CLI_EXIT_OK;
}
