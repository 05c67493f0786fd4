/* ae-tokenizer-private.h
 *
 * Copyright 2026 The Attention authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The parts behind ae-tokenizer.h, shared by the files that make one
 * tokenizer: the vocabulary (ae-vocab.c), the merge table and merge core
 * (ae-bpe.c), the byte-level mapping (ae-byte-level.c), normalizers
 * (ae-normalize.c), pre-tokenizers (ae-pretokenize.c), added tokens
 * (ae-added-tokens.c), and the loaders: GPT-2's vocab.json + merges.txt
 * (ae-tokenizer-gpt2.c) and Hugging Face's tokenizer.json
 * (ae-tokenizer-json.c), and BERT's WordPiece from vocab.txt
 * (ae-tokenizer-wordpiece.c).  ae-tokenizer-encode.c runs the pipeline:
 *
 *   added tokens split out -> normalizers -> pre-tokenizers -> BPE -> template
 *
 * Text moves through it as AeNormStr: bytes plus, for every byte, the span of
 * the input it came from, so every token keeps its byte offsets however the
 * normalizers rewrote the text.
 */
#pragma once

#define PCRE2_CODE_UNIT_WIDTH 8

#include <stdatomic.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <jansson.h>
#include <pcre2.h>

#include "ae-tokenizer.h"

/* ------------------------------------------------------------------------ */
/* Vocabulary: token string <-> id                                           */

typedef struct
{
  size_t    n_ids;      /* one more than the largest id */
  char    **strings;    /* (n_ids,) as written in the vocabulary; NULL in gaps */
  size_t   *lengths;    /* (n_ids,) */
  char    **bytes;      /* (n_ids,) what the token stands for in text (decoded) */
  size_t   *n_bytes;    /* (n_ids,) */
  int32_t  *slots;      /* open addressing: id or -1, (mask + 1,) */
  size_t    mask;
  size_t    n_strings;
  char     *arena;      /* every string, NUL-terminated: one allocation, not one per token */
  size_t    arena_used;
  size_t    arena_cap;
  char     *decoded;    /* every token's bytes, same size (decoding never lengthens) */
  size_t    decoded_used;
} AeVocab;

/* @text_bytes: the strings' lengths plus one each, all that will be added. */
AeStatus ae_vocab_init     (AeVocab     *vocab,
                            size_t       n_ids,
                            size_t       text_bytes,
                            AeError     *error);
/* Adds @string (@len bytes) as @id.  Fails when the id or the string is
 * already taken; *clash is then the id that holds it (or -1 for a bad id). */
AeStatus ae_vocab_add      (AeVocab     *vocab,
                            const char  *string,
                            size_t       len,
                            int32_t      id,
                            int32_t     *clash);
int32_t  ae_vocab_lookup   (const AeVocab *vocab,
                            const char    *string,
                            size_t         len);
void     ae_vocab_clear    (AeVocab     *vocab);

/* ------------------------------------------------------------------------ */
/* BPE merges keyed by id pairs, and the merge core                           */

typedef struct
{
  uint64_t *keys;     /* (left << 32) | right, or AE_MERGE_EMPTY */
  uint32_t *ranks;
  int32_t  *merged;
  size_t    mask;
  size_t    n;
} AeMerges;

AeStatus ae_merges_init    (AeMerges    *merges,
                            size_t       capacity,
                            AeError     *error);
/* A pair listed twice keeps its later rank, as a Python dict built from the
 * list does. */
void     ae_merges_add     (AeMerges    *merges,
                            int32_t      left,
                            int32_t      right,
                            uint32_t     rank,
                            int32_t      merged);
bool     ae_merges_find    (const AeMerges *merges,
                            int32_t         left,
                            int32_t         right,
                            uint32_t       *rank,
                            int32_t        *merged);
void     ae_merges_clear   (AeMerges    *merges);

/* One symbol of a word being merged: an id and the bytes [start, end) of
 * the word it covers; a doubly linked list through @prev/@next. */
typedef struct
{
  int32_t  id;
  uint32_t start;
  uint32_t end;
  int32_t  prev;
  int32_t  next;
} AeSymbol;

/* Scratch memory of one encode() call, grown as longer words come along. */
typedef struct
{
  AeSymbol *symbols;
  size_t    symbols_cap;
  uint64_t *heap;
  size_t    heap_cap;
  char     *buf;
  size_t    buf_cap;
  size_t    merges_done;   /* merges applied, for tests that count work */
} AeBpeScratch;

