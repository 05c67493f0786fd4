/* cli-common.c
 *
 * Copyright 2026 The Attention authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <math.h>
#include <stdio.h>
#include <string.h>

#include <glib/gi18n.h>
#include <gio/gio.h>

#include <gio/gunixinputstream.h>

#include "attn-pair.h"
#include "attn-predictions.h"
#include "cli-common.h"

gboolean
cli_parse (const char          *name,
           const char          *parameter_string,
           const char          *summary,
           const GOptionEntry  *entries,
           CliParseFlags        flags,
           CliCommon           *common,
           int                 *argc,
           char              ***argv)
{
  const GOptionEntry common_entries[] = {
    { "model", 'm', 0, G_OPTION_ARG_FILENAME, &common->model_dir,
      N_("Model directory (Hugging Face layout), or a Hugging Face repo id (ORG/NAME) opened from the cache; default: the built-in model"),
      N_("DIR|REPO_ID") },
    G_OPTION_ENTRY_NULL
  };
  const GOptionEntry run_entries[] = {
    { "truncate", 0, 0, G_OPTION_ARG_NONE, &common->truncate,
      N_("Use the tokens that fit in the model's context and drop the rest, as the app does"), NULL },
    G_OPTION_ENTRY_NULL
  };
  const GOptionEntry ablate_entries[] = {
    { "ablate", 0, 0, G_OPTION_ARG_STRING, &common->ablate,
      N_("Switch these heads off (their output before W_O), e.g. 1.3,2.0"), N_("L.H[,L.H…]") },
    { "ablation", 0, 0, G_OPTION_ARG_STRING, &common->ablation,
      N_("How: zero (default) or mean (the head's mean over the text's positions)"), N_("zero|mean") },
    G_OPTION_ENTRY_NULL
  };
  const GOptionEntry pair_entries[] = {
    { "pair", 0, 0, G_OPTION_ARG_STRING, &common->pair,
      N_("Sentence B: run an encoder (BERT, DistilBERT, RoBERTa) on the pair TEXT, TEXT_B"), N_("TEXT_B") },
    G_OPTION_ENTRY_NULL
  };
  g_autofree char *prgname = g_strdup_printf ("attention-cli %s", name);
  g_autoptr(GOptionContext) context = g_option_context_new (parameter_string);
  g_autoptr(GError) error = NULL;

  /* GOption's usage line reads "Usage: PRGNAME [OPTION…] PARAMETERS". */
  g_set_prgname (prgname);
  g_option_context_set_summary (context, summary);
  if (!(flags & CLI_PARSE_NO_MODEL))
    g_option_context_add_main_entries (context, common_entries, GETTEXT_PACKAGE);
  if (flags & CLI_PARSE_RUNS_MODEL)
    g_option_context_add_main_entries (context, run_entries, GETTEXT_PACKAGE);
  if (flags & CLI_PARSE_ABLATES)
    g_option_context_add_main_entries (context, ablate_entries, GETTEXT_PACKAGE);
  if (flags & CLI_PARSE_PAIRS)
    g_option_context_add_main_entries (context, pair_entries, GETTEXT_PACKAGE);
  if (entries != NULL)
    g_option_context_add_main_entries (context, entries, GETTEXT_PACKAGE);

  if (!g_option_context_parse (context, argc, argv, &error))
    {
      g_autofree char *help = g_option_context_get_help (context, TRUE, NULL);

      fprintf (stderr, "attention-cli %s: %s\n\n%s", name, error->message, help);
      return FALSE;
    }
  return TRUE;
}

AttnEngine *
cli_load_engine (const CliCommon *common)
{
  g_autofree char *dir = NULL;
  g_autoptr(GError) error = NULL;
  AttnEngine *engine;

  /* A repo id resolves, in attn_engine_new (), to its cached snapshot. */
  dir = common->model_dir ? g_strdup (common->model_dir) : attn_engine_dup_builtin_dir ();
  engine = attn_engine_new (dir, NULL, &error);
  if (engine == NULL)
    cli_fail_error (error);
  return engine;
}

