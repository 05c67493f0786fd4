/* ae-tokenizer-config.c
 *
 * Copyright 2026 The Attention authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Reading the tokenizer's files: whole files and JSON with the engine's error
 * conventions, and tokenizer_config.json, which says whether to add BOS/EOS
 * when tokenizer.json has no post-processor template (and always, for
 * GPT-2's vocab.json + merges.txt).
 */

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "ae-file.h"
#include "ae-tokenizer-private.h"

/* Model files go through ae-file.c: regular files only (a FIFO in the
 * model folder would block), at most AE_FILE_MAX_TEXT_BYTES. */
AeStatus
ae_tok_read_file (const char *path,
                  char      **out,
                  size_t     *out_len,
                  AeError    *error)
{
  AeStatus status = ae_file_read (path, AE_FILE_MAX_TEXT_BYTES, out, out_len, error);

  if (status != AE_STATUS_OK)
    ae_error_prefix (error, path);
  return status;
}

AeStatus
ae_tok_load_json (const char *path,
                  bool        missing_ok,
                  size_t      flags,
                  json_t    **out,
                  AeError    *error)
{
  json_error_t jerr;
  char *text = NULL;
  size_t len = 0;
  AeStatus status;

  *out = NULL;
  if (missing_ok && access (path, F_OK) != 0 && errno == ENOENT)
    return AE_STATUS_OK;

  /* One read and json_loadb: json_loadf reads a byte at a time, which was
   * three quarters of loading GPT-2's 1 MB vocab.json. */
  if ((status = ae_tok_read_file (path, &text, &len, error)) != AE_STATUS_OK)
    return status;
  *out = json_loadb (text, len, JSON_REJECT_DUPLICATES | flags, &jerr);
  free (text);
  if (*out != NULL)
    return AE_STATUS_OK;

  return ae_error_set (error, AE_STATUS_BAD_TOKENIZER, "%s: invalid JSON at line %d, column %d: %s",
                       path, jerr.line, jerr.column, jerr.text);
}

/* "bos_token" is a string or, in newer files, an AddedToken object
 * {"content": ...}; null means none. */
static AeStatus
token_name (json_t      *config,
            const char  *key,
            const char  *path,
            char       **out,
            AeError     *error)
{
  json_t *value = json_object_get (config, key);

  if (json_is_object (value))
    value = json_object_get (value, "content");
  if (json_is_string (value))
    {
      if ((*out = strdup (json_string_value (value))) == NULL)
        return ae_error_set (error, AE_STATUS_NO_MEMORY, "%s: out of memory", path);
    }
  else if (value != NULL && !json_is_null (value))
    return ae_error_set (error, AE_STATUS_BAD_TOKENIZER,
                         "%s: \"%s\" must be a string or an object with \"content\"", path, key);
  return AE_STATUS_OK;
}

AeStatus
ae_tokenizer_config_load (AeTokenizerConfig *config,
                          const char        *path,
                          AeError           *error)
{
  json_t *json = NULL;
  AeStatus status;

  memset (config, 0, sizeof *config);
  if (path == NULL)
    return AE_STATUS_OK;
  /* Real files carry "model_max_length": 1000000000000000019884624838656,
   * past jansson's integers: read numbers we do not need as doubles. */
  if ((status = ae_tok_load_json (path, true, JSON_DECODE_INT_AS_REAL, &json, error)) != AE_STATUS_OK || json == NULL)
    return status;

  if (!json_is_object (json))
    status = ae_error_set (error, AE_STATUS_BAD_TOKENIZER, "%s: expected a JSON object", path);
  else
    {
      config->present = true;
      config->add_bos = json_is_true (json_object_get (json, "add_bos_token"));
      config->add_eos = json_is_true (json_object_get (json, "add_eos_token"));
      if ((status = token_name (json, "bos_token", path, &config->bos, error)) == AE_STATUS_OK)
        status = token_name (json, "eos_token", path, &config->eos, error);
    }

  json_decref (json);
  if (status != AE_STATUS_OK)
    ae_tokenizer_config_clear (config);
  return status;
}

void
ae_tokenizer_config_clear (AeTokenizerConfig *config)
{
  free (config->bos);
  free (config->eos);
  memset (config, 0, sizeof *config);
}
