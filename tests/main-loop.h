/* main-loop.h
 *
 * Copyright 2026 The Attention authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * How the UI tests let GTK work: iterate the main context for a while, so
 * layout and drawing catch up (spin), or until a condition holds
 * (wait_until), giving up after WAIT_SECONDS; a test that needs longer
 * defines WAIT_SECONDS before including this.
 */
#pragma once

#include <glib.h>

#ifndef WAIT_SECONDS
#define WAIT_SECONDS 20
#endif

typedef gboolean (*Condition) (gpointer data);

/* Iterates the main context for about @ms milliseconds. */
static inline void
spin (guint ms)
{
  gint64 end = g_get_monotonic_time () + ms * 1000;

  while (g_get_monotonic_time () < end)
    {
      g_main_context_iteration (NULL, FALSE);
      g_usleep (1000);
    }
}

/* Iterates the main context until @condition holds; FALSE on timeout. */
static inline gboolean
wait_until (Condition condition,
            gpointer  data)
{
  gint64 deadline = g_get_monotonic_time () + WAIT_SECONDS * G_USEC_PER_SEC;

  while (!condition (data))
    {
      if (g_get_monotonic_time () > deadline)
        return FALSE;
      g_main_context_iteration (NULL, FALSE);
      g_usleep (1000);
    }

  return TRUE;
}
