/* ae-pretokenize.c
 *
 * Copyright 2026 The Attention authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Pre-tokenizers cut normalized text into the pieces BPE runs on, one after
 * the other (tokenizer.json's "Sequence"):
 *
 *   - Split: a regex (Llama 3's, Qwen2's, ...) through PCRE2, with Hugging
 *     Face's behaviours for the matches (Isolated, Removed, MergedWithPrevious,
 *     MergedWithNext, Contiguous) and "invert";
 *   - ByteLevel: a prefix space if asked, then GPT-2's regex if use_regex
 *     (mapping bytes to symbols is the model's job, see ae-tokenizer.c);
 *   - Metaspace: spaces become "▁", a "▁" goes in front (always, or only at
 *     the start of the text), and the text is cut before each "▁";
 *   - Digits: loaded as a Split on \p{N} or \p{N}+.
 *
 * Pieces stream: each piece a pre-tokenizer makes goes through the next one
 * and on to the model at once, so the encoder can stop in the middle of a
 * long text when it has the tokens it needs.
 */

#include <stdlib.h>
#include <string.h>

#include "ae-tokenizer-private.h"

/* GPT-2's pre-tokenizer pattern, with \s spelled out.  GPT-2 runs the pattern
 * through Python's `regex` module, whose \s is Unicode's White_Space property.
 * PCRE2's \s (also under PCRE2_UCP) is a fixed list of horizontal and
 * vertical spaces that still includes U+180E MONGOLIAN VOWEL SEPARATOR, which
 * Unicode 6.3 moved out of White_Space, so " \u180e" would split differently
 * from the reference.  The class below is exactly White_Space (PropList.txt).
 * tests/test-tokenizer.c checks U+180E, U+0085 and U+FEFF against ids from
 * the reference algorithm. */
#define WS "\\t\\n\\x{0B}\\f\\r\\x{20}\\x{85}\\x{A0}\\x{1680}\\x{2000}-\\x{200A}" \
           "\\x{2028}\\x{2029}\\x{202F}\\x{205F}\\x{3000}"
const char ae_gpt2_pattern[] =
  "'s|'t|'re|'ve|'m|'ll|'d"
  "| ?\\p{L}+| ?\\p{N}+| ?[^" WS "\\p{L}\\p{N}]+"
  "|[" WS "]+(?![^" WS "])|[" WS "]+";

AeStatus
ae_regex_compile (const char  *pattern,
                  size_t       len,
                  bool         caseless,
                  pcre2_code **out,
                  const char  *what,
                  AeError     *error)
{
  int code;
  PCRE2_SIZE offset;

  *out = pcre2_compile ((PCRE2_SPTR) pattern, len,
                        PCRE2_UTF | PCRE2_UCP | (caseless ? PCRE2_CASELESS : 0),
                        &code, &offset, NULL);
  if (*out == NULL)
    {
      PCRE2_UCHAR message[256];

      pcre2_get_error_message (code, message, sizeof message);
      return ae_error_set (error, AE_STATUS_UNSUPPORTED,
                           "%s: cannot compile the pattern at offset %zu: %s",
                           what, (size_t) offset, (const char *) message);
    }

  /* JIT is a speed-up only: without it (PCRE2 built without JIT, or a
   * system that forbids executable memory) the interpreter gives the same
   * matches. */
  pcre2_jit_compile (*out, PCRE2_JIT_COMPLETE);

  return AE_STATUS_OK;
}

static AePiece
sub_piece (const AePiece *piece,
           size_t         a,
           size_t         b)
{
  return (AePiece) { piece->s + a, b - a, piece->from + a, piece->to + a, piece->first && a == 0 };
}

static AeStatus
next_stage (const AePreTokenizer *pre,
            size_t                n_pre,
            const AePiece        *piece,
            AeEncoder            *encoder,
            AePieceFunc           emit,
            AeError              *error)
{
  if (piece->n == 0)
    return AE_STATUS_OK;
  if (n_pre == 0)
    return emit (encoder, piece, error);
  return ae_pretokenize (pre, n_pre, piece, encoder, emit, error);
}

/* A run of the piece not yet handed on, for the behaviours that glue a
 * match to a neighbour. */
typedef struct
{
  size_t start;
  size_t end;
  bool   is_match;
} Pending;

