/* ae-model.c
 *
 * Copyright 2026 The Attention authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Loads a model from a Hugging Face directory: config.json (the shape and
 * the architecture description, ae-config.c), the weights from
 * model.safetensors or the shards model.safetensors.index.json lists
 * (bound in ae-weights.c), and the tokenizer.  The forward pass is in
 * ae-forward.c.
 */

#include <errno.h>
#include <jansson.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "ae-file.h"
#include "ae-model-private.h"

/* ----------------------------------------------------------------------------
 * loading */

static char *
join_path (const char *dir,
           const char *file)
{
  size_t len = strlen (dir);
  size_t n;
  char *path;

  /* "model/" + "config.json" is "model/config.json", not "model//…". */
  while (len > 1 && dir[len - 1] == '/')
    len--;
  n = len + strlen (file) + 2;
  path = malloc (n);
  if (path != NULL)
    snprintf (path, n, "%.*s/%s", (int) len, dir, file);
  return path;
}

/* The directory's last component, without trailing slashes. */
static char *
dir_base_name (const char *dir)
{
  size_t end = strlen (dir), start;
  char *name;

  while (end > 1 && dir[end - 1] == '/')
    end--;
  start = end;
  while (start > 0 && dir[start - 1] != '/')
    start--;

  name = malloc (end - start + 1);
  if (name != NULL)
    {
      memcpy (name, dir + start, end - start);
      name[end - start] = '\0';
    }
  return name;
}

static AeStatus
load_tokenizer (AeModel *model,
                AeError *error)
{
  AeStatus status = ae_tokenizer_load_dir (&model->tokenizer, model->dir, error);

  if (status == AE_STATUS_OK &&
      ae_tokenizer_vocab_size (model->tokenizer) > model->config.vocab_size)
    status = ae_error_set (error, AE_STATUS_BAD_TOKENIZER,
                           "%s: has %zu tokens but config.json says vocab_size is %zu",
                           ae_tokenizer_kind (model->tokenizer) == AE_TOKENIZER_GPT2
                           ? "vocab.json" : "tokenizer.json",
                           ae_tokenizer_vocab_size (model->tokenizer),
                           model->config.vocab_size);
  return status;
}

/* Opens one file of the checkpoint into model->files; errors name it. */
static AeStatus
open_one (AeModel    *model,
          const char *file,
          AeError    *error)
{
  char *path = join_path (model->dir, file);
  AeStatus status;

  if (path == NULL)
    return ae_error_set (error, AE_STATUS_NO_MEMORY, "out of memory");
  status = ae_safetensors_open (&model->files[model->n_files], path, error);
  free (path);
  if (status != AE_STATUS_OK)
    {
      ae_error_prefix (error, file);
      return status;
    }
  model->n_files++;
  return AE_STATUS_OK;
}

/* Has @file been opened already (shards hold many tensors each)? */
static bool
listed_before (json_t     *map,
               const char *key_stop,
               const char *file)
{
  const char *key;
  json_t *value;

  json_object_foreach (map, key, value)
    {
      if (strcmp (key, key_stop) == 0)
        return false;
      if (strcmp (json_string_value (value), file) == 0)
        return true;
    }
  return false;
}

/* model.safetensors, or else every shard model.safetensors.index.json's
 * weight_map names (each once, and only files inside the folder). */
static AeStatus
open_weight_files (AeModel *model,
                   AeError *error)
{
  char *path = join_path (model->dir, "model.safetensors");
  json_error_t jerror;
  json_t *index, *map, *value;
  char *text;
  size_t len;
  const char *key;
  AeStatus status = AE_STATUS_OK;
  bool single;

  if (path == NULL)
    return ae_error_set (error, AE_STATUS_NO_MEMORY, "out of memory");
  single = access (path, F_OK) == 0;
  free (path);

  path = join_path (model->dir, "model.safetensors.index.json");
  if (path == NULL)
    return ae_error_set (error, AE_STATUS_NO_MEMORY, "out of memory");
  if (single || access (path, F_OK) != 0)
    {
      free (path);
      model->files = calloc (1, sizeof *model->files);
      if (model->files == NULL)
        return ae_error_set (error, AE_STATUS_NO_MEMORY, "out of memory");
      return open_one (model, "model.safetensors", error);
    }

  model->sharded = true;
  /* Only a regular file of sane size is read (a FIFO would block). */
  status = ae_file_read (path, AE_FILE_MAX_TEXT_BYTES, &text, &len, error);
  free (path);
  if (status != AE_STATUS_OK)
    {
      ae_error_prefix (error, "model.safetensors.index.json");
      return status;
    }
  index = json_loadb (text, len, JSON_REJECT_DUPLICATES, &jerror);
  free (text);
  if (index == NULL)
    status = ae_error_set (error, AE_STATUS_BAD_WEIGHTS, "invalid JSON at line %d: %s",
                           jerror.line, jerror.text);
  else if (!json_is_object (map = json_object_get (index, "weight_map")) ||
           json_object_size (map) == 0)
    status = ae_error_set (error, AE_STATUS_BAD_WEIGHTS, "“weight_map” is missing or empty");
  else
    {
      json_object_foreach (map, key, value)
        {
          const char *file = json_string_value (value);

          if (file == NULL || file[0] == '\0' || file[0] == '.' || strchr (file, '/') != NULL)
            {
              status = ae_error_set (error, AE_STATUS_BAD_WEIGHTS,
                                     "“%s” must name a file in the model folder", key);
              break;
            }
        }
      if (status == AE_STATUS_OK &&
          (model->files = calloc (json_object_size (map), sizeof *model->files)) == NULL)
        status = ae_error_set (error, AE_STATUS_NO_MEMORY, "out of memory");
      json_object_foreach (map, key, value)
        {
          if (status != AE_STATUS_OK)
            break;
          if (!listed_before (map, key, json_string_value (value)))
            {
              status = open_one (model, json_string_value (value), error);
              if (status != AE_STATUS_OK)
                {
                  json_decref (index);
                  return status;
                }
            }
        }
      /* every tensor the index lists is where it says */
      json_object_foreach (map, key, value)
        {
          bool found = false;

          if (status != AE_STATUS_OK)
            break;
          for (size_t f = 0; f < model->n_files && !found; f++)
            found = ae_safetensors_find (model->files[f], key) != NULL;
          if (!found)
            status = ae_error_set (error, AE_STATUS_BAD_WEIGHTS,
                                   "tensor “%s” is not in %s", key, json_string_value (value));
        }
    }
  json_decref (index);
  if (status != AE_STATUS_OK)
    ae_error_prefix (error, "model.safetensors.index.json");
  return status;
}

