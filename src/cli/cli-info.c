/* cli-info.c — attention-cli info: a model's shape at a glance
 *
 * Copyright 2026 The Attention authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <stdio.h>
#include <string.h>

#include <glib/gi18n.h>
#include <jansson.h>

#include "attn-model-info.h"
#include "cli-common.h"

/* The rows of the summary the app's About This Model shows that the lines
 * above do not already give. */
static void
print_architecture (AttnEngine *engine)
{
  static const char *const keys[] = {
    "architecture", "n_kv_head", "sliding_window", "positions", "norm", "mlp", "residual",
    "embeddings", "tokenizer",
  };
  g_autoptr(GPtrArray) rows = attn_model_info_rows (engine);

  for (guint i = 0; i < rows->len; i++)
    {
      AttnModelInfoRow *row = g_ptr_array_index (rows, i);

      for (size_t k = 0; k < G_N_ELEMENTS (keys); k++)
        if (strcmp (row->key, keys[k]) == 0)
          {
            g_autofree char *label = g_utf8_strdown (row->label, -1);

            printf ("%-12s %s\n", label, row->value);
          }
    }
}

static const char *
get_string (json_t     *root,
            const char *key)
{
  return json_string_value (json_object_get (root, key));
}

static json_int_t
get_int (json_t     *root,
         const char *key)
{
  return json_integer_value (json_object_get (root, key));
}

int
cli_info (int    argc,
          char **argv)
{
  g_auto(CliCommon) common = { 0 };
  g_autofree char *format = NULL;
  g_autoptr(AttnEngine) engine = NULL;
  const GOptionEntry entries[] = {
    { "format", 'f', 0, G_OPTION_ARG_STRING, &format, N_("Output format: text or json"), N_("FORMAT") },
    G_OPTION_ENTRY_NULL
  };
  char eps[G_ASCII_DTOSTR_BUF_SIZE];
  gboolean json;
  json_t *root;

  if (!cli_parse ("info", "", _("Summarise a model"), entries, CLI_PARSE_DEFAULT, &common, &argc, &argv))
    return CLI_EXIT_USAGE;
  if (!cli_text_or_json (format, &json))
    return CLI_EXIT_USAGE;
  if (argc > 1)
    return cli_usage (_("info takes no TEXT"));

  if ((engine = cli_load_engine (&common)) == NULL)
    return CLI_EXIT_FAILURE;

  root = attn_model_info_json (engine);
  if (json)
    {
      /* Nine digits: a float32 such as 1e-5 prints as 1e-05, not as the double
       * 1.0000000000000001e-05 jansson would write. */
      cli_print_json (root, JSON_INDENT (2) | JSON_PRESERVE_ORDER | JSON_REAL_PRECISION (9));
    }
  else
    {
      g_ascii_formatd (eps, sizeof eps, "%g", json_real_value (json_object_get (root, "layer_norm_epsilon")));
      printf ("%-12s %s\n", _("model"), get_string (root, "model"));
      printf ("%-12s %s\n", _("directory"), get_string (root, "directory"));
      printf ("%-12s %" JSON_INTEGER_FORMAT "\n", _("layers"), get_int (root, "n_layer"));
      printf ("%-12s %" JSON_INTEGER_FORMAT "\n", _("heads"), get_int (root, "n_head"));
      printf ("%-12s %" JSON_INTEGER_FORMAT "\n", _("d_model"), get_int (root, "n_embd"));
      printf ("%-12s %" JSON_INTEGER_FORMAT "\n", _("d_head"), get_int (root, "d_head"));
      printf ("%-12s %" JSON_INTEGER_FORMAT "\n", _("context"), get_int (root, "n_ctx"));
      printf ("%-12s %" JSON_INTEGER_FORMAT "\n", _("vocab"), get_int (root, "vocab_size"));
      printf ("%-12s %s\n", _("dtype"), get_string (root, "dtype"));
      printf ("%-12s %" JSON_INTEGER_FORMAT "\n", _("parameters"), get_int (root, "n_params"));
      printf ("%-12s %s\n", _("ln epsilon"), eps);
      printf ("%-12s %s\n", _("adds BOS"),
              json_is_true (json_object_get (root, "adds_bos")) ? _("yes") : _("no"));
      print_architecture (engine);
      /* the forward pass's threads (ATTENTION_THREADS, README) */
      printf ("%-12s %" JSON_INTEGER_FORMAT "\n", _("threads"), get_int (root, "threads"));
    }
  json_decref (root);
  return CLI_EXIT_OK;
}
