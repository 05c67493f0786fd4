/* cli-weights.c — attention-cli weights: the numbers behind every picture
 *
 * Copyright 2026 The Attention authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <stdio.h>
#include <unistd.h>

#include <glib/gi18n.h>
#include <jansson.h>
#include <gio/gunixoutputstream.h>

#include "attn-values.h"
#include "attn-predictions.h"
#include "cli-common.h"

int
cli_weights (int    argc,
             char **argv)
{
  g_auto(CliCommon) common = { 0 };
  g_autofree char *format_name = NULL;
  g_autofree char *output = NULL;
  g_autofree char *text = NULL;
  g_autoptr(AttnEngine) engine = NULL;
  g_autoptr(AttnResult) result = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *layer_arg = NULL, *head_arg = NULL, *links = NULL;
  int layer, head;
  guint layer_index, head_index;
  AttnValuesFormat format = ATTN_VALUES_JSON;
  gboolean merge_words = FALSE;
  AttnValuesSelection selection = { 0 };
  const GOptionEntry entries[] = {
    { "layer", 'l', 0, G_OPTION_ARG_STRING, &layer_arg, N_("Only this layer (default: all)"), N_("L") },
    { "head", 'H', 0, G_OPTION_ARG_STRING, &head_arg, N_("Only this head (default: all)"), N_("H") },
    { "format", 'f', 0, G_OPTION_ARG_STRING, &format_name, N_("json, csv or npy (default: json, or the -o file's extension)"), N_("FORMAT") },
    { "output", 'o', 0, G_OPTION_ARG_FILENAME, &output, N_("Write to FILE instead of standard output"), N_("FILE") },
    { "merge-words", 'w', 0, G_OPTION_ARG_NONE, &merge_words, N_("Words instead of sub-word pieces: sum over the key's pieces, mean over the query's"), NULL },
    { "links", 0, 0, G_OPTION_ARG_STRING, &links, N_("With --pair: only the links A->A, A->B, B->A or B->B, as the app's Links filter (the block of those queries' rows and keys' columns)"), N_("LINKS") },
    G_OPTION_ENTRY_NULL
  };

  if (!cli_parse ("weights", "TEXT", _("Attention weights of every layer and head"),
                  entries, CLI_PARSE_RUNS_MODEL | CLI_PARSE_ABLATES | CLI_PARSE_PAIRS, &common, &argc, &argv))
    return CLI_EXIT_USAGE;

  if (format_name != NULL)
    {
      if (!attn_values_format_from_string (format_name, &format))
        return cli_usage (_("unknown format “%s”: use json, csv or npy"), format_name);
    }
  else if (output != NULL)
    attn_values_format_from_path (output, &format);

  if (format == ATTN_VALUES_NPY && output == NULL && isatty (STDOUT_FILENO))
    return cli_usage (_("NPY is binary: pass -o FILE.npy or redirect standard output"));

  if (!cli_parse_links (links, &common, &selection.pairs))
    return CLI_EXIT_USAGE;
  if (!cli_parse_index ("layer", layer_arg, -1, &layer) ||
      !cli_parse_index ("head", head_arg, -1, &head))
    return CLI_EXIT_USAGE;
  if ((text = cli_text_argument (argc, argv)) == NULL)
    return CLI_EXIT_USAGE;
  if ((engine = cli_load_engine (&common)) == NULL)
    return CLI_EXIT_FAILURE;

  if (!cli_check_layer_head (engine, layer, head) || !cli_check_ablation (engine, &common)
      || !cli_check_pair (engine, &common))
    return CLI_EXIT_USAGE;

  if ((result = cli_run_attention (engine, &common, text, layer)) == NULL)
    return CLI_EXIT_FAILURE;

  layer_index = layer;
  head_index = head;
  selection.layers = layer >= 0 ? &layer_index : NULL;
  selection.n_layers = layer >= 0 ? 1 : 0;
  selection.heads = head >= 0 ? &head_index : NULL;
  selection.n_heads = head >= 0 ? 1 : 0;
  selection.n_layer = attn_engine_get_n_layers (engine);
  selection.n_head = attn_engine_get_n_heads (engine);
  selection.n_ctx = attn_engine_get_n_ctx (engine);

  if (merge_words && !cli_merge_words (&result))
    return CLI_EXIT_FAILURE;

  if (output != NULL && g_strcmp0 (output, "-") != 0)
    {
      if (!attn_values_write_file (result, &selection, format, output, NULL, &error))
        return cli_fail_error (error);
    }
  else
    {
      g_autoptr(GOutputStream) out = g_unix_output_stream_new (STDOUT_FILENO, FALSE);

      if (!attn_values_write (result, &selection, format, out, NULL, &error))
        return cli_fail_error (error);
    }
  return CLI_EXIT_OK;
}
