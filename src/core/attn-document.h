/* attn-document.h
 *
 * Copyright 2026 The Attention authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The one object every view reads: the model, the text, the latest result
 * and the selection (layer, head, query token, key token).  Setting the text
 * or the engine recomputes off the main thread; a newer request always wins
 * over an older run, whose result is dropped.
 */
#pragma once

#include <gio/gio.h>

#include "attn-engine.h"
#include "attn-result.h"
#include "attn-steps.h"

G_BEGIN_DECLS

#define ATTN_TYPE_DOCUMENT (attn_document_get_type ())
G_DECLARE_FINAL_TYPE (AttnDocument, attn_document, ATTN, DOCUMENT, GObject)

AttnDocument *attn_document_new              (void);

AttnEngine   *attn_document_get_engine       (AttnDocument *self);
void          attn_document_set_engine       (AttnDocument *self,
                                              AttnEngine   *engine);
const char   *attn_document_get_text         (AttnDocument *self);
void          attn_document_set_text         (AttnDocument *self,
                                              const char   *text);
/* Sentence B of a sentence pair (attn-pair.h), "text-b": NULL or "" is one
 * sentence.  Sent with every pass while the engine reads pairs (an
 * encoder: attn_engine_accepts_pairs ()), kept unsent while it does not;
 * setting it recomputes only when the engine reads it. */
const char   *attn_document_get_text_b       (AttnDocument *self);
void          attn_document_set_text_b       (AttnDocument *self,
                                              const char   *text_b);
/* The latest result, or NULL before the first run finishes; borrowed and
 * valid until the next "forward-finished". */
AttnResult   *attn_document_get_result       (AttnDocument *self);
gboolean      attn_document_get_busy         (AttnDocument *self);
/* The last run's failure message, or NULL when it succeeded. */
const char   *attn_document_get_error_message (AttnDocument *self);

/* The selection the views show.  Choosing a layer or head of a long text
 * (T ≥ 1,024) whose weights are not computed yet computes them in a worker
 * and selects it (notify::layer, notify::head) when they are there; the
 * getters return the head shown until then.  The latest choice wins. */
guint         attn_document_get_layer        (AttnDocument *self);
void          attn_document_set_layer        (AttnDocument *self,
                                              guint         layer);
guint         attn_document_get_head         (AttnDocument *self);
void          attn_document_set_head         (AttnDocument *self,
                                              guint         head);
/* -1 when no query (key) token is selected. */
int           attn_document_get_query        (AttnDocument *self);
void          attn_document_set_query        (AttnDocument *self,
                                              int           query);
int           attn_document_get_key          (AttnDocument *self);
void          attn_document_set_key          (AttnDocument *self,
                                              int           key);

/* Switches heads off (a copy of @ablation is kept; NULL or no heads: the
 * intact model; the document's own, from attn_document_get_ablation (),
 * may be passed back) for this and every later pass, and recomputes.  The
 * result's attn_result_get_ablation () says what its pass used. */
void          attn_document_set_ablation     (AttnDocument     *self,
                                              const AeAblation *ablation);
/* The heads switched off, or NULL; borrowed. */
const AeAblation *attn_document_get_ablation (AttnDocument     *self);

/* The walkthrough's steps for @head of @layer at (@query, @key) on the
 * current result, computed in a worker thread (their scratch is 2·T²).
 * ATTN_ENGINE_ERROR_INVALID when there is no result yet or an index is out
 * of range. */
void          attn_document_compute_steps_async  (AttnDocument        *self,
                                                  guint                layer,
                                                  guint                head,
                                                  guint                query,
                                                  guint                key,
                                                  GCancellable        *cancellable,
                                                  GAsyncReadyCallback  callback,
                                                  gpointer             user_data);
AttnSteps    *attn_document_compute_steps_finish (AttnDocument        *self,
                                                  GAsyncResult        *result,
                                                  GError             **error);

/* ---- Merge word pieces (issue 16) ----
 *
 * With merge-words on, the document also makes its result's words
 * (attn_result_merge_words ()) and hands them to views as the view result;
 * the result, the selection (query, key) and everything per token (the
 * walkthrough, predictions) stay the model's tokens.  Views read the view
 * result and the selection through it: attn_document_get_view_query ()
 * gives the word holding the query token, and setting a word selects its
 * last piece as query (it has read the whole word) or its first as key.
 * Without words (off, not merged yet, too long) the view result is the
 * result and these are the plain selection. */
gboolean      attn_document_get_merge_words  (AttnDocument *self);
void          attn_document_set_merge_words  (AttnDocument *self,
                                              gboolean      merge_words);
/* The words while merge-words is on and they are made, else the result;
 * borrowed, valid until the next notify::view-result. */
AttnResult   *attn_document_get_view_result  (AttnDocument *self);
/* Why there are no words for the current result ("too long to merge word
 * pieces: …"), or NULL. */
const char   *attn_document_get_merge_error  (AttnDocument *self);
int           attn_document_get_view_query   (AttnDocument *self);
void          attn_document_set_view_query   (AttnDocument *self,
                                              int           query);
int           attn_document_get_view_key     (AttnDocument *self);
void          attn_document_set_view_key     (AttnDocument *self,
                                              int           key);

/* Waits (iterating the thread-default main context) until no run is in
 * flight and the chosen head is selected; for tests and the CLI. */
void          attn_document_wait             (AttnDocument *self);

G_END_DECLS
