/* ae-threads.c
 *
 * Copyright 2026 The Attention authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include <omp.h>
#include <pthread.h>
#include <stdlib.h>

#include "ae-threads.h"

static pthread_once_t threads_once = PTHREAD_ONCE_INIT;
static int n_threads = 1;

static void
threads_init (void)
{
  const char *env = getenv ("ATTENTION_THREADS");
  char *end;
  long n;

  n_threads = omp_get_max_threads ();
  if (env != NULL && *env != '\0')
    {
      n = strtol (env, &end, 10);
      /* Anything else (0, negative, "two") keeps the default. */
      if (*end == '\0' && n > 0 && n <= 1024)
        n_threads = (int) n;
    }
  if (n_threads < 1)
    n_threads = 1;
}

int
ae_threads (void)
{
  pthread_once (&threads_once, threads_init);
  return n_threads;
}

void
ae_threads_apply (void)
{
  int n = ae_threads ();

  if (omp_get_max_threads () != n)
    omp_set_num_threads (n);
}
