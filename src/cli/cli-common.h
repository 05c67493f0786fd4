/* cli-common.h
 *
 * Copyright 2026 The Attention authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * What every attention-cli command shares: option parsing with --model,
 * loading the engine, reading the text argument, reporting errors.
 */
#pragma once

#include <glib.h>
#include <jansson.h>

#include <stdbool.h>

#include "attn-ablation.h"
#include "attn-engine.h"
#include "attn-pair.h"

G_BEGIN_DECLS

typedef int (*CliCommand) (int argc, char **argv);

/* The exit status of every command (README, "attention-cli"): a usage error
 * is anything wrong with the command line itself, including an index out of
 * range; a runtime failure is everything after that (a model that will not
 * load, a text too long, a write that fails). */
enum
{
  CLI_EXIT_OK      = 0,
  CLI_EXIT_FAILURE = 1,
  CLI_EXIT_USAGE   = 2,
};

typedef struct
{
  char     *model_dir;   /* --model DIR or REPO_ID; NULL for the built-in model */
  gboolean  truncate;    /* --truncate: run on the tokens that fit, as the app does */
  char     *ablate;      /* --ablate L.H[,L.H…]: heads to switch off, or NULL */
  char     *ablation;    /* --ablation zero|mean */
  AttnAblation *ablated; /* parsed by cli_check_ablation (), or NULL */
  gboolean  predictions; /* the command reads predictions (else the pass skips them) */
  char     *pair;        /* --pair TEXT_B: sentence B for an encoder, or NULL */
} CliCommon;

typedef enum
{
  CLI_PARSE_DEFAULT    = 0,
  CLI_PARSE_RUNS_MODEL = 1 << 0,  /* offer --truncate */
  CLI_PARSE_NO_MODEL   = 1 << 1,  /* no --model: the command names its own */
  CLI_PARSE_ABLATES    = 1 << 2,  /* offer --ablate and --ablation */
  CLI_PARSE_PAIRS      = 1 << 3,  /* offer --pair TEXT_B (encoders) */
} CliParseFlags;

/* Parses @argv for command @name with @entries plus --model; on failure
 * prints the error and usage to stderr and returns FALSE. */
gboolean    cli_parse          (const char          *name,
                                const char          *parameter_string,
                                const char          *summary,
                                const GOptionEntry  *entries,
                                CliParseFlags        flags,
                                CliCommon           *common,
                                int                 *argc,
                                char              ***argv);

/* Loads the --model directory or cached repo id, or the built-in model;
 * NULL after printing why. */
AttnEngine *cli_load_engine    (const CliCommon     *common);

/* Runs @engine on @text for its first @n_layers layers (0: all), cutting
 * text past the context only with --truncate; NULL after printing why. */
AttnResult *cli_run            (AttnEngine          *engine,
                                const CliCommon     *common,
                                const char          *text,
                                guint                n_layers);
/* The same for a command that reads attention only: up to @layer (-1: all
 * layers), keeping only @layer's and computing no predictions. */
AttnResult *cli_run_attention  (AttnEngine          *engine,
                                const CliCommon     *common,
                                const char          *text,
                                int                  layer);

/* --merge-words: replaces *@result by its words (attn_result_merge_words);
 * FALSE after printing why. */
gboolean    cli_merge_words    (AttnResult         **result);

/* Parses --ablate and --ablation against @engine's model into @common:
 * FALSE after printing why (a usage error). */
gboolean    cli_check_ablation (AttnEngine          *engine,
                                CliCommon           *common);

/* What a command that runs the model does after parsing: reads TEXT,
 * loads the engine, checks --ablate, and (when @result is not NULL) runs
 * every layer.  CLI_EXIT_OK, or the status to exit with after printing why. */
int         cli_start          (CliCommon           *common,
                                int                  argc,
                                char               **argv,
                                char               **text,
                                AttnEngine         **engine,
                                AttnResult         **result);

/* --pair against @engine's model: FALSE after printing why a decoder reads
 * no sentence B (a usage error, exit status 2). */
