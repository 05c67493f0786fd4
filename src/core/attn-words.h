/* attn-words.h
 *
 * Copyright 2026 The Attention authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Words instead of sub-word pieces ("·t ired" → "tired").  The one place
 * that says what a word is, per tokenizer family
 * (attn_result_get_piece_kind ()):
 *
 *   - Special tokens ([CLS], [SEP], [MASK], <s>, </s>, <mask>,
 *     <|endoftext|>, typed in the text or added by the template) are words
 *     of their own, and the token after one starts a word: "[MASK]." is two
 *     words, "·the<mask>." three.
 *   - WordPiece (BERT, DistilBERT): a word is a word of the pre-tokenizer,
 *     which splits at white space and around every punctuation mark: its
 *     first piece has no "##", the rest do ("play" "##ing").  So "didn't"
 *     is the three words "didn" "'" "t", as BERT read it.
 *   - Byte-level BPE (GPT-2, RoBERTa, Llama 3) and SentencePiece BPE: the
 *     pre-tokenizer words are too small to be a reader's ("·mat" "."), so a
 *     word starts at a token whose text starts with white space (a token of
 *     spaces only starts the word after it), after other white space
 *     ("\n"), and after a gap in the text; every other token continues the
 *     word before it (" mat.", " didn't").
 *
 * A word's attention to a key word is the sum of the
 * weights over the key's pieces, averaged over the query's pieces (as
 * BertViz and exBERT merge them), so each merged row still sums to 1.
 * Pure functions; no GTK, no cairo.
 */
#pragma once

#include "attn-result.h"

G_BEGIN_DECLS

struct _AttnWords
{
  guint   n_words;
  guint   n_tokens;
  guint  *first;   /* (n_words + 1,) first token of each word; first[n_words] = n_tokens */
  char  **texts;   /* (n_words + 1,) NULL-terminated: the pieces' texts joined */
};

/* TRUE when token @index continues the word of the token before it (the
 * token strip draws such pieces close to it). */
gboolean   attn_words_token_continues (AttnResult *result,
                                       guint       index);

/* The words of @result's tokens.  (transfer full) */
AttnWords *attn_words_new   (AttnResult      *result);
void       attn_words_free  (AttnWords       *words);

/* @out (n_words × n_words, row-major) from @weights (n_tokens × n_tokens):
 * out[a][b] = (1 / |a|) Σ_{i ∈ a} Σ_{j ∈ b} weights[i][j]. */
void       attn_words_merge (const AttnWords *words,
                             const float     *weights,
                             float           *out);
/* The same for query words @a0 .. @a1 - 1 only, from their pieces' rows
 * (@rows holds token rows first[a0] .. first[a1] - 1, @ld floats apart):
 * @out gets (a1 - a0) × n_words.  For merging a head block by block. */
void       attn_words_merge_rows (const AttnWords *words,
                                  const float     *rows,
                                  gsize            ld,
                                  guint            a0,
                                  guint            a1,
                                  float           *out);

/* The word that token @token belongs to (clamped to the last token). */
guint      attn_words_find  (const AttnWords *words,
                             guint            token);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (AttnWords, attn_words_free)

G_END_DECLS
