/* ae-threads.h
 *
 * Copyright 2026 The Attention authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * How many threads a forward pass uses.  The engine has one pool for the
 * whole pass, the OpenMP runtime's: oneDNN's GEMMs run on it, and so do the
 * attention heads (one head per thread).
 */
#pragma once

#ifdef __cplusplus
extern "C" {
#endif

/* ATTENTION_THREADS when it holds a positive integer, otherwise the OpenMP
 * runtime's default (OMP_NUM_THREADS when set, else the CPUs this process may
 * run on).  Read once, the first time it is asked. */
int  ae_threads       (void);

/* Gives the calling thread's OpenMP regions (and oneDNN's) ae_threads()
 * threads.  OpenMP keeps that count per calling thread, so the forward pass
 * calls it on whatever thread runs it (the app's worker, the CLI's main). */
void ae_threads_apply (void);

#ifdef __cplusplus
}
#endif