/* Merges @symbols[0 .. *n) (linked in order) lowest rank first, ties to the
 * leftmost pair, with a heap: O(n log n) for a word of n symbols.  Leaves the
 * surviving symbols linked from index 0.  Checks @cancel every few thousand
 * merges. */
AeStatus ae_bpe_merge      (const AeMerges   *merges,
                            AeBpeScratch     *scratch,
                            size_t            n,
                            const atomic_int *cancel,
                            AeError          *error);
bool     ae_bpe_reserve    (AeBpeScratch     *scratch,
                            size_t            n_symbols,
                            size_t            n_buf);
void     ae_bpe_scratch_clear (AeBpeScratch  *scratch);

/* ------------------------------------------------------------------------ */
/* GPT-2's bytes_to_unicode()                                                */

typedef struct
{
  char    symbol[256][3];     /* UTF-8 of each byte's character, NUL-terminated */
  int16_t byte_of[324];       /* inverse, by code point; -1 where none */
} AeByteLevel;

void     ae_byte_level_init   (AeByteLevel       *table);
/* Undoes the mapping of @s into @out (room for strlen (s) + 1 bytes);
 * characters outside the table are copied through. */
size_t   ae_byte_level_unmap  (const AeByteLevel *table,
                               const char        *s,
                               size_t             len,
                               char              *out);

/* ------------------------------------------------------------------------ */
/* Text with the input span of every byte                                    */

typedef struct
{
  char   *s;
  size_t  n;
  size_t  cap;
  size_t *from;   /* (n,) input byte where the byte's source starts */
  size_t *to;     /* (n,) input byte where it ends; from == to for inserted text */
} AeNormStr;

bool     ae_norm_str_reserve  (AeNormStr   *str,
                               size_t       n);
/* Appends @len bytes that all stand for the input span [from, to). */
bool     ae_norm_str_append   (AeNormStr   *str,
                               const char  *bytes,
                               size_t       len,
                               size_t       from,
                               size_t       to);
void     ae_norm_str_clear    (AeNormStr   *str);

/* ------------------------------------------------------------------------ */
/* Normalizers                                                               */

typedef enum
{
  AE_NORM_NFC,
  AE_NORM_NFD,
  AE_NORM_NFKC,
  AE_NORM_NFKD,
  AE_NORM_LOWERCASE,
  AE_NORM_PREPEND,
  AE_NORM_REPLACE,     /* @pattern (a string, or @regex) -> @content */
} AeNormKind;

typedef struct
{
  AeNormKind  kind;
  char       *pattern;   /* Replace with a string pattern */
  size_t      pattern_len;
  pcre2_code *regex;     /* Replace with a regex pattern */
  char       *content;   /* Prepend's or Replace's text */
  size_t      content_len;
} AeNormalizer;

/* Rewrites @str in place through @norm (using @tmp as scratch). */
AeStatus ae_normalize         (const AeNormalizer *norm,
                               AeNormStr          *str,
                               AeNormStr          *tmp,
                               AeError            *error);
void     ae_normalizer_clear  (AeNormalizer       *norm);

/* ------------------------------------------------------------------------ */
/* Pre-tokenizers                                                            */

typedef enum
{
  AE_PRE_SPLIT,        /* a regex, with a behaviour for the matches */
  AE_PRE_BYTE_LEVEL,   /* optional prefix space; GPT-2's regex when use_regex */
  AE_PRE_METASPACE,    /* spaces -> "▁", a prefix "▁", split before each "▁" */
  AE_PRE_DIGITS,       /* digits apart from the rest, one by one if asked */
} AePreKind;

typedef enum
{
  AE_SPLIT_ISOLATED,
  AE_SPLIT_REMOVED,
  AE_SPLIT_MERGED_WITH_PREVIOUS,
  AE_SPLIT_MERGED_WITH_NEXT,
  AE_SPLIT_CONTIGUOUS,
} AeSplitBehavior;

typedef enum
{
  AE_PREPEND_ALWAYS,
  AE_PREPEND_FIRST,
  AE_PREPEND_NEVER,
} AePrependScheme;

typedef struct
{
  AePreKind        kind;
  pcre2_code      *regex;          /* Split, ByteLevel with use_regex */
  AeSplitBehavior  behavior;
  bool             invert;
  bool             add_prefix_space;  /* ByteLevel */
  char             replacement[8];    /* Metaspace, UTF-8 */
  AePrependScheme  prepend_scheme;    /* Metaspace */
  bool             split;             /* Metaspace */
  bool             individual_digits; /* Digits */
} AePreTokenizer;

