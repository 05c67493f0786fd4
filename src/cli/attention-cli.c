/* attention-cli.c
 *
 * Copyright 2026 The Attention authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * attention-cli: the attention engine without a window.  Each command lives
 * in its own cli-<command>.c; this file only dispatches.
 */

#include "config.h"

#include <errno.h>
#include <locale.h>
#include <stdio.h>
#include <string.h>

#include <glib/gi18n.h>

#include "attn-memory.h"
#include "cli-common.h"

static const struct
{
  const char *name;
  CliCommand  run;
  const char *summary;
} commands[] = {
  { "info",    cli_info,    N_("Summarise a model: layers, heads, width, context, vocabulary, dtype") },
  { "tokens",  cli_tokens,  N_("Split TEXT into the model's tokens") },
  { "weights", cli_weights, N_("Attention weights of every layer and head as JSON, CSV or NPY") },
  { "heads",   cli_heads,   N_("What every head does on TEXT: statistics and a plain label") },
  { "predict", cli_predict, N_("The model's next-token predictions after a token of TEXT (and the logit lens)") },
  { "generate", cli_generate, N_("Continue TEXT: greedy or sampled, seeded") },
  { "rollout", cli_rollout, N_("Attention rollout over all layers as JSON, CSV or NPY") },
  { "export",  cli_export,  N_("Draw the heatmap, arcs or all heads as PNG, SVG or PDF") },
  { "download", cli_download, N_("Download a model from the Hugging Face Hub into its cache") },
  { "models",  cli_models,  N_("List the models in the Hugging Face cache and whether they open here") },
  { "walkthrough", cli_walkthrough, N_("Every step of one head's score for one query and key, or the cat/sat sandbox") },
};

static int
usage (FILE *out)
{
  fprintf (out, "%s\n\n", _("Usage: attention-cli COMMAND [OPTIONS] [TEXT]"));
  fprintf (out, "%s\n", _("Commands:"));
  for (guint i = 0; i < G_N_ELEMENTS (commands); i++)
    fprintf (out, "  %-12s %s\n", commands[i].name, _(commands[i].summary));
  fprintf (out, "\n%s\n", _("Run “attention-cli COMMAND --help” for a command's options."));
  return out == stdout ? CLI_EXIT_OK : CLI_EXIT_USAGE;
}

/* Everything a command prints goes through stdio, whose write errors only
 * stick in the stream: a full disk or a closed file showed nowhere, and the
 * command exited 0 with an empty or cut file.  Flushing and closing here
 * turns them into an error for every command at once. */
static int
finish (int status)
{
  if (fflush (stdout) != 0 || ferror (stdout))
    {
      int saved = errno;

      fprintf (stderr, "attention-cli: %s: %s\n", _("cannot write to standard output"),
               ferror (stdout) && saved == 0 ? _("write error") : g_strerror (saved));
      return status != CLI_EXIT_OK ? status : CLI_EXIT_FAILURE;
    }
  return status;
}

int
main (int   argc,
      char *argv[])
{
  attn_memory_setup ();
  setlocale (LC_ALL, "");
  bindtextdomain (GETTEXT_PACKAGE, LOCALEDIR);
  bind_textdomain_codeset (GETTEXT_PACKAGE, "UTF-8");
  textdomain (GETTEXT_PACKAGE);

  if (argc < 2)
    return usage (stderr);

  if (strcmp (argv[1], "--help") == 0 || strcmp (argv[1], "-h") == 0 || strcmp (argv[1], "help") == 0)
    return finish (usage (stdout));

  if (strcmp (argv[1], "--version") == 0)
    {
      printf ("attention-cli %s\n", PACKAGE_VERSION);
      return finish (CLI_EXIT_OK);
    }

  for (guint i = 0; i < G_N_ELEMENTS (commands); i++)
    if (strcmp (argv[1], commands[i].name) == 0)
      return finish (commands[i].run (argc - 1, argv + 1));

  fprintf (stderr, _("attention-cli: unknown command “%s”\n\n"), argv[1]);
  return usage (stderr);
}