AeStatus
ae_model_load (AeModel   **out,
               const char *dir,
               AeError    *error)
{
  AeModel *model;
  char *path = NULL;
  AeStatus status;

  *out = NULL;

  model = calloc (1, sizeof *model);
  if (model == NULL)
    return ae_error_set (error, AE_STATUS_NO_MEMORY, "out of memory");

  model->dir = strdup (dir);
  model->name = dir_base_name (dir);
  if (model->dir == NULL || model->name == NULL)
    {
      status = ae_error_set (error, AE_STATUS_NO_MEMORY, "out of memory");
      goto fail;
    }

  /* config.json: the shape everything else is checked against. */
  path = join_path (dir, "config.json");
  if (path == NULL)
    {
      status = ae_error_set (error, AE_STATUS_NO_MEMORY, "out of memory");
      goto fail;
    }
  /* A folder without one is no model at all: say that, not "cannot be
   * opened", so a person who picked the wrong folder knows. */
  if (access (path, F_OK) != 0 && errno == ENOENT)
    {
      status = ae_error_set (error, AE_STATUS_IO, "this folder is not a model: no config.json");
      goto fail;
    }
  if ((status = ae_config_load (&model->config, path, error)))
    goto fail;
  free (path);
  path = NULL;

  /* the weights: mapped, validated, then matched against the config */
  model->layers = calloc (model->config.n_layer, sizeof *model->layers);
  if (model->layers == NULL)
    {
      status = ae_error_set (error, AE_STATUS_NO_MEMORY, "out of memory");
      goto fail;
    }
  if ((status = open_weight_files (model, error)))
    goto fail;
  if ((status = ae_weights_bind (model, error)))
    {
      ae_error_prefix (error, model->n_files == 1 && !model->sharded
                                ? "model.safetensors" : "model.safetensors.index.json");
      goto fail;
    }

  if (model->config.arch.position == AE_POSITION_ROTARY)
    {
      model->inv_freq = calloc (model->config.rotary_dim / 2 + 1, sizeof (double));
      if (model->inv_freq == NULL)
        {
          status = ae_error_set (error, AE_STATUS_NO_MEMORY, "out of memory");
          goto fail;
        }
      ae_config_rope_inv_freq (&model->config, model->inv_freq);
    }

  /* tokenizer.json, or vocab.json and merges.txt; tokenizer_config.json. */
  if ((status = load_tokenizer (model, error)))
    goto fail;

  *out = model;
  return AE_STATUS_OK;

fail:
  free (path);
  ae_model_free (model);
  return status;
}

void
ae_model_free (AeModel *model)
{
  if (model == NULL)
    return;

  ae_tokenizer_free (model->tokenizer);
  for (size_t i = 0; i < model->n_files; i++)
    ae_safetensors_close (model->files[i]);
  free (model->files);
  free (model->inv_freq);
  ae_weights_unbind (model);
  free (model->owned);
  free (model->layers);
  free (model->name);
  free (model->dir);
  free (model);
}

const AeConfig *
ae_model_config (const AeModel *model)
{
  return &model->config;
}

const AeTokenizer *
ae_model_tokenizer (const AeModel *model)
{
  return model->tokenizer;
}

const char *
ae_model_tokenizer_kind (const AeModel *model)
{
  return ae_tokenizer_kind_name (model->tokenizer);
}

AeDtype
ae_model_dtype (const AeModel *model)
{
  return model->dtype;
}

const char *
ae_model_name (const AeModel *model)
{
  return model->name;
}

const char *
ae_model_dir (const AeModel *model)
{
  return model->dir;
}

size_t
ae_model_n_params (const AeModel *model)
{
  return model->n_params;
}

const AeLayerWeights *
ae_model_layer (const AeModel *model,
                size_t         layer)
{
  return layer < model->config.n_layer ? &model->layers[layer] : NULL;
}
