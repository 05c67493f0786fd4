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
#include "ae-threads.h"

/* The rows of the summary the app's About This Model shows that the lines
 * above do not already give. */
static void
print_architecture (const AeModel *model)
{
  static const char *const keys[] = {
    "architecture", "n_kv_head", "sliding_window", "positions", "norm", "mlp", "residual",
    "embeddings", "tokenizer",
  };
  g_autoptr(GPtrArray) rows = attn_model_info_rows (model);

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
  const AeModel *model;
  const AeConfig *config;
  char eps[G_ASCII_DTOSTR_BUF_SIZE];
  gboolean json;

  if (!cli_parse ("info", "", _("Summarise a model"), entries, CLI_PARSE_DEFAULT, &common, &argc, &argv))
    return CLI_EXIT_USAGE;
  if (!cli_text_or_json (format, &json))
    return CLI_EXIT_USAGE;
  if (argc > 1)
    return cli_usage (_("info takes no TEXT"));

  if ((engine = cli_load_engine (&common)) == NULL)
    return CLI_EXIT_FAILURE;

  model = attn_engine_get_model (engine);
  config = ae_model_config (model);
  g_ascii_formatd (eps, sizeof eps, "%g", config->layer_norm_epsilon);

  if (json)
    {
      json_t *root = json_pack ("{s:s, s:s, s:I, s:I, s:I, s:I, s:I, s:I, s:s, s:I, s:f, s:b}",
                                "model", attn_engine_get_name (engine),
                                "directory", ae_model_dir (model),
                                "n_layer", (json_int_t) config->n_layer,
                                "n_head", (json_int_t) config->n_head,
                                "n_embd", (json_int_t) config->n_embd,
                                "d_head", (json_int_t) config->head_size,
                                "n_ctx", (json_int_t) config->n_ctx,
                                "vocab_size", (json_int_t) config->vocab_size,
                                "dtype", ae_dtype_to_string (ae_model_dtype (model)),
                                "n_params", (json_int_t) ae_model_n_params (model),
                                "layer_norm_epsilon", g_ascii_strtod (eps, NULL),
                                "adds_bos", ae_tokenizer_adds_bos (ae_model_tokenizer (model)));
      char *dump;

      /* the architecture, as its description (ae-arch.h) has it */
      json_object_set_new (root, "architecture", json_string (config->arch.name));
      json_object_set_new (root, "n_kv_head", json_integer ((json_int_t) config->n_kv_head));
      json_object_set_new (root, "head_size", json_integer ((json_int_t) config->head_size));
      json_object_set_new (root, "positions", json_string (ae_position_to_string (config->arch.position)));
      json_object_set_new (root, "rotary_dim", json_integer ((json_int_t) config->rotary_dim));
      json_object_set_new (root, "rope_theta", config->arch.position == AE_POSITION_ROTARY
                                               ? json_real (config->rope_theta) : json_null ());
      json_object_set_new (root, "sliding_window", json_integer ((json_int_t) config->sliding_window));
      json_object_set_new (root, "norm", json_string (ae_norm_to_string (config->arch.norm)));
      json_object_set_new (root, "mlp", json_string (ae_mlp_to_string (config->arch.mlp)));
      json_object_set_new (root, "n_inner", json_integer ((json_int_t) config->n_inner));
      json_object_set_new (root, "residual", json_string (ae_residual_to_string (config->arch.residual)));
      json_object_set_new (root, "tie_word_embeddings", json_boolean (config->tie_word_embeddings));
      json_object_set_new (root, "tokenizer", json_string (ae_model_tokenizer_kind (model)));
      /* the forward pass's threads (ATTENTION_THREADS, README) */
      json_object_set_new (root, "threads", json_integer (ae_threads ()));
      /* Nine digits: a float32 such as 1e-5 prints as 1e-05, not as the double
       * 1.0000000000000001e-05 jansson would write. */
      dump = json_dumps (root, JSON_INDENT (2) | JSON_PRESERVE_ORDER | JSON_REAL_PRECISION (9));

      printf ("%s\n", dump);
      free (dump);
      json_decref (root);
    }
  else
    {
      printf ("%-12s %s\n", _("model"), attn_engine_get_name (engine));
      printf ("%-12s %s\n", _("directory"), ae_model_dir (model));
      printf ("%-12s %zu\n", _("layers"), config->n_layer);
      printf ("%-12s %zu\n", _("heads"), config->n_head);
      printf ("%-12s %zu\n", _("d_model"), config->n_embd);
      printf ("%-12s %zu\n", _("d_head"), config->head_size);
      printf ("%-12s %zu\n", _("context"), config->n_ctx);
      printf ("%-12s %zu\n", _("vocab"), config->vocab_size);
      printf ("%-12s %s\n", _("dtype"), ae_dtype_to_string (ae_model_dtype (model)));
      printf ("%-12s %zu\n", _("parameters"), ae_model_n_params (model));
      printf ("%-12s %s\n", _("ln epsilon"), eps);
      printf ("%-12s %s\n", _("adds BOS"),
              ae_tokenizer_adds_bos (ae_model_tokenizer (model)) ? _("yes") : _("no"));
      print_architecture (model);
      /* the forward pass's threads (ATTENTION_THREADS, README) */
      printf ("%-12s %d\n", _("threads"), ae_threads ());
    }
  return CLI_EXIT_OK;
}
