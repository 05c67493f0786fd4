/* cli-rollout.c — attention-cli rollout: attention rollout over all layers
 *
 * Copyright 2026 The Attention authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * R = Â_{L−1} ··· Â_0 with Â_l = ½·mean over heads + ½·I (Abnar & Zuidema
 * 2020), row q for query q: how attention alone, with the residual as the
 * identity, mixes the tokens; not an explanation of the output.
 */

#include "config.h"

#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include <glib/gi18n.h>
#include <jansson.h>

#include "ae-rollout.h"
#include "attn-values.h"
#include "attn-predictions.h"
#include "cli-common.h"

int
cli_rollout (int    argc,
             char **argv)
{
  g_auto(CliCommon) common = { 0 };
  int status;
  g_autofree char *format_name = NULL, *text = NULL;
  g_autoptr(AttnEngine) engine = NULL;
  g_autoptr(AttnResult) result = NULL;
  g_autofree float *rollout = NULL;
  AttnValuesFormat format = ATTN_VALUES_JSON;
  AeError error = { 0 };
  guint T;
  const GOptionEntry entries[] = {
    { "format", 'f', 0, G_OPTION_ARG_STRING, &format_name, N_("json, csv or npy (default: json)"), N_("FORMAT") },
    G_OPTION_ENTRY_NULL
  };

  if (!cli_parse ("rollout", "TEXT", _("Attention rollout: attention multiplied through the layers, with the residual"),
                  entries, CLI_PARSE_RUNS_MODEL | CLI_PARSE_ABLATES, &common, &argc, &argv))
    return CLI_EXIT_USAGE;
  if (format_name != NULL && !attn_values_format_from_string (format_name, &format))
    return cli_usage (_("unknown format “%s”: use json, csv or npy"), format_name);
  if (format == ATTN_VALUES_NPY && isatty (STDOUT_FILENO))
    return cli_usage (_("NPY is binary: redirect standard output to a file"));
  if ((status = cli_start (&common, argc, argv, &text, &engine, &result)) != CLI_EXIT_OK)
    return status;

  T = attn_result_get_n_tokens (result);
  rollout = g_new0 (float, (gsize) T * T + 1);
  if (ae_rollout (attn_result_get_trace (result), rollout, &error) != AE_STATUS_OK)
    return cli_fail ("%s", error.message);

  switch (format)
    {
    case ATTN_VALUES_NPY:
      {
        g_autoptr(GString) out = g_string_new (NULL);
        g_autofree char *shape = g_strdup_printf ("(%u, %u)", T, T);

        attn_values_npy_header (out, shape);
        for (gsize i = 0; i < (gsize) T * T; i++)
          {
            guint32 bits;

            memcpy (&bits, &rollout[i], 4);
            bits = GUINT32_TO_LE (bits);
            g_string_append_len (out, (const char *) &bits, 4);
          }
        fwrite (out->str, 1, out->len, stdout);
      }
      break;
    case ATTN_VALUES_CSV:
      printf ("query,key,query_token,key_token,rollout\n");
      for (guint q = 0; q < T; q++)
        for (guint k = 0; k <= q; k++)
          {
            g_autoptr(GString) a = g_string_new (attn_result_get_token_text (result, q));
            g_autoptr(GString) b = g_string_new (attn_result_get_token_text (result, k));

            /* CSV quotes: a field in "…" with " doubled */
            g_string_replace (a, "\"", "\"\"", 0);
            g_string_replace (b, "\"", "\"\"", 0);
            printf ("%u,%u,\"%s\",\"%s\",%.9g\n", q, k, a->str, b->str, rollout[(gsize) q * T + k]);
          }
      break;
    case ATTN_VALUES_JSON:
    default:
      {
        json_t *tokens = json_array (), *ids = json_array (), *rows = json_array (), *root;
        char *dump;

        for (guint q = 0; q < T; q++)
          {
            json_t *row = json_array ();

            json_array_append_new (tokens, json_string (attn_result_get_token_text (result, q)));
            json_array_append_new (ids, json_integer (attn_result_get_token_id (result, q)));
            for (guint k = 0; k < T; k++)
              json_array_append_new (row, json_real (rollout[(gsize) q * T + k]));
            json_array_append_new (rows, row);
          }
        root = json_pack ("{s:s, s:o, s:o, s:o}", "model", attn_result_get_model_name (result),
                          "tokens", tokens, "ids", ids, "rollout", rows);
        cli_json_ablation (root, attn_result_get_ablation (result));
        dump = json_dumps (root, JSON_PRESERVE_ORDER | JSON_REAL_PRECISION (9));
        printf ("%s\n", dump);
        free (dump);
        json_decref (root);
      }
      break;
    }
  return CLI_EXIT_OK;
}
