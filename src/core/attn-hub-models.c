/* attn-hub-models.c
 *
 * Copyright 2026 The Attention authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Lists the cache's models with what a person choosing one wants to know
 * (architecture, parameters, size on disk) and asks the engine whether it
 * can open each, without loading any weights.
 */

#define G_LOG_DOMAIN "attn-hub"

#include "config.h"

#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <glib/gi18n.h>
#include <glib/gstdio.h>
#include <jansson.h>

#include "ae-config.h"
#include "ae-safetensors.h"
#include "attn-hub-cache.h"
#include "attn-hub-models.h"

G_DEFINE_BOXED_TYPE (AttnHubModel, attn_hub_model, attn_hub_model_copy, attn_hub_model_free)

AttnHubModel *
attn_hub_model_copy (const AttnHubModel *model)
{
  AttnHubModel *copy = g_new0 (AttnHubModel, 1);

  *copy = *model;
  copy->repo_id = g_strdup (model->repo_id);
  copy->revision = g_strdup (model->revision);
  copy->commit = g_strdup (model->commit);
  copy->path = g_strdup (model->path);
  copy->architecture = g_strdup (model->architecture);
  copy->why_not = g_strdup (model->why_not);
  return copy;
}

void
attn_hub_model_free (AttnHubModel *model)
{
  if (model == NULL)
    return;
  g_free (model->repo_id);
  g_free (model->revision);
  g_free (model->commit);
  g_free (model->path);
  g_free (model->architecture);
  g_free (model->why_not);
  g_free (model);
}

/* TRUE when @dir/@name can be read.  When it cannot, @gone says whether it
 * is a link whose blob was deleted (rather than never there). */
static gboolean
file_readable (const char *dir,
               const char *name,
               gboolean   *gone)
{
  g_autofree char *path = g_build_filename (dir, name, NULL);
  GStatBuf st;

  if (g_access (path, R_OK) == 0)
    return TRUE;
  if (gone != NULL)
    *gone = g_lstat (path, &st) == 0 && S_ISLNK (st.st_mode);
  return FALSE;
}

static gboolean
set_deleted_blob (GError    **error,
                  const char *name)
{
  g_set_error (error, ATTN_HUB_ERROR, ATTN_HUB_ERROR_NOT_CACHED,
               _("%s: its blob was deleted from the cache; download the model again"), name);
  return FALSE;
}

/* The distinct shard files model.safetensors.index.json names, or NULL
 * when there is no readable index. */
static GPtrArray *
read_shards (const char *dir)
{
  g_autofree char *path = g_build_filename (dir, "model.safetensors.index.json", NULL);
  json_t *root = json_load_file (path, 0, NULL);
  json_t *value;
  const char *key;
  GPtrArray *shards;

  if (!json_is_object (json_object_get (root, "weight_map")))
    {
      json_decref (root);
      return NULL;
    }
  shards = g_ptr_array_new_with_free_func (g_free);
  json_object_foreach (json_object_get (root, "weight_map"), key, value)
    if (json_is_string (value) &&
        !g_ptr_array_find_with_equal_func (shards, json_string_value (value), g_str_equal, NULL))
      g_ptr_array_add (shards, g_strdup (json_string_value (value)));
  json_decref (root);
  return shards;
}

