/* attn-hub-models.h
 *
 * Copyright 2026 The Attention authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The models in the Hugging Face cache, and whether the engine can open
 * each: what the model menu and `attention-cli models` list.
 */
#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

typedef struct
{
  char     *repo_id;       /* "openai-community/gpt2" */
  char     *revision;      /* the ref listed: "main" when there is one */
  char     *commit;
  char     *path;          /* the snapshot directory */
  char     *architecture;  /* config.json's architectures[0] or model_type; NULL if unknown */
  guint64   n_params;      /* from the safetensors header; 0 if unknown */
  guint64   n_bytes;       /* the snapshot's files on disk */
  gboolean  supported;
  char     *why_not;       /* NULL when supported */
} AttnHubModel;

#define ATTN_TYPE_HUB_MODEL (attn_hub_model_get_type ())
GType         attn_hub_model_get_type    (void) G_GNUC_CONST;
AttnHubModel *attn_hub_model_copy        (const AttnHubModel *model);
void          attn_hub_model_free        (AttnHubModel       *model);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (AttnHubModel, attn_hub_model_free)

/* Every model cached under @cache_dir, sorted by repo id; an empty array
 * when there is no cache.  Reads only headers, never whole weights. */
GPtrArray    *attn_hub_list_models       (const char         *cache_dir);

/* Whether the engine can open the model in @dir; when not, why, in one
 * sentence naming the file (unsupported architecture as the engine's
 * config parser says, only pytorch_model.bin, missing tokenizer files, a
 * blob deleted from the cache).  The one place that decides "supported",
 * so it follows whatever the engine learns to read. */
gboolean      attn_hub_check_model_dir   (const char         *dir,
                                          GError            **error);

G_END_DECLS
