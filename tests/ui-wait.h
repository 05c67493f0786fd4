/* ui-wait.h
 *
 * Copyright 2026 The Attention authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Waiting in UI tests: iterate the main context until a condition holds
 * (a run finished, a widget mapped) or a deadline passes.
 */
#pragma once

#include <glib.h>

typedef gboolean (*UiCondition) (gpointer data);

/* Iterates the main context until @condition holds; FALSE after
 * @seconds. */
static inline gboolean
ui_wait_until (UiCondition condition,
               gpointer    data,
               guint       seconds)
{
  gint64 deadline = g_get_monotonic_time () + seconds * G_USEC_PER_SEC;

  while (!condition (data))
    {
      if (g_get_monotonic_time () > deadline)
        return FALSE;
      g_main_context_iteration (NULL, FALSE);
      g_usleep (1000);
    }
  return TRUE;
}

/* Iterates the main context for about @ms milliseconds (layout, drawing). */
static inline void
ui_spin (guint ms)
{
  gint64 end = g_get_monotonic_time () + ms * 1000;

  while (g_get_monotonic_time () < end)
    {
      g_main_context_iteration (NULL, FALSE);
      g_usleep (1000);
    }
}
