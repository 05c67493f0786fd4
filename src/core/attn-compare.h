/* attn-compare.h
 *
 * Copyright 2026 The Attention authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The second text of "compare with…" (issue 14): its own pass, through the
 * document's engine with the document's heads switched off, run off the
 * main thread like the document's; a newer text (or another model, or
 * other heads off) cancels an older pass.  The views align its tokens
 * with the document's (attn-compare-align.h).
 */
#pragma once

#include <gio/gio.h>

#include "attn-compare-align.h"
#include "attn-document.h"

G_BEGIN_DECLS

#define ATTN_TYPE_COMPARE (attn_compare_get_type ())
G_DECLARE_FINAL_TYPE (AttnCompare, attn_compare, ATTN, COMPARE, GObject)

AttnCompare  *attn_compare_new        (AttnDocument *document);
AttnDocument *attn_compare_get_document (AttnCompare *self);
/* The second text; "" or NULL: none. */
const char   *attn_compare_get_text   (AttnCompare  *self);
void          attn_compare_set_text   (AttnCompare  *self,
                                       const char   *text);
/* The second text's result, run by the document's current engine, or NULL
 * (no text, still running, failed); borrowed until "notify::result". */
AttnResult   *attn_compare_get_result (AttnCompare  *self);
gboolean      attn_compare_get_busy   (AttnCompare  *self);
const char   *attn_compare_get_error_message (AttnCompare *self);
/* The document's current result aligned with the second text's, or NULL
 * when either is missing; borrowed, made again when either changes. */
const AttnAlignment *attn_compare_get_alignment (AttnCompare *self);
/* Iterates the thread-default main context until no pass is running. */
void          attn_compare_wait       (AttnCompare  *self);

G_END_DECLS