static AeStatus
split_regex (const AePreTokenizer *pre,
             size_t                n_pre,
             const AePiece        *piece,
             AeEncoder            *encoder,
             AePieceFunc           emit,
             AeError              *error)
{
  pcre2_match_data *match = pcre2_match_data_create_from_pattern (pre->regex, NULL);
  Pending pending = { 0, 0, false };
  size_t at = 0;
  AeStatus status = AE_STATUS_OK;

  if (match == NULL)
    return ae_error_set (error, AE_STATUS_NO_MEMORY, "out of memory while pre-tokenizing");

#define FLUSH()                                                                      \
  do {                                                                               \
    if (status == AE_STATUS_OK && pending.end > pending.start)                       \
      {                                                                              \
        AePiece sub = sub_piece (piece, pending.start, pending.end);                 \
        status = next_stage (pre + 1, n_pre - 1, &sub, encoder, emit, error);        \
      }                                                                              \
    pending.start = pending.end;                                                     \
  } while (0)

  while (status == AE_STATUS_OK && at <= piece->n)
    {
      size_t m_start = piece->n, m_end = piece->n;
      int rc = at < piece->n
               ? pcre2_match (pre->regex, (PCRE2_SPTR) piece->s, piece->n, at,
                              PCRE2_NO_UTF_CHECK | PCRE2_NOTEMPTY_ATSTART, match, NULL)
               : PCRE2_ERROR_NOMATCH;

      if (rc >= 0)
        {
          PCRE2_SIZE *ov = pcre2_get_ovector_pointer (match);

          m_start = ov[0];
          m_end = ov[1];
        }
      else if (rc != PCRE2_ERROR_NOMATCH)
        {
          PCRE2_UCHAR message[256];

          pcre2_get_error_message (rc, message, sizeof message);
          status = ae_error_set (error, AE_STATUS_INVALID_ARGUMENT,
                                 "pre-tokenizing failed at byte %zu: %s",
                                 piece->from[at < piece->n ? at : piece->n - 1],
                                 (const char *) message);
          break;
        }

      /* Two parts: the gap before the match, then the match (with "invert"
       * the gaps are what the pattern describes). */
      for (int part = 0; part < 2 && status == AE_STATUS_OK; part++)
        {
          size_t a = part == 0 ? at : m_start;
          size_t b = part == 0 ? m_start : m_end;
          bool is_match = (part == 1) != pre->invert;

          if (b <= a)
            continue;
          switch (pre->behavior)
            {
            case AE_SPLIT_ISOLATED:
              FLUSH ();
              pending = (Pending) { a, b, is_match };
              FLUSH ();
              break;
            case AE_SPLIT_REMOVED:
              if (!is_match)
                {
                  pending = (Pending) { a, b, false };
                  FLUSH ();
                }
              break;
            case AE_SPLIT_MERGED_WITH_PREVIOUS:
              if (pending.end <= pending.start)
                pending = (Pending) { a, b, is_match };
              else
                pending.end = b;
              if (is_match)
                FLUSH ();
              break;
            case AE_SPLIT_MERGED_WITH_NEXT:
              if (is_match)
                FLUSH ();
              if (pending.end <= pending.start)
                pending = (Pending) { a, b, is_match };
              else
                pending.end = b;
              break;
            case AE_SPLIT_CONTIGUOUS:
              if (pending.end > pending.start && pending.is_match && is_match)
                pending.end = b;
              else
                {
                  FLUSH ();
                  pending = (Pending) { a, b, is_match };
                }
              break;
            }
        }

      if (rc < 0)
        break;
      at = m_end;
    }
  FLUSH ();
#undef FLUSH

  pcre2_match_data_free (match);
  return status;
}

/* Text the pre-tokenizer rewrites gets a buffer of its own. */
static AeStatus
byte_level (const AePreTokenizer *pre,
            size_t                n_pre,
            const AePiece        *piece,
            AeEncoder            *encoder,
            AePieceFunc           emit,
            AeError              *error)
{
  AeNormStr spaced = { 0 };
  AePiece with_space;
  const AePiece *use = piece;
  AeStatus status;

  if (pre->add_prefix_space && piece->s[0] != ' ')
    {
      if (!ae_norm_str_append (&spaced, " ", 1, piece->from[0], piece->from[0]))
        return ae_error_set (error, AE_STATUS_NO_MEMORY, "out of memory while pre-tokenizing");
      for (size_t i = 0; i < piece->n; i++)
        if (!ae_norm_str_append (&spaced, piece->s + i, 1, piece->from[i], piece->to[i]))
          {
            ae_norm_str_clear (&spaced);
            return ae_error_set (error, AE_STATUS_NO_MEMORY, "out of memory while pre-tokenizing");
          }
      with_space = (AePiece) { spaced.s, spaced.n, spaced.from, spaced.to, piece->first };
      use = &with_space;
    }

  if (pre->regex != NULL)
    status = split_regex (pre, n_pre, use, encoder, emit, error);
  else
    status = next_stage (pre + 1, n_pre - 1, use, encoder, emit, error);

  ae_norm_str_clear (&spaced);
  return status;
}

