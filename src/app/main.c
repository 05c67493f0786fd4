/* main.c
 *
 * Copyright 2026 The Attention authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "attention"

#include "config.h"

#include <glib/gi18n.h>
#include <locale.h>

#include "attn-application.h"
#include "attn-memory.h"

int
main (int   argc,
      char *argv[])
{
  g_autoptr(AttnApplication) app = NULL;

  attn_memory_setup ();
  setlocale (LC_ALL, "");
  /* $ATTENTION_LOCALEDIR: a build tree's translations (its po/), so
   * tools/screenshots.sh can show a language before it is installed. */
  bindtextdomain (GETTEXT_PACKAGE, g_getenv ("ATTENTION_LOCALEDIR") ? g_getenv ("ATTENTION_LOCALEDIR") : LOCALEDIR);
  bind_textdomain_codeset (GETTEXT_PACKAGE, "UTF-8");
  textdomain (GETTEXT_PACKAGE);

  g_set_application_name (_("Attention"));

  app = attn_application_new ();

  return g_application_run (G_APPLICATION (app), argc, argv);
}
