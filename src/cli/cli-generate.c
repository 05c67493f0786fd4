/* cli-generate.c — attention-cli generate: continue TEXT
 *
 * Copyright 2026 The Attention authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * N tokens, one whole pass each: greedy at temperature 0, else sampled
 * with top-k and top-p from a seeded generator, so a seed repeats.
 */

#include "config.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>

#include <glib/gi18n.h>
#include <jansson.h>

#include "attn-sample.h"
#include "cli-common.h"

/* --@option's number @arg in [@min, @max] into *@out; FALSE after saying why. */
static gboolean
parse_double (const char *option,
              const char *arg,
              double      min,
              double      max,
              double     *out)
{
  char *end;
  double v;

  if (arg == NULL)
    return TRUE;
  errno = 0;
  v = g_ascii_strtod (arg, &end);
  if (errno != 0 || end == arg || *end != '\0' || !(v >= min && v <= max))
    {
      cli_usage (_("--%s must be a number from %g to %g, not “%s”"), option, min, max, arg);
      return FALSE;
    }
  *out = v;
  return TRUE;
}

static json_t *
ids_json (GArray *ids)
{
  json_t *out = json_array ();

  for (guint i = 0; i < ids->len; i++)
    json_array_append_new (out, json_integer (g_array_index (ids, gint32, i)));
  return out;
}

int
cli_generate (int    argc,
              char **argv)
{
  g_auto(CliCommon) common = { 0 };
  int status;
  g_autofree char *format = NULL, *text = NULL, *out_text = NULL;
  g_autofree char *tokens_arg = NULL, *temperature_arg = NULL, *top_k_arg = NULL;
  g_autofree char *top_p_arg = NULL, *seed_arg = NULL;
  g_autoptr(AttnEngine) engine = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GArray) prompt_ids = NULL;
  g_autoptr(GArray) new_ids = NULL;
  AttnSampleParams params = { 1.0, 0, 1.0 };
  gboolean json;
  int n_tokens, top_k;
  guint64 seed = 0;
  const GOptionEntry entries[] = {
    { "tokens", 'n', 0, G_OPTION_ARG_STRING, &tokens_arg, N_("How many tokens to add (default: 20)"), N_("N") },
    { "temperature", 't', 0, G_OPTION_ARG_STRING, &temperature_arg, N_("Sampling temperature; 0 is greedy (default: 1)"), N_("T") },
    { "top-k", 0, 0, G_OPTION_ARG_STRING, &top_k_arg, N_("Sample only from the K most probable tokens (default: all)"), N_("K") },
    { "top-p", 0, 0, G_OPTION_ARG_STRING, &top_p_arg, N_("Sample only from the fewest tokens whose probability reaches P (default: 1)"), N_("P") },
    { "seed", 's', 0, G_OPTION_ARG_STRING, &seed_arg, N_("Seed of the random generator (default: 0); the same seed gives the same tokens"), N_("S") },
    { "format", 'f', 0, G_OPTION_ARG_STRING, &format, N_("Output format: text or json"), N_("FORMAT") },
    G_OPTION_ENTRY_NULL
  };

  if (!cli_parse ("generate", "TEXT", _("Continue TEXT with the model's own tokens"),
                  entries, CLI_PARSE_ABLATES, &common, &argc, &argv))
    return CLI_EXIT_USAGE;
  if (!cli_text_or_json (format, &json) ||
      !cli_parse_index ("tokens", tokens_arg, 20, &n_tokens) ||
      !cli_parse_index ("top-k", top_k_arg, 0, &top_k) ||
      !parse_double ("temperature", temperature_arg, 0.0, 1e6, &params.temperature) ||
      !parse_double ("top-p", top_p_arg, 0.0, 1.0, &params.top_p))
    return CLI_EXIT_USAGE;
  if (seed_arg != NULL && !g_ascii_string_to_unsigned (seed_arg, 10, 0, G_MAXUINT64, &seed, &error))
    return cli_usage (_("--seed must be a whole number from 0: %s"), error->message);
  params.top_k = (guint) top_k;
  if ((status = cli_start (&common, argc, argv, &text, &engine, NULL)) != CLI_EXIT_OK)
    return status;

  if (!attn_engine_generate (engine, text, (guint) n_tokens, &params, seed, cli_ablation (&common),
                             &prompt_ids, &new_ids, &out_text, &error))
    return cli_fail_error (error);
  if (new_ids->len < (guint) n_tokens)
    fprintf (stderr, _("attention-cli: the context (%u tokens) is full: stopped after %u new tokens\n"),
             attn_engine_get_n_ctx (engine), new_ids->len);

  if (json)
    {
      json_t *root = json_pack ("{s:s, s:o, s:o, s:s}", "model", attn_engine_get_name (engine),
                                "prompt_ids", ids_json (prompt_ids), "new_ids", ids_json (new_ids),
                                "text", out_text);

      json_object_set_new (root, "temperature", json_real (params.temperature));
      json_object_set_new (root, "top_k", json_integer ((json_int_t) params.top_k));
      json_object_set_new (root, "top_p", json_real (params.top_p));
      json_object_set_new (root, "seed", json_integer ((json_int_t) seed));
      cli_json_ablation (root, cli_ablation (&common));
      cli_print_json (root, JSON_INDENT (2) | JSON_PRESERVE_ORDER | JSON_REAL_PRECISION (9));
      json_decref (root);
    }
  else
    printf ("%s\n", out_text);
  return CLI_EXIT_OK;
}