/* A piece of text on its way through the pre-tokenizers: bytes and their
 * input spans (pointers into some AeNormStr). */
typedef struct
{
  const char   *s;
  size_t        n;
  const size_t *from;
  const size_t *to;
  bool          first;   /* the first piece of the text (Metaspace's "first") */
} AePiece;

typedef struct _AeEncoder AeEncoder;

/* Called for every piece the last pre-tokenizer makes; returns
 * AE_STATUS_OK to go on, anything else to stop (AE_STATUS_TOO_LONG stops
 * quietly once enough tokens are made). */
typedef AeStatus (*AePieceFunc) (AeEncoder     *encoder,
                                 const AePiece *piece,
                                 AeError       *error);

AeStatus ae_pretokenize       (const AePreTokenizer *pre,
                               size_t                n_pre,
                               const AePiece        *piece,
                               AeEncoder            *encoder,
                               AePieceFunc           emit,
                               AeError              *error);
void     ae_pre_tokenizer_clear (AePreTokenizer     *pre);

/* Compiles a pattern with PCRE2 (UTF, Unicode properties), JIT when it can. */
AeStatus ae_regex_compile     (const char   *pattern,
                               size_t        len,
                               bool          caseless,
                               pcre2_code  **out,
                               const char   *what,
                               AeError      *error);

/* GPT-2's pre-tokenizer pattern, with \s spelled out (see ae-pretokenize.c). */
extern const char ae_gpt2_pattern[];

/* ------------------------------------------------------------------------ */
/* Added and special tokens                                                  */

typedef struct
{
  char   *content;
  size_t  len;
  int32_t id;
  bool    special;
  bool    lstrip;
  bool    rstrip;
  bool    single_word;
} AeAddedToken;

typedef struct
{
  AeAddedToken *tokens;     /* sorted by first byte, then longest first */
  size_t        n;
  size_t        first[257]; /* tokens starting with byte b: first[b] .. first[b + 1] */
  pcre2_code   *word_char;  /* for single_word tokens */
} AeAddedTokens;

/* Sorts and indexes the tokens once they are all added. */
AeStatus ae_added_tokens_finish (AeAddedTokens *added,
                                 AeError       *error);
/* The leftmost, then longest, added token in text[from, len), its span in
 * start and end (widened by lstrip/rstrip, never below @from); NULL if none. */
const AeAddedToken *
         ae_added_tokens_find   (const AeAddedTokens *added,
                                 const char          *text,
                                 size_t               from,
                                 size_t               len,
                                 size_t              *start,
                                 size_t              *end);
void     ae_added_tokens_clear  (AeAddedTokens *added);

/* ------------------------------------------------------------------------ */
/* The tokenizer                                                             */

struct _AeTokenizer
{
  AeTokenizerKind  kind;
  AeVocab          vocab;
  AeMerges         merges;
  AeByteLevel      byte_level;
  bool             byte_input;        /* BPE on bytes mapped by bytes_to_unicode */
  int32_t          byte_ids[256];     /* byte-level symbols, or <0xXX> for byte_fallback; -1 none */
  bool             byte_fallback;
  bool             ignore_merges;     /* a word that is a token stays whole */
  int32_t          unk_id;            /* -1: none */
  bool             fuse_unk;

  AeNormalizer    *normalizers;
  size_t           n_normalizers;
  AePreTokenizer  *pre_tokenizers;
  size_t           n_pre_tokenizers;
  AeAddedTokens    added;

  int32_t         *prefix_ids;        /* the post-processor's tokens before the text */
  size_t           n_prefix;
  int32_t         *suffix_ids;        /* and after it */
  size_t           n_suffix;
  bool             has_template;      /* else tokenizer_config.json decides */

  int32_t          bos_id;
  int32_t          eos_id;

  /* SentencePiece-style: "▁" starts words, and no token has one after
   * another character, so no merge can cross a word start: BPE runs word by
   * word instead of over the whole text (same result, and truncation can
   * stop early). */
  char             metaspace[8];
  bool             split_at_metaspace;

  bool            *special;           /* (n_ids,) added/special tokens */