gboolean
attn_hub_check_model_dir (const char  *dir,
                          GError     **error)
{
  static const char *const tokenizer_files[] = { "vocab.json", "merges.txt" };
  g_autofree char *config_path = g_build_filename (dir, "config.json", NULL);
  g_autoptr(GString) missing = g_string_new (NULL);
  AeConfig config;
  AeError ae_error = { 0 };
  AeStatus status;
  gboolean gone = FALSE;

  /* The architecture: the engine's own parser decides, so whatever it
   * learns to read is "supported" here too. */
  if (!file_readable (dir, "config.json", &gone))
    {
      if (gone)
        return set_deleted_blob (error, "config.json");
      g_set_error (error, ATTN_HUB_ERROR, ATTN_HUB_ERROR_NOT_CACHED, _("no config.json"));
      return FALSE;
    }
  status = ae_config_load (&config, config_path, &ae_error);
  if (status != AE_STATUS_OK)
    {
      g_set_error_literal (error, ATTN_HUB_ERROR, ATTN_HUB_ERROR_UNSUPPORTED, ae_error.message);
      return FALSE;
    }

  /* The weights: safetensors only (a pickle can run code when loaded),
   * one file or the shards the index names, as the engine reads them. */
  if (!file_readable (dir, "model.safetensors", &gone))
    {
      g_autoptr(GPtrArray) shards = NULL;

      if (gone)
        return set_deleted_blob (error, "model.safetensors");
      if ((shards = read_shards (dir)) != NULL)
        {
          for (guint i = 0; i < shards->len; i++)
            if (!file_readable (dir, g_ptr_array_index (shards, i), &gone))
              {
                if (gone)
                  return set_deleted_blob (error, g_ptr_array_index (shards, i));
                g_set_error (error, ATTN_HUB_ERROR, ATTN_HUB_ERROR_NOT_CACHED,
                             _("%s (named in model.safetensors.index.json) is missing"),
                             (const char *) g_ptr_array_index (shards, i));
                return FALSE;
              }
        }
      else if (file_readable (dir, "pytorch_model.bin", NULL))
        g_set_error (error, ATTN_HUB_ERROR, ATTN_HUB_ERROR_NO_WEIGHTS,
                     _("only pytorch_model.bin (a PyTorch pickle): Attention reads model.safetensors"));
      else
        g_set_error (error, ATTN_HUB_ERROR, ATTN_HUB_ERROR_NO_WEIGHTS, _("no model.safetensors"));
      if (shards == NULL)
        return FALSE;
    }

  /* The tokenizer as the engine picks it (ae_tokenizer_load_dir ()):
   * tokenizer.json, else GPT-2's vocab.json and merges.txt, else BERT's
   * vocab.txt. */
  if (file_readable (dir, "tokenizer.json", &gone))
    return TRUE;
  if (gone)
    return set_deleted_blob (error, "tokenizer.json");
  if (!file_readable (dir, "vocab.json", NULL) && !file_readable (dir, "merges.txt", NULL))
    {
      if (file_readable (dir, "vocab.txt", &gone))
        return TRUE;
      if (gone)
        return set_deleted_blob (error, "vocab.txt");
    }
  for (guint i = 0; i < G_N_ELEMENTS (tokenizer_files); i++)
    if (!file_readable (dir, tokenizer_files[i], &gone))
      {
        if (gone)
          return set_deleted_blob (error, tokenizer_files[i]);
        g_string_append_printf (missing, "%s%s", missing->len ? ", " : "", tokenizer_files[i]);
      }
  if (missing->len > 0)
    {
      g_set_error (error, ATTN_HUB_ERROR, ATTN_HUB_ERROR_UNSUPPORTED,
                   _("missing tokenizer files: %s"), missing->str);
      return FALSE;
    }

  return TRUE;
}

/* config.json's "architectures"[0], else its "model_type". */
static char *
read_architecture (const char *dir)
{
  g_autofree char *path = g_build_filename (dir, "config.json", NULL);
  json_t *root = json_load_file (path, 0, NULL);
  json_t *value;
  char *result = NULL;

  if (root == NULL)
    return NULL;

  value = json_array_get (json_object_get (root, "architectures"), 0);
  if (!json_is_string (value))
    value = json_object_get (root, "model_type");
  if (json_is_string (value))
    result = g_strdup (json_string_value (value));
  json_decref (root);
  return result;
}

/* The parameter count from model.safetensors' header (the engine maps the
 * file; nothing but the header is read). */
static guint64
count_file_params (const char *dir,
                   const char *name)
{
  g_autofree char *path = g_build_filename (dir, name, NULL);
  AeSafetensors *st = NULL;
  guint64 total = 0;

  if (g_access (path, R_OK) != 0 || ae_safetensors_open (&st, path, NULL) != AE_STATUS_OK)
    return 0;
  for (size_t i = 0; i < ae_safetensors_n_tensors (st); i++)
    total += ae_safetensors_tensor (st, i)->n_elements;
  ae_safetensors_close (st);
  return total;
}

/* The same over every shard of a sharded model. */
static guint64
count_params (const char *dir)
{
  g_autoptr(GPtrArray) shards = NULL;
  guint64 total = 0;

  if ((total = count_file_params (dir, "model.safetensors")) > 0)
    return total;
  if ((shards = read_shards (dir)) == NULL)
    return 0;
  for (guint i = 0; i < shards->len; i++)
    total += count_file_params (dir, g_ptr_array_index (shards, i));
  return total;
}