char *
cli_text_argument (int    argc,
                   char **argv)
{
  if (argc < 2)
    {
      cli_usage (_("no TEXT given (pass it as an argument, or “-” to read standard input)"));
      return NULL;
    }

  if (argc == 2 && g_strcmp0 (argv[1], "-") == 0)
    {
      g_autoptr(GInputStream) in = g_unix_input_stream_new (0, FALSE);
      g_autoptr(GOutputStream) out = g_memory_output_stream_new_resizable ();
      g_autoptr(GError) error = NULL;
      const char *data, *nul;
      gsize size;

      /* The target stays open for the terminating NUL: the stream's buffer
       * is not NUL-terminated by itself (a text whose length is a power of
       * two filled it exactly and was read past its end). */
      if (g_output_stream_splice (out, in, G_OUTPUT_STREAM_SPLICE_NONE, NULL, &error) < 0 ||
          !g_output_stream_write_all (out, "", 1, NULL, NULL, &error) ||
          !g_output_stream_close (out, NULL, &error))
        {
          cli_fail (_("cannot read TEXT from standard input: %s"), error->message);
          return NULL;
        }

      /* Everything after a NUL would be dropped without a word. */
      data = g_memory_output_stream_get_data (G_MEMORY_OUTPUT_STREAM (out));
      size = g_memory_output_stream_get_data_size (G_MEMORY_OUTPUT_STREAM (out)) - 1;
      if ((nul = memchr (data, '\0', size)) != NULL)
        {
          cli_fail (_("standard input has a NUL at byte %zu: TEXT must be UTF-8 text"),
                    (gsize) (nul - data));
          return NULL;
        }
      return g_memory_output_stream_steal_data (G_MEMORY_OUTPUT_STREAM (out));
    }

  return g_strjoinv (" ", argv + 1);
}

gboolean
cli_text_or_json (const char *format,
                  gboolean   *json)
{
  *json = g_strcmp0 (format, "json") == 0;
  if (format != NULL && !*json && g_strcmp0 (format, "text") != 0)
    {
      cli_usage (_("unknown format “%s”: use text or json"), format);
      return FALSE;
    }
  return TRUE;
}

static AttnResult *
run_with (AttnEngine           *engine,
          const char           *text,
          const AttnRunOptions *options)
{
  g_autoptr(GError) error = NULL;
  AttnResult *result;

  result = attn_engine_run_options (engine, text, options, NULL, &error);
  if (result == NULL && g_error_matches (error, ATTN_ENGINE_ERROR, ATTN_ENGINE_ERROR_TOO_LONG))
    cli_fail (_("%s (pass --truncate to use the first %u tokens, as the app does)"),
              error->message, attn_engine_get_n_ctx (engine));
  else if (result == NULL)
    cli_fail_error (error);
  /* Said even when stdout is a file: a script must not mistake the first
   * n_ctx tokens' attention for the whole text's.  JSON output carries the
   * count as "dropped_tokens". */
  if (result != NULL && attn_result_get_n_dropped (result) > 0)
    fprintf (stderr, _("attention-cli: --truncate: used the first %u tokens and left out %u more\n"),
             attn_result_get_n_tokens (result), attn_result_get_n_dropped (result));
  return result;
}

AttnResult *
cli_run (AttnEngine      *engine,
         const CliCommon *common,
         const char      *text,
         guint            n_layers)
{
  AttnRunOptions options = { .truncate = common->truncate, .whole_text = TRUE,
                             .n_layers = n_layers,
                             .attention_only = !common->predictions, .text_b = common->pair };

  attn_run_options_set_ablation (&options, cli_ablation (common));

  return run_with (engine, text, &options);
}

AttnResult *
cli_run_attention (AttnEngine      *engine,
                   const CliCommon *common,
                   const char      *text,
                   int              layer)
{
  /* Layer l's attention needs no later layer, and the earlier ones only
   * while they run: the result keeps layer l alone (a twelfth of the
   * trace), and no predictions (the LM head would read the whole
   * embedding matrix). */
  AttnRunOptions options = { .truncate = common->truncate, .whole_text = TRUE,
                             .n_layers = layer >= 0 ? (guint) layer + 1 : 0,
                             .first_layer = layer >= 0 ? (guint) layer : 0,
                             .attention_only = TRUE, .text_b = common->pair };

  attn_run_options_set_ablation (&options, cli_ablation (common));

  return run_with (engine, text, &options);
}

