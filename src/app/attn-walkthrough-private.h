/* attn-walkthrough-private.h
 *
 * Copyright 2026 The Attention authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The walkthrough's innards, shared by attn-walkthrough.c (the widget,
 * following the document) and attn-walkthrough-sandbox.c (the sandbox's
 * controls).
 */
#pragma once

#include "attn-walkthrough.h"

G_BEGIN_DECLS

struct _AttnWalkthrough
{
  GtkWidget       parent_instance;

  AttnDocument   *document;
  GSignalGroup   *document_signals;
  AttnResult     *result;          /* the result the model controls show; owned */
  AttnSteps      *steps;           /* what is on show; NULL when nothing is */
  GCancellable   *steps_cancellable; /* while the document computes the next steps */
  char           *message;         /* why nothing is on show */
  char          **token_labels;    /* (T + 1,) NULL-terminated; labels of steps' tokens */
  int             step;
  float           embeddings[ATTN_SANDBOX_N_TOKENS][ATTN_SANDBOX_DIM];
  GtkScale       *sliders[ATTN_SANDBOX_N_TOKENS][ATTN_SANDBOX_DIM];
  guint           updating : 1;    /* controls are being set from the document */

  /* template children */
  GtkWidget      *box;
  GtkStack       *mode_stack;
  GtkAdjustment  *layer_adjustment;
  GtkAdjustment  *head_adjustment;
  GtkDropDown    *query_drop;
  GtkWidget      *pieces_note;   /* shown while the views merge word pieces */
  GtkDropDown    *key_drop;
  GtkStringList  *query_tokens;
  GtkStringList  *key_tokens;
  GtkGrid        *slider_grid;
  GtkToggleButton *key_sat_button;
  GtkBox         *stepper;
  GtkStack       *scroller_stack;
  GtkScrolledWindow *model_scroller;
  GtkScrolledWindow *sandbox_scroller;
  GtkSwitch         *causal_switch;
  GtkToggleButton   *sat_first_button;
  GtkLabel          *sandbox_order_label;
  GtkWidget      *step_page;
  GtkLabel       *step_title;
  GtkLabel       *step_formula;
  GtkLabel       *step_explanation;
  GtkBox         *step_content;
  GtkLabel       *step_counter;
  GtkWidget      *back_button;
  GtkWidget      *next_button;
};

/* attn-walkthrough.c: computes the steps anew and shows them. */
void       _attn_walkthrough_recompute      (AttnWalkthrough  *self);

/* attn-walkthrough-sandbox.c */
/* Builds the embedding sliders, for init. */
void       _attn_walkthrough_build_sandbox  (AttnWalkthrough  *self);
/* The walkthrough.reset-sandbox action: the sliders back to the seed's
 * embeddings. */
void       _attn_walkthrough_reset_sandbox  (AttnWalkthrough  *self,
                                             const char       *action_name,
                                             GVariant         *parameter);
AttnSteps *_attn_walkthrough_run_sandbox    (AttnWalkthrough  *self,
                                             const char      **names,
                                             GError          **error);

G_END_DECLS
