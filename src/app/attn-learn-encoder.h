/* attn-learn-encoder.h
 *
 * Copyright 2026 The Attention authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The worked example's other half: what a bidirectional model (BERT,
 * DistilBERT, RoBERTa) shows.  When the loaded model is one, it says so
 * (the example figure above then shows "it" reading the words after it);
 * when one is in the model cache, a button runs the same sentence on it
 * beside the loaded model, in a second example figure with a document of
 * its own; otherwise it says what to download and opens the download
 * dialog.
 */
#pragma once

#include <gtk/gtk.h>

#include "attn-document.h"

G_BEGIN_DECLS

#define ATTN_TYPE_LEARN_ENCODER (attn_learn_encoder_get_type ())
G_DECLARE_FINAL_TYPE (AttnLearnEncoder, attn_learn_encoder, ATTN, LEARN_ENCODER, GtkWidget)

GtkWidget    *attn_learn_encoder_new          (void);
void          attn_learn_encoder_set_document (AttnLearnEncoder *self,
                                               AttnDocument     *document);
/* Looks in the model cache again (a download may have added one). */
void          attn_learn_encoder_refresh      (AttnLearnEncoder *self);
/* The cached encoder offered for comparison ("ORG/NAME"), or NULL. */
const char   *attn_learn_encoder_get_offered  (AttnLearnEncoder *self);
/* The comparison's document (the encoder and the same text), or NULL
 * before the button was pressed. */
AttnDocument *attn_learn_encoder_get_compare  (AttnLearnEncoder *self);

/* Whether a model with this config architecture (or model_type) is an
 * encoder the engine runs both ways. */
gboolean      attn_learn_is_encoder_architecture (const char *architecture);

G_END_DECLS
