/* attn-walkthrough-pages.h
 *
 * Copyright 2026 The Attention authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The walkthrough's nine step pages, from Input to Heads joined: for one
 * step of one query and key, its formula, what it does in words, and the
 * vectors, matrices and rows that show its numbers.  Each page reads only
 * the AttnSteps it is given, so the model and the sandbox share them.
 */
#pragma once

#include <gtk/gtk.h>

#include "attn-steps.h"

G_BEGIN_DECLS

/* "Dot product": the step's name, translated. */
const char *_attn_walkthrough_step_name         (int                step);
/* Why an encoder's walkthrough steps over the mask. */
const char *_attn_walkthrough_mask_skipped_text (void);
/* Fills the page of @step for @steps, whose tokens are @token_labels:
 * appends its formula and explanation (Pango markup) to the strings and
 * its widgets to @content. */
void        _attn_walkthrough_show_page         (int                step,
                                                 const AttnSteps   *steps,
                                                 const char *const *token_labels,
                                                 GtkBox            *content,
                                                 GString           *formula,
                                                 GString           *explanation);

G_END_DECLS
