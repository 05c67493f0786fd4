/* attn-detectors.h
 *
 * Copyright 2026 The Attention authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The head detectors of a document's latest result, kept up to date off
 * the main thread: every new result (an edit, another model, heads switched
 * off) starts a computation in a worker thread, and a newer result cancels
 * an older computation.  The all-heads grid's overlay, the detector table
 * and the head description all read the one AttnHeadScores here.
 */
#pragma once

#include <gio/gio.h>

#include "attn-document.h"
#include "attn-head-scores.h"

G_BEGIN_DECLS

#define ATTN_TYPE_DETECTORS (attn_detectors_get_type ())
G_DECLARE_FINAL_TYPE (AttnDetectors, attn_detectors, ATTN, DETECTORS, GObject)

AttnDetectors  *attn_detectors_new        (AttnDocument  *document);
AttnDocument   *attn_detectors_get_document (AttnDetectors *self);
/* The scores of the document's current result, or NULL while they are
 * computed (or without a result); borrowed, valid until "notify::scores". */
AttnHeadScores *attn_detectors_get_scores (AttnDetectors *self);
gboolean        attn_detectors_get_busy   (AttnDetectors *self);
/* Why the last computation failed, or NULL. */
const char     *attn_detectors_get_error_message (AttnDetectors *self);
/* Iterates the thread-default main context until nothing is computing;
 * for tests. */
void            attn_detectors_wait       (AttnDetectors *self);

G_END_DECLS