gboolean
cli_merge_words (AttnResult **result)
{
  g_autoptr(GError) error = NULL;
  AttnResult *merged = attn_result_merge_words (*result, NULL, &error);

  if (merged == NULL)
    {
      cli_fail_error (error);
      return FALSE;
    }
  attn_result_unref (*result);
  *result = merged;
  return TRUE;
}

gboolean
cli_parse_index (const char *option,
                 const char *arg,
                 int         unset,
                 int        *out)
{
  guint64 value;

  if (arg == NULL)
    {
      *out = unset;
      return TRUE;
    }
  if (!g_ascii_string_to_unsigned (arg, 10, 0, G_MAXINT, &value, NULL))
    {
      cli_usage (_("--%s “%s”: token, layer and head indices start at 0 and are whole numbers"),
                 option, arg);
      return FALSE;
    }
  *out = (int) value;
  return TRUE;
}

int
cli_token_out_of_range (const char *option,
                        int         index,
                        guint       n_tokens)
{
  if (n_tokens == 0)
    return cli_usage (_("--%s %d is out of range: the text has no tokens"), option, index);
  return cli_usage (_("--%s %d is out of range: the text has tokens 0 to %u (see “attention-cli tokens”)"),
                    option, index, n_tokens - 1);
}

gboolean
cli_check_layer_head (AttnEngine *engine,
                      int         layer,
                      int         head)
{
  guint n_layers = attn_engine_get_n_layers (engine);
  guint n_heads = attn_engine_get_n_heads (engine);

  if (layer >= 0 && (guint) layer >= n_layers)
    {
      cli_usage (_("--layer %d is out of range: “%s” has layers 0 to %u"),
                layer, attn_engine_get_name (engine), n_layers - 1);
      return FALSE;
    }
  if (head >= 0 && (guint) head >= n_heads)
    {
      cli_usage (_("--head %d is out of range: “%s” has heads 0 to %u"),
                head, attn_engine_get_name (engine), n_heads - 1);
      return FALSE;
    }
  return TRUE;
}

json_t *
cli_json_number (double x)
{
  return isfinite (x) ? json_real (x) : json_null ();
}

void
cli_print_json (const json_t *root,
                size_t        flags)
{
  char *dump = json_dumps (root, flags);

  printf ("%s\n", dump);
  free (dump);
}

static int
report (int         status,
        const char *format,
        va_list     args)
{
  g_autofree char *message = g_strdup_vprintf (format, args);

  fprintf (stderr, "attention-cli: %s\n", message);
  return status;
}

int
cli_fail (const char *format,
          ...)
{
  va_list args;
  int status;

  va_start (args, format);
  status = report (CLI_EXIT_FAILURE, format, args);
  va_end (args);
  return status;
}

int
cli_usage (const char *format,
           ...)
{
  va_list args;
  int status;

  va_start (args, format);
  status = report (CLI_EXIT_USAGE, format, args);
  va_end (args);
  return status;
}

int
cli_fail_error (const GError *error)
{
  return cli_fail ("%s", error ? error->message : _("unknown error"));
}

void
cli_common_clear (CliCommon *common)
{
  g_clear_pointer (&common->model_dir, g_free);
  g_clear_pointer (&common->ablate, g_free);
  g_clear_pointer (&common->ablation, g_free);
  g_clear_pointer (&common->ablated, attn_ablation_free);
  g_clear_pointer (&common->pair, g_free);
}

gboolean
cli_check_pair (AttnEngine      *engine,
                const CliCommon *common)
{
  g_autofree char *why = NULL;

  if (common->pair == NULL || attn_engine_accepts_pairs (engine))
    return TRUE;
  why = attn_engine_dup_pair_refusal (engine);
  cli_usage ("--pair: %s", why);
  return FALSE;
}

gboolean
cli_parse_links (const char      *links,
                 const CliCommon *common,
                 AttnPairFilter  *filter)
{
  *filter = ATTN_PAIR_FILTER_ALL;
  if (links == NULL)
    return TRUE;
  if (!attn_pair_filter_from_string (links, filter))
    {
      cli_usage (_("unknown links “%s”: use A->A, A->B, B->A, B->B or all"), links);
      return FALSE;
    }
  if (*filter != ATTN_PAIR_FILTER_ALL && common->pair == NULL)
    {
      cli_usage (_("--links %s keeps some links of a sentence pair: pass --pair TEXT_B too"), links);
      return FALSE;
    }
  return TRUE;
}

