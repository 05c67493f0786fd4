/* attn-document-private.h
 *
 * Copyright 2026 The Attention authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The document's innards, shared by attn-document.c (the state a person
 * changes and its properties), attn-document-pass.c (the forward pass)
 * and attn-document-words.c (merged word pieces).
 */
#pragma once

#include "attn-document.h"
#include "attn-pair.h"

G_BEGIN_DECLS

struct _AttnDocument
{
  GObject       parent_instance;

  AttnEngine   *engine;         /* owned; NULL until a model is set */
  char         *text;           /* owned */
  char         *text_b;         /* owned; sentence B of a pair (attn-pair.h), or NULL */
  AttnPairFilter pair_filter;   /* the Links filter the text's tint follows (attn-pair.h) */
  AttnResult   *result;         /* owned; NULL until the first run */
  /* "Merge word pieces" (issue 16): @result's words, made with it in the
   * pass's thread, or on the side when the toggle comes on later
   * (@merging); NULL while off, not made yet, or too long (@merge_error). */
  gboolean      merge_words;
  AttnResult   *merged;         /* owned */
  char         *merge_error;    /* owned */
  GCancellable *merge_cancellable; /* owned while a merge runs on the side */
  char         *error_message;  /* owned; NULL after a successful run */
  GCancellable *cancellable;    /* owned while a pass is in flight */
  guint64       generation;     /* bumped by every request; stale runs compare unequal */
  /* One pass in flight at a time, and one "latest text" slot: a request
   * made while a pass runs cancels that pass and sets @pending; when the
   * cancelled pass has reported back, one new pass starts for whatever the
   * text and engine are by then.  Six quick edits of a long text used to
   * run six passes at once, each with its own trace (4.1 GB at T = 1,000). */
  gboolean      pending;
  guint         n_in_flight;    /* passes started whose answer has not come back */
  guint         n_started;      /* passes started since the document was made */

  guint         layer;          /* the selection the views show */
  guint         head;
  /* A head chosen whose weights a worker is computing (attn-document-head.c):
   * the selection moves there when they are in memory. */
  gboolean      head_loading;
  guint         want_layer;
  guint         want_head;
  guint64       head_request;   /* bumped by every choice; stale loads compare unequal */
  guint         head_load_idle; /* source starting the load, or 0 */
  int           query;
  int           key;

  /* Heads switched off for every pass (issue 14), or heads == NULL. */
  AeAblation    ablation;
  bool         *ablated;        /* owned: ablation.heads */
};

enum {
  PROP_0,
  PROP_ENGINE,
  PROP_TEXT,
  PROP_RESULT,
  PROP_BUSY,
  PROP_ERROR_MESSAGE,
  PROP_LAYER,
  PROP_HEAD,
  PROP_QUERY,
  PROP_KEY,
  PROP_PASSES_IN_FLIGHT,
  PROP_PASSES_STARTED,
  PROP_TEXT_B,
  PROP_MERGE_WORDS,
  PROP_VIEW_RESULT,
  PROP_PAIR_FILTER,
  N_PROPS
};

enum {
  FORWARD_FINISHED,
  FORWARD_FAILED,
  ABLATION_CHANGED,
  N_SIGNALS
};

/* attn-document.c */
void     _attn_document_notify         (AttnDocument *self,
                                        guint         prop_id);
/* Emits signal @signal_id (FORWARD_FINISHED, …) with its arguments. */
void     _attn_document_emit           (AttnDocument *self,
                                        guint         signal_id,
                                        ...);
/* @index of a token, within @n tokens; -1 for none. */
int      _attn_document_clamp_index    (int           index,
                                        guint         n);

/* attn-document-pass.c */
/* A new request (text, engine, ablation): cancels a pass for an older
 * one and runs the pass for this one, now or when that one has let go. */
void     _attn_document_recompute      (AttnDocument *self);

/* attn-document-head.c */
/* Selects (@layer, @head), clamped to the result: at once, or once a
 * worker has computed a big head's weights. */
void     _attn_document_choose_head    (AttnDocument *self,
                                        guint         layer,
                                        guint         head);
/* The layer and head chosen last, whether selected yet or still loading. */
void     _attn_document_chosen_head    (AttnDocument *self,
                                        guint        *layer,
                                        guint        *head);
/* After a new result (or none): the selection clamped to its heads at
 * once, and a choice still loading made again on it. */
void     _attn_document_clamp_head     (AttnDocument *self);
/* Heads of at least @cells cells (T²) load in a worker; 0: the default
 * (1,024²).  For tests. */
void     _attn_document_set_async_head_cells (guint64 cells);

/* attn-document-words.c */
/* Takes @merged and @merge_error as the words of the result. */
void     _attn_document_set_merged     (AttnDocument *self,
                                        AttnResult   *merged,
                                        char         *merge_error);
void     _attn_document_cancel_merge   (AttnDocument *self);
/* Merges the result's word pieces on the side. */
void     _attn_document_start_merge    (AttnDocument *self);

G_END_DECLS
