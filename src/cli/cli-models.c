/* cli-models.c — attention-cli models: what the Hugging Face cache holds
 *
 * Copyright 2026 The Attention authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <stdio.h>

#include <glib/gi18n.h>
#include <jansson.h>

#include "attn-hub-cache.h"
#include "attn-hub-download.h"
#include "attn-hub-models.h"
#include "cli-common.h"

static json_t *
model_to_json (const AttnHubModel *model)
{
  return json_pack ("{s:s, s:s, s:s, s:s, s:s?, s:I, s:I, s:b, s:s?}",
                    "repo", model->repo_id,
                    "revision", model->revision,
                    "commit", model->commit,
                    "path", model->path,
                    "architecture", model->architecture,
                    "params", (json_int_t) model->n_params,
                    "bytes", (json_int_t) model->n_bytes,
                    "supported", model->supported,
                    "why_not", model->why_not);
}

int
cli_models (int    argc,
            char **argv)
{
  g_auto(CliCommon) common = { 0 };
  g_autofree char *format = NULL;
  g_autofree char *cache_dir = NULL;
  g_autoptr(GPtrArray) models = NULL;
  const GOptionEntry entries[] = {
    { "format", 'f', 0, G_OPTION_ARG_STRING, &format, N_("Output format: text or json"), N_("FORMAT") },
    G_OPTION_ENTRY_NULL
  };
  gboolean json;

  if (!cli_parse ("models", "",
                  _("List the models in the Hugging Face cache ($HF_HUB_CACHE, $HF_HOME/hub or ~/.cache/huggingface/hub): repo, revision, path, architecture, parameters, bytes on disk, and whether Attention can open each (and why not)."),
                  entries, CLI_PARSE_NO_MODEL, &common, &argc, &argv))
    return 2;
  if (!cli_text_or_json (format, &json))
    return 1;
  if (argc > 1)
    return cli_fail (_("models takes no arguments"));

  cache_dir = attn_hub_cache_dir ();
  models = attn_hub_list_models (cache_dir);

  if (json)
    {
      json_t *list = json_array ();
      json_t *root;

      for (guint i = 0; i < models->len; i++)
        json_array_append_new (list, model_to_json (g_ptr_array_index (models, i)));
      root = json_pack ("{s:s, s:o}", "cache", cache_dir, "models", list);
      cli_print_json (root, JSON_INDENT (2) | JSON_PRESERVE_ORDER);
      json_decref (root);
      return 0;
    }

  if (models->len == 0)
    {
      printf (_("No models in %s.  Download one with “attention-cli download ORG/NAME”.\n"), cache_dir);
      return 0;
    }

  printf ("%-36s %-8s %-22s %9s %9s  %s\n", _("REPO"), _("REVISION"), _("ARCHITECTURE"),
          _("PARAMS"), _("SIZE"), _("OPENS HERE"));
  for (guint i = 0; i < models->len; i++)
    {
      AttnHubModel *model = g_ptr_array_index (models, i);
      g_autofree char *params = model->n_params ? attn_hub_format_params (model->n_params) : g_strdup ("?");
      g_autofree char *bytes = attn_hub_format_bytes (model->n_bytes);
      g_autofree char *supported = model->supported ? g_strdup (_("yes"))
                                                    : g_strdup_printf (_("no: %s"), model->why_not);

      printf ("%-36s %-8s %-22s %9s %9s  %s\n", model->repo_id, model->revision,
              model->architecture ? model->architecture : "?", params, bytes, supported);
    }
  printf ("\n%s %s\n", _("cache:"), cache_dir);
  return 0;
}
