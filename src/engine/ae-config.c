/* ae-config.c
 *
 * Copyright 2026 The Attention authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Reads a Hugging Face GPT-2 config.json into an AeConfig.  Only the fields
 * the forward pass needs are read; everything else is ignored.  Every
 * message starts with the file's base name so the person knows which file
 * to fix.
 */

#include <jansson.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "ae-config.h"
#include "ae-file.h"

/* Generous upper bounds: far above any GPT-2 we run, low enough that the
 * products below cannot overflow a size_t. */
#define MAX_LAYER  1024
#define MAX_HEAD   1024
#define MAX_EMBD   65536
#define MAX_CTX    (1 << 20)
#define MAX_VOCAB  (1 << 24)

static const char *
base_name (const char *path)
{
  const char *slash = strrchr (path, '/');

  return slash != NULL ? slash + 1 : path;
}

/* Reads the positive integer @key into @out; @required says whether its
 * absence is an error (otherwise @out is left alone and 0 is returned). */
static AeStatus
read_size (json_t     *root,
           const char *key,
           size_t      max,
           int         required,
           size_t     *out,
           AeError    *error)
{
  json_t *value = json_object_get (root, key);
  json_int_t n;

  if (value == NULL || json_is_null (value))
    {
      if (required)
        return ae_error_set (error, AE_STATUS_BAD_CONFIG, "“%s” is missing", key);
      return AE_STATUS_OK;
    }

  if (!json_is_integer (value))
    return ae_error_set (error, AE_STATUS_BAD_CONFIG, "“%s” must be an integer", key);

  n = json_integer_value (value);
  if (n < 1 || (unsigned long long) n > max)
    return ae_error_set (error, AE_STATUS_BAD_CONFIG,
                         "“%s” is %lld; it must be between 1 and %zu",
                         key, (long long) n, max);

  *out = (size_t) n;
  return AE_STATUS_OK;
}

static AeStatus
read_config (AeConfig *config,
             json_t   *root,
             AeError  *error)
{
  json_t *value;
  AeStatus status;

  if (!json_is_object (root))
    return ae_error_set (error, AE_STATUS_BAD_CONFIG, "the file is not a JSON object");

  /* Refuse other families first: their shape fields mean something else. */
  value = json_object_get (root, "model_type");
  if (value != NULL && !json_is_null (value))
    {
      if (!json_is_string (value))
        return ae_error_set (error, AE_STATUS_BAD_CONFIG, "“model_type” must be a string");
      if (strcmp (json_string_value (value), "gpt2") != 0)
        return ae_error_set (error, AE_STATUS_UNSUPPORTED,
                             "model_type is “%s”; only GPT-2 models (“gpt2”) are supported",
                             json_string_value (value));
    }

  value = json_object_get (root, "activation_function");
  if (value != NULL && !json_is_null (value))
    {
      if (!json_is_string (value))
        return ae_error_set (error, AE_STATUS_BAD_CONFIG,
                             "“activation_function” must be a string");
      if (strcmp (json_string_value (value), "gelu_new") != 0)
        return ae_error_set (error, AE_STATUS_UNSUPPORTED,
                             "activation_function is “%s”; only “gelu_new” is supported",
                             json_string_value (value));
    }

  if ((status = read_size (root, "n_layer", MAX_LAYER, 1, &config->n_layer, error)) ||
      (status = read_size (root, "n_head", MAX_HEAD, 1, &config->n_head, error)) ||
      (status = read_size (root, "n_embd", MAX_EMBD, 1, &config->n_embd, error)) ||
      (status = read_size (root, "vocab_size", MAX_VOCAB, 1, &config->vocab_size, error)))
    return status;

  /* n_positions is the size of wpe; older configs only carry n_ctx. */
  config->n_ctx = 0;
  if ((status = read_size (root, "n_positions", MAX_CTX, 0, &config->n_ctx, error)))
    return status;
  if (config->n_ctx == 0 &&
      (status = read_size (root, "n_ctx", MAX_CTX, 0, &config->n_ctx, error)))
    return status;
  if (config->n_ctx == 0)
    return ae_error_set (error, AE_STATUS_BAD_CONFIG, "“n_positions” (or “n_ctx”) is missing");

  if (config->n_embd % config->n_head != 0)
    return ae_error_set (error, AE_STATUS_BAD_CONFIG,
                         "n_embd (%zu) is not a multiple of n_head (%zu)",
                         config->n_embd, config->n_head);

  config->layer_norm_epsilon = 1e-5f;
  value = json_object_get (root, "layer_norm_epsilon");
  if (value != NULL && !json_is_null (value))
    {
      double eps;

      if (!json_is_number (value))
        return ae_error_set (error, AE_STATUS_BAD_CONFIG, "“layer_norm_epsilon” must be a number");
      eps = json_number_value (value);
      if (!(eps > 0.0 && eps < 1.0))
        return ae_error_set (error, AE_STATUS_BAD_CONFIG,
                             "layer_norm_epsilon is %g; it must be between 0 and 1", eps);
      config->layer_norm_epsilon = (float) eps;
    }

  return AE_STATUS_OK;
}

AeStatus
ae_config_load (AeConfig   *config,
                const char *path,
                AeError    *error)
{
  json_error_t jerror;
  json_t *root;
  char *text;
  size_t len;
  AeStatus status;

  memset (config, 0, sizeof *config);

  /* Only a regular file of sane size is read (a FIFO would block). */
  if ((status = ae_file_read (path, AE_FILE_MAX_TEXT_BYTES, &text, &len, error)))
    {
      ae_error_prefix (error, base_name (path));
      return status;
    }
  root = json_loadb (text, len, JSON_REJECT_DUPLICATES, &jerror);
  free (text);
  if (root == NULL)
    {
      status = ae_error_set (error, AE_STATUS_BAD_CONFIG,
                             "invalid JSON at line %d, column %d: %s",
                             jerror.line, jerror.column, jerror.text);
      ae_error_prefix (error, base_name (path));
      return status;
    }

  status = read_config (config, root, error);
  json_decref (root);

  if (status != AE_STATUS_OK)
    {
      memset (config, 0, sizeof *config);
      ae_error_prefix (error, base_name (path));
    }

  return status;
}
