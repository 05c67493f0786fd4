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
#include <unistd.h>

#include <glib/gi18n.h>
#include <jansson.h>

#include "attn-derived.h"
#include "attn-matrix-values.h"
#include "attn-predictions.h"
#include "cli-common.h"

int
cli_rollout (int    argc,
             char **argv)
{
  g_auto(CliCommon) common = { 0 };
  int status;
  g_autofree char *format_name = NULL, *text = NULL, *links = NULL;
  g_autoptr(AttnEngine) engine = NULL;
  g_autoptr(AttnResult) result = NULL;
  g_autofree float *rollout = NULL;
  AttnValuesFormat format = ATTN_VALUES_JSON;
  AttnPairFilter pairs;
  g_autoptr(GError) error = NULL;
  const GOptionEntry entries[] = {
    { "format", 'f', 0, G_OPTION_ARG_STRING, &format_name, N_("json, csv or npy (default: json)"), N_("FORMAT") },
    { "links", 0, 0, G_OPTION_ARG_STRING, &links, N_("With --pair: only the links A->A, A->B, B->A or B->B, as the app's Links filter (the block of those queries' rows and keys' columns)"), N_("LINKS") },
    G_OPTION_ENTRY_NULL
  };

  if (!cli_parse ("rollout", "TEXT", _("Attention rollout: attention multiplied through the layers, with the residual"),
                  entries, CLI_PARSE_RUNS_MODEL | CLI_PARSE_ABLATES | CLI_PARSE_PAIRS, &common, &argc, &argv))
    return CLI_EXIT_USAGE;
  if (format_name != NULL && !attn_values_format_from_string (format_name, &format))
    return cli_usage (_("unknown format “%s”: use json, csv or npy"), format_name);
  if (!cli_parse_links (links, &common, &pairs))
    return CLI_EXIT_USAGE;
  if (format == ATTN_VALUES_NPY && isatty (STDOUT_FILENO))
    return cli_usage (_("NPY is binary: redirect standard output to a file"));
  if ((status = cli_start (&common, argc, argv, &text, &engine, &result)) != CLI_EXIT_OK)
    return status;

  if ((rollout = attn_result_dup_rollout (result, &error)) == NULL)
    return cli_fail ("%s", error->message);

  {
    AttnNamedMatrix matrix = { "rollout", rollout };
    g_autoptr(GOutputStream) out = g_memory_output_stream_new_resizable ();
    json_t *extra = json_object ();
    gboolean ok;

    cli_json_result_ablation (extra, result);
    /* an encoder's pair (--pair): which sentence each row and column is */
    if (attn_result_has_pair (result))
      cli_json_segments (extra, result);
    ok = attn_matrix_values_write (result, &matrix, 1, pairs, extra, format, out, NULL, &error)
         && g_output_stream_close (out, NULL, &error);
    json_decref (extra);
    if (!ok)
      return cli_fail ("%s", error->message);
    fwrite (g_memory_output_stream_get_data (G_MEMORY_OUTPUT_STREAM (out)), 1,
            g_memory_output_stream_get_data_size (G_MEMORY_OUTPUT_STREAM (out)), stdout);
  }
  return CLI_EXIT_OK;
}
