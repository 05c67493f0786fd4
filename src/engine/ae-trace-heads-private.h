/* ae-trace-heads-private.h
 *
 * Copyright 2026 The Attention authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * What ae-trace.c needs of ae-trace-heads.c: the per-trace store of heads
 * computed on demand.
 */
#pragma once

#include "ae-trace.h"

AeTraceHeads *ae_trace_heads_new  (void);
void          ae_trace_heads_free (AeTraceHeads *heads);

/* The head's scores (or weights) in a linear trace, computed the first
 * time and kept until the trace is freed; NULL when out of range or out of
 * memory. */
const float  *ae_trace_heads_kept (const AeTrace *trace,
                                   size_t         layer,
                                   size_t         head,
                                   bool           scores);