static AeStatus
metaspace (const AePreTokenizer *pre,
           size_t                n_pre,
           const AePiece        *piece,
           AeEncoder            *encoder,
           AePieceFunc           emit,
           AeError              *error)
{
  size_t rep_len = strlen (pre->replacement);
  AeNormStr out = { 0 };
  AePiece whole;
  size_t start = 0;
  bool starts_with_rep = false;
  AeStatus status = AE_STATUS_OK;
  bool ok = true;

  for (size_t i = 0; i < piece->n && ok; i++)
    if (piece->s[i] == ' ')
      ok = ae_norm_str_append (&out, pre->replacement, rep_len, piece->from[i], piece->to[i]);
    else
      ok = ae_norm_str_append (&out, piece->s + i, 1, piece->from[i], piece->to[i]);

  starts_with_rep = out.n >= rep_len && memcmp (out.s, pre->replacement, rep_len) == 0;
  if (ok && !starts_with_rep
      && (pre->prepend_scheme == AE_PREPEND_ALWAYS
          || (pre->prepend_scheme == AE_PREPEND_FIRST && piece->from[0] == 0)))
    {
      AeNormStr front = { 0 };

      ok = ae_norm_str_append (&front, pre->replacement, rep_len, piece->from[0], piece->from[0]);
      for (size_t i = 0; i < out.n && ok; i++)
        ok = ae_norm_str_append (&front, out.s + i, 1, out.from[i], out.to[i]);
      ae_norm_str_clear (&out);
      out = front;
    }
  if (!ok)
    {
      ae_norm_str_clear (&out);
      return ae_error_set (error, AE_STATUS_NO_MEMORY, "out of memory while pre-tokenizing");
    }

  whole = (AePiece) { out.s, out.n, out.from, out.to, piece->first };
  if (!pre->split)
    status = next_stage (pre + 1, n_pre - 1, &whole, encoder, emit, error);
  else
    {
      /* MergedWithNext: each "▁" starts a new piece. */
      for (size_t i = 1; i + rep_len <= out.n && status == AE_STATUS_OK; i++)
        if (memcmp (out.s + i, pre->replacement, rep_len) == 0)
          {
            AePiece sub = sub_piece (&whole, start, i);

            status = next_stage (pre + 1, n_pre - 1, &sub, encoder, emit, error);
            start = i;
            i += rep_len - 1;
          }
      if (status == AE_STATUS_OK)
        {
          AePiece sub = sub_piece (&whole, start, out.n);

          status = next_stage (pre + 1, n_pre - 1, &sub, encoder, emit, error);
        }
    }

  ae_norm_str_clear (&out);
  return status;
}

AeStatus
ae_pretokenize (const AePreTokenizer *pre,
                size_t                n_pre,
                const AePiece        *piece,
                AeEncoder            *encoder,
                AePieceFunc           emit,
                AeError              *error)
{
  if (n_pre == 0)
    return next_stage (pre, 0, piece, encoder, emit, error);

  switch (pre->kind)
    {
    case AE_PRE_SPLIT:
    case AE_PRE_DIGITS:
      return split_regex (pre, n_pre, piece, encoder, emit, error);
    case AE_PRE_BYTE_LEVEL:
      return byte_level (pre, n_pre, piece, encoder, emit, error);
    case AE_PRE_METASPACE:
      return metaspace (pre, n_pre, piece, encoder, emit, error);
    default:
      return ae_error_set (error, AE_STATUS_UNSUPPORTED, "unknown pre-tokenizer");
    }
}

void
ae_pre_tokenizer_clear (AePreTokenizer *pre)
{
  pcre2_code_free (pre->regex);
  memset (pre, 0, sizeof *pre);
}
