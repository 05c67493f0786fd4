/* attn-memory.c
 *
 * Copyright 2026 The Attention authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Why this exists (issue 13): a pass over 1,000 tokens of GPT-2 small
 * allocates and frees buffers of many megabytes in worker threads.  glibc
 * serves a block above its mmap threshold with mmap () and unmaps it when
 * freed, but it raises that threshold to the size of every mmapped block
 * freed (up to 32 MB), so after the first pass the same buffers come from
 * the threads' arenas, and an arena's freed memory stays with the process.
 * In the app RSS grew with every edit (2.18 -> 3.46 GB over five edits
 * before the rollout fix; malloc_trim (0) brought it back to 2.15 GB).
 * Setting the threshold fixes it (no dynamic growth), and a bounded
 * number of arenas keeps a freed pool from being stranded in an arena no
 * thread uses any more.
 */

#include "config.h"

#include "attn-memory.h"

#ifdef __GLIBC__
#include <malloc.h>
#endif

void
attn_memory_setup (void)
{
#ifdef __GLIBC__
  /* glibc's initial threshold, kept: blocks of 128 KB and up are mapped
   * and go back to the system when freed, from any thread. */
  mallopt (M_MMAP_THRESHOLD, 128 * 1024);
  mallopt (M_TRIM_THRESHOLD, 1024 * 1024);
  mallopt (M_ARENA_MAX, 4);
#endif
}

