/* attn-result.h
 *
 * Copyright 2026 The Attention authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * What one run of the model on one text produced: the text, its tokens with
 * their byte spans and printable labels, and the trace of every head.  It is
 * immutable once made, so the worker thread that makes it and every view that
 * reads it can share it by reference.
 */
#pragma once

#include <gio/gio.h>

#include "ae-model.h"

G_BEGIN_DECLS

#define ATTN_TYPE_RESULT (attn_result_get_type ())

typedef struct _AttnResult AttnResult;
typedef struct _AttnEngine AttnEngine;   /* attn-engine.h includes this file */

GType          attn_result_get_type      (void) G_GNUC_CONST;

AttnResult    *attn_result_ref           (AttnResult       *self);
void           attn_result_unref         (AttnResult       *self);

const char    *attn_result_get_text      (const AttnResult *self);
const char    *attn_result_get_model_name(const AttnResult *self);
guint          attn_result_get_n_tokens  (const AttnResult *self);
guint          attn_result_get_n_layers  (const AttnResult *self);
guint          attn_result_get_n_heads   (const AttnResult *self);
/* Tokens that did not fit in the model's context and were left out.  When
 * the engine truncates it stops tokenizing once the context is full, so it
 * knows only that text was left over: then this is 1, and
 * attn_result_get_truncated() gives the text that was not read. */
guint          attn_result_get_n_dropped (const AttnResult *self);
/* TRUE when the text did not fit; *n_bytes_read is where the text the
 * tokens cover ends (the whole text when FALSE). */
gboolean       attn_result_get_truncated (const AttnResult *self,
                                          gsize            *n_bytes_read);
gint32         attn_result_get_token_id  (const AttnResult *self,
                                          guint             index);
/* All n_tokens ids, borrowed. */
const gint32  *attn_result_get_token_ids (const AttnResult *self);
/* The token's text as decoded UTF-8, e.g. " cat" (also for "Ġcat" and
 * "▁cat").  A token that is only part of a character (byte-level and
 * byte-fallback pieces such as <0xE6>) gives the whole character it is part
 * of, so the pieces of "日" all read "日"; attn_result_get_token_part() says
 * which bytes of it the token holds. */
const char    *attn_result_get_token_text(const AttnResult *self,
                                          guint             index);
/* TRUE when the token holds only bytes [*part_start, *part_end) of the
 * *n_bytes bytes of its text (see attn_result_get_token_text()). */
gboolean       attn_result_get_token_part(const AttnResult *self,
                                          guint             index,
                                          guint            *part_start,
                                          guint            *part_end,
                                          guint            *n_bytes);
/* Byte span of the token in the text; BOS has start == end == 0. */
void           attn_result_get_token_span(const AttnResult *self,
                                          guint             index,
                                          gsize            *start,
                                          gsize            *end);
const char *const *attn_result_get_token_texts (const AttnResult *self);

/* What the tokenizer says of a token's place in its word; attn-words.h
 * turns it into words, per tokenizer family. */
typedef enum
{
  ATTN_PIECE_PLAIN,         /* byte-level or SentencePiece BPE (or no tokenizer):
                             * the token's text and span tell (a leading space) */
  ATTN_PIECE_WORD_START,    /* WordPiece: a piece without "##", the first of
                             * a word of the pre-tokenizer */
  ATTN_PIECE_CONTINUATION,  /* WordPiece: "##ing", the rest of that word */
  ATTN_PIECE_SPECIAL,       /* [CLS], [SEP], [MASK], <s>, </s>, <mask>,
                             * <|endoftext|>: added or special tokens, typed in
                             * the text or added by the template */
} AttnPieceKind;

AttnPieceKind  attn_result_get_piece_kind (const AttnResult *self,
                                           guint             index);
/* FALSE when the text was only tokenized. */
gboolean       attn_result_has_trace     (const AttnResult *self);
/* TRUE when every token saw every other (an encoder: no causal mask). */
gboolean       attn_result_is_bidirectional (const AttnResult *self);
/* NULL when the text was only tokenized. */
const AeTrace *attn_result_get_trace     (const AttnResult *self);
/* The engine that made this result, whose weights alone fit its trace:
 * anything that recomputes from the trace (the walkthrough's steps) takes
 * the model from here, never from whatever engine is current now.  NULL
 * for results made outside an engine (tests' synthetic ones). */
AttnEngine    *attn_result_get_engine    (const AttnResult *self);
/* How many tokens the run computed: all of them, or those after the prefix
 * it copied from an earlier result (AttnRunOptions.reuse); 0 without a
 * trace. */
guint          attn_result_get_n_recomputed (const AttnResult *self);
/* Rows @r0 .. @r1 - 1 of one head's weights, T floats each, into
 * @weights (row i at weights + (i - r0)·T): computed from the trace's q and
 * k by the pass's own kernel, bit for bit its numbers, holding nothing once
 * done.  What goes over every head (whole-model exports, statistics) reads
 * heads this way, a block of rows at a time.  FALSE with @error
 * (ATTN_ENGINE_ERROR_INVALID) when out of range, when the layer was not
 * kept (AttnRunOptions.first_layer) or without a trace. */