void
cli_json_segments (json_t     *root,
                   AttnResult *result)
{
  json_t *types = json_array (), *segments = json_array ();

  for (guint i = 0; i < attn_result_get_n_tokens (result); i++)
    {
      json_array_append_new (types, json_integer (attn_result_get_token_type_id (result, i)));
      json_array_append_new (segments, json_string (attn_segment_to_string (
        attn_result_get_segment (result, i))));
    }
  if (attn_result_has_pair (result))
    json_object_set_new (root, "text_b", json_string (attn_result_get_text_b (result)));
  json_object_set_new (root, "token_type_ids", types);
  json_object_set_new (root, "segments", segments);
}

gboolean
cli_check_ablation (AttnEngine *engine,
                    CliCommon  *common)
{
  AttnAblationKind kind = ATTN_ABLATION_ZERO;
  g_autoptr(GError) error = NULL;

  if (common->ablation != NULL && !attn_ablation_kind_from_string (common->ablation, &kind))
    {
      cli_usage (_("unknown ablation “%s”: use zero or mean"), common->ablation);
      return FALSE;
    }
  if (common->ablate == NULL)
    return TRUE;
  common->ablated = attn_ablation_parse (common->ablate, kind, attn_engine_get_n_layers (engine),
                                         attn_engine_get_n_heads (engine), &error);
  if (common->ablated == NULL)
    {
      cli_usage ("--ablate: %s", error->message);
      return FALSE;
    }
  return TRUE;
}

const AttnAblation *
cli_ablation (const CliCommon *common)
{
  return common->ablated;
}

void
cli_json_ablation (json_t             *root,
                   const AttnAblation *ablation)
{
  g_autofree char *list = ablation != NULL ? attn_ablation_to_list (ablation) : NULL;
  g_auto(GStrv) items = NULL;
  json_t *heads;

  if (list == NULL)
    return;
  heads = json_array ();
  items = g_strsplit (list, ",", -1);
  for (guint i = 0; items[i] != NULL; i++)
    json_array_append_new (heads, json_string (items[i]));
  json_object_set_new (root, "ablated", heads);
  json_object_set_new (root, "ablation", json_string (attn_ablation_kind_to_string (attn_ablation_get_kind (ablation))));
}

void
cli_json_result_ablation (json_t     *root,
                          AttnResult *result)
{
  g_autoptr(AttnAblation) ablation = attn_result_dup_ablation (result);

  cli_json_ablation (root, ablation);
}

/* Control characters and quotes escaped, C style; letters of any script
 * left as they are (g_strescape would escape every non-ASCII byte). */
char *
cli_escape_controls (const char *text)
{
  GString *out = g_string_new (NULL);

  for (const char *p = text; *p; p++)
    switch (*p)
      {
      case '\n': g_string_append (out, "\\n"); break;
      case '\t': g_string_append (out, "\\t"); break;
      case '\r': g_string_append (out, "\\r"); break;
      case '"':  g_string_append (out, "\\\""); break;
      case '\\': g_string_append (out, "\\\\"); break;
      default:
        if ((guchar) *p < 0x20 || *p == 0x7f)
          g_string_append_printf (out, "\\x%02x", (guchar) *p);
        else
          g_string_append_c (out, *p);
      }
  return g_string_free (out, FALSE);
}

int
cli_start (CliCommon    *common,
           int           argc,
           char        **argv,
           char        **text,
           AttnEngine  **engine,
           AttnResult  **result)
{
  if ((*text = cli_text_argument (argc, argv)) == NULL)
    return CLI_EXIT_USAGE;
  if ((*engine = cli_load_engine (common)) == NULL)
    return CLI_EXIT_FAILURE;
  if (!cli_check_ablation (*engine, common) || !cli_check_pair (*engine, common))
    return CLI_EXIT_USAGE;
  if (result != NULL && (*result = cli_run (*engine, common, *text, 0)) == NULL)
    return CLI_EXIT_FAILURE;
  return CLI_EXIT_OK;
}
