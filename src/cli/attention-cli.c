/* attention-cli.c
 *
 * Copyright 2026 The Attention authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * attention-cli: the attention engine without a window.  Each command lives
 * in its own cli-<command>.c; this file only dispatches.
 */

#include "config.h"

#include <locale.h>
#include <stdio.h>
#include <string.h>

#include <glib/gi18n.h>

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
  { "export",  cli_export,  N_("Draw the heatmap, arcs or all heads as PNG, SVG or PDF") },
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
  return out == stdout ? 0 : 2;
}

int
main (int   argc,
      char *argv[])
{
  setlocale (LC_ALL, "");
  bindtextdomain (GETTEXT_PACKAGE, LOCALEDIR);
  bind_textdomain_codeset (GETTEXT_PACKAGE, "UTF-8");
  textdomain (GETTEXT_PACKAGE);

  if (argc < 2)
    return usage (stderr);

  if (strcmp (argv[1], "--help") == 0 || strcmp (argv[1], "-h") == 0 || strcmp (argv[1], "help") == 0)
    return usage (stdout);

  if (strcmp (argv[1], "--version") == 0)
    {
      printf ("attention-cli %s\n", PACKAGE_VERSION);
      return 0;
    }

  for (guint i = 0; i < G_N_ELEMENTS (commands); i++)
    if (strcmp (argv[1], commands[i].name) == 0)
      return commands[i].run (argc - 1, argv + 1);

  fprintf (stderr, _("attention-cli: unknown command “%s”\n\n"), argv[1]);
  return usage (stderr);
}