/* The bytes of every file in the snapshot, links followed. */
static guint64
count_bytes (const char *dir)
{
  g_autoptr(GDir) handle = g_dir_open (dir, 0, NULL);
  const char *name;
  guint64 total = 0;

  while (handle != NULL && (name = g_dir_read_name (handle)) != NULL)
    {
      g_autofree char *path = g_build_filename (dir, name, NULL);
      GStatBuf st;

      if (g_stat (path, &st) != 0)
        continue;
      if (S_ISDIR (st.st_mode))
        total += count_bytes (path);
      else
        total += st.st_size;
    }
  return total;
}

/* The revision to list for a repo: "main" if it has that ref, else its
 * first ref; NULL (with *commit set to the newest snapshot) if none. */
static char *
pick_revision (const char  *repo_dir,
               char       **commit)
{
  g_autofree char *refs_dir = g_build_filename (repo_dir, "refs", NULL);
  g_autofree char *snapshots_dir = g_build_filename (repo_dir, "snapshots", NULL);
  g_autoptr(GDir) refs = NULL;
  g_autoptr(GDir) snapshots = NULL;
  const char *name;
  gint64 newest = G_MININT64;

  if ((*commit = attn_hub_cache_read_ref (repo_dir, "main", NULL)) != NULL)
    return g_strdup ("main");

  refs = g_dir_open (refs_dir, 0, NULL);
  while (refs != NULL && (name = g_dir_read_name (refs)) != NULL)
    if ((*commit = attn_hub_cache_read_ref (repo_dir, name, NULL)) != NULL)
      return g_strdup (name);

  snapshots = g_dir_open (snapshots_dir, 0, NULL);
  while (snapshots != NULL && (name = g_dir_read_name (snapshots)) != NULL)
    {
      g_autofree char *path = g_build_filename (snapshots_dir, name, NULL);
      GStatBuf st;

      if (g_stat (path, &st) == 0 && S_ISDIR (st.st_mode) && st.st_mtime > newest)
        {
          newest = st.st_mtime;
          g_free (*commit);
          *commit = g_strdup (name);
        }
    }
  return NULL;
}

static int
compare_models (gconstpointer a,
                gconstpointer b)
{
  const AttnHubModel *x = *(AttnHubModel * const *) a;
  const AttnHubModel *y = *(AttnHubModel * const *) b;

  return g_ascii_strcasecmp (x->repo_id, y->repo_id);
}

GPtrArray *
attn_hub_list_models (const char *cache_dir)
{
  GPtrArray *models = g_ptr_array_new_with_free_func ((GDestroyNotify) attn_hub_model_free);
  g_autoptr(GDir) handle = g_dir_open (cache_dir, 0, NULL);
  const char *name;

  while (handle != NULL && (name = g_dir_read_name (handle)) != NULL)
    {
      g_autofree char *repo_dir = NULL;
      g_autofree char *commit = NULL;
      g_autofree char *snapshot = NULL;
      g_autoptr(GError) error = NULL;
      AttnHubModel *model;

      /* Datasets and spaces share the cache; only models are ours. */
      if (!g_str_has_prefix (name, "models--"))
        continue;

      repo_dir = g_build_filename (cache_dir, name, NULL);
      model = g_new0 (AttnHubModel, 1);
      model->revision = pick_revision (repo_dir, &commit);
      if (commit == NULL)
        {
          attn_hub_model_free (model);
          continue;
        }
      snapshot = g_build_filename (repo_dir, "snapshots", commit, NULL);
      if (!g_file_test (snapshot, G_FILE_TEST_IS_DIR))
        {
          attn_hub_model_free (model);
          continue;
        }

      model->repo_id = attn_hub_repo_id_from_path (snapshot);
      if (model->repo_id == NULL)
        {
          attn_hub_model_free (model);
          continue;
        }
      if (model->revision == NULL)
        model->revision = g_strdup (commit);
      model->commit = g_steal_pointer (&commit);
      model->path = g_steal_pointer (&snapshot);
      model->architecture = read_architecture (model->path);
      model->n_params = count_params (model->path);
      model->n_bytes = count_bytes (model->path);
      model->supported = attn_hub_check_model_dir (model->path, &error);
      model->why_not = error ? g_strdup (error->message) : NULL;
      g_ptr_array_add (models, model);
    }

  g_ptr_array_sort (models, compare_models);
  return models;
}
