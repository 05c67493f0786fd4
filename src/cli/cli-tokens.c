/* cli-tokens.c — attention-cli tokens: how the model splits a text
 *
 * Copyright 2026 The Attention authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <stdio.h>

#include <glib/gi18n.h>
#include <jansson.h>

#include "attn-pair.h"
#include "cli-common.h"

static void
print_json (AttnResult *result)
{
  guint T = attn_result_get_n_tokens (result);
  json_t *root = json_object ();
  json_t *tokens = json_array ();
  json_t *ids = json_array ();
  json_t *offsets = json_array ();

  for (guint i = 0; i < T; i++)
    {
      gsize start, end;

      attn_result_get_token_span (result, i, &start, &end);
      json_array_append_new (tokens, json_string (attn_result_get_token_text (result, i)));
      json_array_append_new (ids, json_integer (attn_result_get_token_id (result, i)));
      json_array_append_new (offsets, json_pack ("[II]", (json_int_t) start, (json_int_t) end));
    }
  json_object_set_new (root, "model", json_string (attn_result_get_model_name (result)));
  json_object_set_new (root, "tokens", tokens);
  json_object_set_new (root, "ids", ids);
  json_object_set_new (root, "offsets", offsets);
  cli_json_segments (root, result);

  cli_print_json (root, JSON_INDENT (2) | JSON_PRESERVE_ORDER);
  json_decref (root);
}

static void
print_text (AttnResult *result)
{
  guint T = attn_result_get_n_tokens (result);
  /* an encoder's tokens also say their sentence and token type */
  gboolean segments = attn_result_accepts_pairs (result);

  for (guint i = 0; i < T; i++)
    {
      gsize start, end;
      g_autofree char *shown = cli_escape_controls (attn_result_get_token_text (result, i));

      attn_result_get_token_span (result, i, &start, &end);
      printf ("%4u  %6d  %5zu-%-5zu  ", i, attn_result_get_token_id (result, i), start, end);
      if (segments)
        printf ("%-7s %d  ", attn_segment_to_string (attn_result_get_segment (result, i)),
                attn_result_get_token_type_id (result, i));
      printf ("\"%s\"\n", shown);
    }
}

int
cli_tokens (int    argc,
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

  if (!cli_parse ("tokens", "TEXT", _("Split TEXT into the model's tokens"), entries, CLI_PARSE_PAIRS, &common, &argc, &argv))
    return CLI_EXIT_USAGE;
  if (!cli_text_or_json (format, &json))
    return CLI_EXIT_USAGE;
  if ((text = cli_text_argument (argc, argv)) == NULL)
    return CLI_EXIT_USAGE;
  if ((engine = cli_load_engine (&common)) == NULL)
    return CLI_EXIT_FAILURE;
  if (!cli_check_pair (engine, &common))
    return CLI_EXIT_USAGE;

  if ((result = attn_engine_tokenize_pair (engine, text, common.pair, &error)) == NULL)
    return cli_fail_error (error);

  if (json)
    print_json (result);
  else
    print_text (result);
  return CLI_EXIT_OK;
}
