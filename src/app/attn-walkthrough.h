/* attn-walkthrough.h
 *
 * Copyright 2026 The Attention authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The walkthrough pane: every step of one head's attention score for the
 * document's selected query and key (Model), or for the seed's two-token
 * example with editable embeddings (Sandbox).  Its numbers come from
 * ae-steps and ae-sandbox, which the tests hold against the trace.
 */
#pragma once

#include <gtk/gtk.h>

#include "attn-document.h"
#include "attn-sandbox.h"
#include "attn-steps.h"

G_BEGIN_DECLS

#define ATTN_TYPE_WALKTHROUGH (attn_walkthrough_get_type ())
G_DECLARE_FINAL_TYPE (AttnWalkthrough, attn_walkthrough, ATTN, WALKTHROUGH, GtkWidget)

GtkWidget     *attn_walkthrough_new          (void);
AttnDocument  *attn_walkthrough_get_document (AttnWalkthrough *self);
void           attn_walkthrough_set_document (AttnWalkthrough *self,
                                              AttnDocument    *document);
/* The step shown, 0 (Input) to ATTN_STEP_COUNT - 1 (Heads joined). */
int            attn_walkthrough_get_step     (AttnWalkthrough *self);
void           attn_walkthrough_set_step     (AttnWalkthrough *self,
                                              int              step);
gboolean       attn_walkthrough_get_sandbox  (AttnWalkthrough *self);
void           attn_walkthrough_set_sandbox  (AttnWalkthrough *self,
                                              gboolean         sandbox);

/* For tests and screenshots: the numbers on show (NULL when there is no
 * pair to show), one sandbox slider, and the Next/Back buttons. */
const AttnSteps *_attn_walkthrough_get_steps    (AttnWalkthrough *self);
/* TRUE while the document computes the steps for the current pair. */
gboolean       _attn_walkthrough_is_computing   (AttnWalkthrough *self);
/* TRUE while the pane says it follows tokens though the views show words. */
gboolean       _attn_walkthrough_says_pieces    (AttnWalkthrough *self);
void           _attn_walkthrough_set_embedding  (AttnWalkthrough *self,
                                                 gboolean         cat,
                                                 guint            dim,
                                                 double           value);
GtkWidget     *_attn_walkthrough_get_button     (AttnWalkthrough *self,
                                                 gboolean         next);
/* The sandbox's order and mask, from its causal-mask switch and "“sat”
 * first" button. */
AttnSandboxLayout _attn_walkthrough_get_sandbox_layout (AttnWalkthrough *self);
/* Flips the causal-mask switch and the "“sat” first" button, for tests. */
void           _attn_walkthrough_set_causal     (AttnWalkthrough *self,
                                                 gboolean         causal,
                                                 gboolean         sat_first);

G_END_DECLS