  /* sentence pairs: A, then n_pair_middle × pair_sep_id, then B, then the
   * suffix; B's tokens (and what follows A's first middle token) take
   * pair_b_type.  n_pair_middle == 0: no pair template. */
  int32_t          pair_sep_id;
  size_t           n_pair_middle;
  int32_t          pair_b_type;
  int32_t          mask_id;           /* -1: none */
  size_t           max_chars_per_word; /* WordPiece: longer words are unk */
  char             wp_prefix[16];      /* WordPiece: what continues a word ("##") */
  size_t           wp_prefix_len;
  pcre2_code      *utf8_check;        /* the empty pattern: matching it checks UTF-8 */
};

/* tokenizer_config.json: add_bos_token/add_eos_token and the BOS/EOS names.
 * A missing file is no error. */
typedef struct
{
  bool  present;
  bool  add_bos;
  bool  add_eos;
  char *bos;      /* NULL when not given */
  char *eos;
} AeTokenizerConfig;

AeStatus ae_tokenizer_config_load  (AeTokenizerConfig *config,
                                    const char        *path,
                                    AeError           *error);
void     ae_tokenizer_config_clear (AeTokenizerConfig *config);

/* Reads a whole file / a JSON file with the engine's error conventions: a
 * file that cannot be opened is AE_STATUS_IO (or, with @missing_ok, a missing
 * file leaves *out NULL); anything else is AE_STATUS_BAD_TOKENIZER, naming the
 * file and, for syntax errors, the line and column.  @flags go to jansson. */
AeStatus ae_tok_read_file  (const char  *path,
                            char       **out,
                            size_t      *out_len,
                            AeError     *error);
AeStatus ae_tok_load_json  (const char  *path,
                            bool         missing_ok,
                            size_t       flags,
                            json_t     **out,
                            AeError     *error);

AeTokenizer *ae_tokenizer_new  (AeTokenizerKind kind);
/* Fills every token's decoded bytes once the vocabulary is complete. */
AeStatus ae_tokenizer_decode_vocab (AeTokenizer *self,
                                    const char  *metaspace,
                                    AeError     *error);

AeStatus ae_tokenizer_load_gpt2_files (AeTokenizer **out,
                                       const char   *vocab_path,
                                       const char   *merges_path,
                                       const char   *config_path,
                                       AeError      *error);
/* BERT's vocab.txt (+ tokenizer_config.json, may be NULL or missing). */
AeStatus ae_tokenizer_load_wordpiece_files (AeTokenizer **out,
                                            const char   *vocab_path,
                                            const char   *config_path,
                                            AeError      *error);
/* BERT's normalizers and pre-tokenizer for vocab.txt: the two below, with
 * clean_text. */
AeStatus ae_tokenizer_wordpiece_setup (AeTokenizer *self,
                                       bool         lowercase,
                                       bool         strip_accents,
                                       bool         chinese_chars,
                                       AeError     *error);
/* Appends BERT's normalizers (tokenizer.json's BertNormalizer): control
 * characters removed (@clean_text), accents stripped, lowercase. */
AeStatus ae_wordpiece_add_normalizers (AeTokenizer *self,
                                       bool         clean_text,
                                       bool         strip_accents,
                                       bool         lowercase,
                                       AeError     *error);
/* Appends BERT's pre-tokenizer (BertPreTokenizer): words between
 * whitespace, each punctuation character a word, and with
 * @chinese_chars (BertNormalizer's handle_chinese_chars) each CJK
 * ideograph too. */
AeStatus ae_wordpiece_add_pre_tokenizer (AeTokenizer *self,
                                         bool         chinese_chars,
                                         AeError     *error);
/* tokenizer.json's "model" of type WordPiece once its vocabulary is read:
 * unk_token, continuing_subword_prefix, max_input_chars_per_word.
 * @path names the file in errors. */
AeStatus ae_wordpiece_parse_model     (AeTokenizer *self,
                                       json_t      *model,
                                       const char  *path,
                                       AeError     *error);
/* [CLS] A [SEP] and the pair template with @n_middle [SEP]s between. */
AeStatus ae_tokenizer_set_pair_template (AeTokenizer *self,
                                         int32_t      cls,
                                         int32_t      sep,
                                         size_t       n_middle,
                                         int32_t      b_type,
                                         AeError     *error);
AeStatus ae_tokenizer_load_json_file  (AeTokenizer **out,
                                       const char   *json_path,
                                       const char   *config_path,
                                       AeError      *error);