gboolean    cli_check_pair     (AttnEngine          *engine,
                                const CliCommon     *common);

/* --links A->A|A->B|B->A|B->B|all (NULL: all) into @filter, the app's
 * Links filter; it needs --pair.  FALSE after printing a usage error. */
gboolean    cli_parse_links    (const char          *links,
                                const CliCommon     *common,
                                AttnPairFilter      *filter);

/* Adds "token_type_ids", "segments" ("A", "B" or "special" for each token)
 * and, for a pair, "text_b" to @root (README, "attention-cli"). */
void        cli_json_segments  (json_t              *root,
                                AttnResult          *result);

/* The --ablate heads, or NULL when none were given. */
const AttnAblation *cli_ablation (const CliCommon   *common);

/* Adds "ablated": ["L.H", …] and "ablation" (zero|mean) to @root when
 * @ablation (cli_ablation ()) is not NULL. */
void        cli_json_ablation  (json_t              *root,
                                const AttnAblation  *ablation);
/* The same for the heads @result's run switched off. */
void        cli_json_result_ablation (json_t        *root,
                                      AttnResult    *result);

/* Control characters, quotes and backslashes escaped C style; letters of
 * any script left as they are (g_strescape escapes every non-ASCII byte). */
char       *cli_escape_controls (const char         *text);

/* Reads --@option's value @arg as a token, layer or head index, a whole
 * number from 0 (options take them as strings: with an int option, a
 * sentinel for "not given" was itself a value one could type).  @arg NULL
 * (not given) stores @unset.  FALSE after saying why: a usage error. */
gboolean    cli_parse_index    (const char          *option,
                                const char          *arg,
                                int                  unset,
                                int                 *out);

/* The positional TEXT: the remaining arguments joined by spaces; "-" reads
 * standard input.  NULL after printing why. */
char       *cli_text_argument  (int                  argc,
                                char               **argv);

/* The usage error for --@option @index past the @n_tokens tokens of the
 * text (which may have none: "0 to -1" is no range). */
int         cli_token_out_of_range (const char      *option,
                                    int              index,
                                    guint            n_tokens);

/* --format text|json: FALSE after printing why for anything else; *json
 * says which (text when @format is NULL). */
gboolean    cli_text_or_json   (const char          *format,
                                gboolean            *json);

/* --layer and --head against @engine's model: FALSE after printing why when
 * one is past the last; -1 stands for "every one" and passes. */
gboolean    cli_check_layer_head (AttnEngine        *engine,
                                  int                layer,
                                  int                head);

/* @x as a JSON number, or null when it is not finite: JSON has neither NaN
 * nor infinity, and json_real() returns NULL for them, which dropped the
 * element or field without a word. */
json_t     *cli_json_number    (double               x);
/* Prints @root as a JSON document (jansson's json_dumps() @flags) and a
 * newline on standard output. */
void        cli_print_json     (const json_t        *root,
                                size_t               flags);

/* Print "attention-cli: MESSAGE" on stderr; cli_fail returns
 * CLI_EXIT_FAILURE, cli_usage CLI_EXIT_USAGE. */
int         cli_fail           (const char          *format,
                                ...) G_GNUC_PRINTF (1, 2);
int         cli_usage          (const char          *format,
                                ...) G_GNUC_PRINTF (1, 2);
int         cli_fail_error     (const GError        *error);

void        cli_common_clear   (CliCommon           *common);

G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (CliCommon, cli_common_clear)

int         cli_download       (int argc, char **argv);
int         cli_export         (int argc, char **argv);
int         cli_heads          (int argc, char **argv);
int         cli_info           (int argc, char **argv);
int         cli_models         (int argc, char **argv);
int         cli_predict        (int argc, char **argv);
int         cli_generate       (int argc, char **argv);
int         cli_rollout        (int argc, char **argv);
int         cli_tokens         (int argc, char **argv);
int         cli_weights        (int argc, char **argv);
int         cli_walkthrough    (int argc, char **argv);

G_END_DECLS
