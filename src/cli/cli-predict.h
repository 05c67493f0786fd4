/* cli-predict.h — what attention-cli predict's two halves share
 *
 * Copyright 2026 The Attention authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib.h>
#include <jansson.h>

#include "attn-engine.h"

G_BEGIN_DECLS

/* [{"id", "token", "probability", "logit"}, …] of predictions
 * @first .. @first + @n - 1 (AttnPrediction). */
json_t *cli_predictions_json  (const GArray *predictions,
                               guint         first,
                               guint         n);
/* The same as lines of text. */
void    cli_print_predictions (const GArray *predictions,
                               guint         first,
                               guint         n);

/* predict on an encoder: the top @top words at every mask token of
 * @result, or at @position (>= 0) only.  The exit status. */
int     cli_predict_masked    (AttnEngine   *engine,
                               AttnResult   *result,
                               int           position,
                               guint         top,
                               gboolean      json);

G_END_DECLS