gboolean       attn_result_get_head_rows (const AttnResult *self,
                                          guint             layer,
                                          guint             head,
                                          guint             r0,
                                          guint             r1,
                                          float            *weights,
                                          GError          **error);
/* One head's weights averaged (or, with @max_pool, max-pooled) to an
 * @n_rows × @n_cols grid in @out, computed by blocks of rows: thumbnails
 * of long texts.  Cell (a, b) covers queries a·T/n_rows ..
 * (a+1)·T/n_rows - 1 and keys likewise.  FALSE with @error as above. */
gboolean       attn_result_get_head_pooled (const AttnResult *self,
                                            guint             layer,
                                            guint             head,
                                            guint             n_rows,
                                            guint             n_cols,
                                            gboolean          max_pool,
                                            float            *out,
                                            GError          **error);
/* Whether attn_result_get_weights() of the head costs nothing: the
 * weights are in memory (a full trace, or a linear trace's head computed
 * before).  FALSE when out of range or without a trace. */
gboolean       attn_result_has_weights_ready (const AttnResult *self,
                                              guint             layer,
                                              guint             head);
/* (T, T) weights of one head, borrowed; NULL when out of range.  In a
 * linear trace the head is computed the first time and kept until the
 * result is freed (T² floats per head asked): for the one head a view
 * shows, not for going over every head (attn_result_get_head_rows()). */
const float   *attn_result_get_weights   (const AttnResult *self,
                                          guint             layer,
                                          guint             head);

/* ---- words instead of sub-word pieces (attn-result-words.c) ---- */

typedef struct _AttnWords AttnWords;   /* attn-words.h */

/* @self with its tokens merged into words (attn-words.h says where a word
 * starts, per tokenizer family): every view, export
 * and the CLI can show it in place of the token result.  Its "tokens" are
 * the words (text, byte span from the first piece to the last, the first
 * piece's id), and every head's weights are merged: a word's attention to
 * a key word is the sum over the key's pieces, averaged over the query's
 * (as BertViz and exBERT), so rows still sum to 1.  It keeps every head's
 * merged (W, W) weights (a full trace with no q, k, v: no scores, vectors
 * or predictions, and no engine: the walkthrough and predictions read the
 * token result, attn_result_get_pieces ()); attn_result_get_token_logprobs ()
 * gives each word's log-probability, the sum of its pieces'.  ATTN_ENGINE_ERROR_INVALID
 * without a trace, ATTN_ENGINE_ERROR_TOO_LONG when the merged heads would
 * take more than 128 MiB, ATTN_ENGINE_ERROR_CANCELLED.  (transfer full) */
AttnResult    *attn_result_merge_words   (AttnResult       *self,
                                          GCancellable     *cancellable,
                                          GError          **error);
/* A merged result's words (which tokens of attn_result_get_pieces () make
 * each), or NULL for a result of tokens; borrowed. */
const AttnWords *attn_result_get_words   (const AttnResult *self);
/* The token result a merged result was made from, or NULL; borrowed. */
AttnResult    *attn_result_get_pieces    (const AttnResult *self);
/* For a merged result: the word holding token @index of its pieces; for a
 * result of tokens: @index.  -1 stays -1. */
int            attn_result_index_of_token (const AttnResult *self,
                                          int               index);
/* The other way: the token of the pieces that stands for word @index, the
 * last piece for a query (it has read the whole word; the next-token
 * prediction is made there) or the first piece for a key; @index itself
 * for a result of tokens.  -1 stays -1. */
int            attn_result_token_of_index (const AttnResult *self,
                                          int               index,
                                          gboolean          as_query);

/* Takes ownership of @tokens' arrays and of @trace, which is NULL for a
 * result that only tokenized the text. */
AttnResult    *_attn_result_new          (const char       *text,
                                          const char       *model_name,
                                          const AeTokenizer *tokenizer,
                                          AeTokens         *tokens,
                                          guint             n_dropped,
                                          AeTrace          *trace);

/* The same for a sentence pair (attn-pair.h): @text_b is sentence B, or
 * NULL for one sentence; B's tokens' spans are offsets in @text_b. */
AttnResult    *_attn_result_new_pair     (const char       *text,
                                          const char       *text_b,
                                          const char       *model_name,
                                          const AeTokenizer *tokenizer,
                                          AeTokens         *tokens,
                                          guint             n_dropped,
                                          AeTrace          *trace);
/* TRUE for a WordPiece piece that continues a word ("##ing"): its text
 * is "ing", the same as the word "ing"'s. */
gboolean       _attn_token_is_continuation (const AeTokenizer *tokenizer,
                                            gint32             id);
/* For the core's files: the tokens as the engine made them (type ids,
 * segments, template tokens), and text B or NULL. */
const AeTokens *_attn_result_get_tokens  (const AttnResult *self);
const char    *_attn_result_get_text_b   (const AttnResult *self);
/* A merged result of @pieces: takes @words and @trace (W tokens). */
AttnResult    *_attn_result_new_words    (AttnResult       *pieces,
                                          AttnWords        *words,
                                          AeTrace          *trace);

/* Ties @self to @engine (a reference is kept). */
void           _attn_result_set_engine   (AttnResult       *self,
                                          AttnEngine       *engine);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (AttnResult, attn_result_unref)

G_END_DECLS
