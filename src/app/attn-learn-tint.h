/* attn-learn-tint.h
 *
 * Copyright 2026 The Attention authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The Learn tour's highlighter: the sentence in large type, each token
 * tinted by the weight the query gives it in the selected head, the query
 * outlined and the tokens after it (which a causal model cannot see)
 * faded.  Clicking a token makes it the query.
 */
#pragma once

#include "attn-learn-figure.h"

G_BEGIN_DECLS

#define ATTN_TYPE_LEARN_TINT (attn_learn_tint_get_type ())
G_DECLARE_FINAL_TYPE (AttnLearnTint, attn_learn_tint, ATTN, LEARN_TINT, AttnLearnFigure)

GtkWidget *attn_learn_tint_new (void);

G_END_DECLS
