/* ae-normalize.c
 *
 * Copyright 2026 The Attention authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * tokenizer.json's normalizers on text that remembers, for every byte, the
 * span of the input it came from (AeNormStr), so tokens keep their offsets:
 *
 *   - NFC, NFD, NFKC, NFKD through GLib's g_utf8_normalize (Unicode's own
 *     tables, not ours).  The text is cut into the shortest runs that
 *     normalize independently, and each run's output points at the run's
 *     input span: "e" + U+0301 becomes "é" spanning both input characters.
 *   - Lowercase, per character (g_unichar_tolower).
 *   - Prepend (Llama 2's "▁" before the text) and Replace (" " -> "▁"), with
 *     a string or a regex pattern (PCRE2).
 *
 * This is the only engine file that uses GLib; see src/engine/meson.build.
 */

#include <stdlib.h>
#include <string.h>

#include <glib.h>

#include "ae-tokenizer-private.h"

bool
ae_norm_str_reserve (AeNormStr *str,
                     size_t     n)
{
  void *p;
  size_t cap;

  if (n <= str->cap)
    return true;
  cap = str->cap * 2 > n ? str->cap * 2 : n + 64;
  if ((p = realloc (str->s, cap + 1)) == NULL)
    return false;
  str->s = p;
  if ((p = realloc (str->from, cap * sizeof *str->from)) == NULL)
    return false;
  str->from = p;
  if ((p = realloc (str->to, cap * sizeof *str->to)) == NULL)
    return false;
  str->to = p;
  str->cap = cap;
  return true;
}

bool
ae_norm_str_append (AeNormStr  *str,
                    const char *bytes,
                    size_t      len,
                    size_t      from,
                    size_t      to)
{
  if (!ae_norm_str_reserve (str, str->n + len))
    return false;
  memcpy (str->s + str->n, bytes, len);
  for (size_t i = 0; i < len; i++)
    {
      str->from[str->n + i] = from;
      str->to[str->n + i] = to;
    }
  str->n += len;
  str->s[str->n] = '\0';
  return true;
}

/* Appends src[a, b) keeping each byte's own span. */
static bool
append_same (AeNormStr       *out,
             const AeNormStr *src,
             size_t           a,
             size_t           b)
{
  size_t len = b - a;

  if (!ae_norm_str_reserve (out, out->n + len))
    return false;
  memcpy (out->s + out->n, src->s + a, len);
  memcpy (out->from + out->n, src->from + a, len * sizeof *out->from);
  memcpy (out->to + out->n, src->to + a, len * sizeof *out->to);
  out->n += len;
  out->s[out->n] = '\0';
  return true;
}

void
ae_norm_str_clear (AeNormStr *str)
{
  free (str->s);
  free (str->from);
  free (str->to);
  memset (str, 0, sizeof *str);
}

static void
swap (AeNormStr *a,
      AeNormStr *b)
{
  AeNormStr t = *a;

  *a = *b;
  *b = t;
}

static AeStatus
no_memory (AeError *error)
{
  return ae_error_set (error, AE_STATUS_NO_MEMORY, "out of memory while normalizing");
}

/* ------------------------------------------------------------------------ */
/* Unicode normalization forms                                               */

static GNormalizeMode
mode_of (AeNormKind kind)
{
  switch (kind)
    {
    case AE_NORM_NFD:  return G_NORMALIZE_NFD;
    case AE_NORM_NFKC: return G_NORMALIZE_NFKC;
    case AE_NORM_NFKD: return G_NORMALIZE_NFKD;
    default:           return G_NORMALIZE_NFC;
    }
}

/* Whether a cut before the character at @at (ending at @next) is safe after
 * the open run s[start, at): the run normalized, then the character, gives
 * the same as both together, and the character's normal form starts with a
 * starter (combining class 0), which nothing after it can reorder past.
 * ASCII is always safe: it never composes with what comes before it. */
static bool
safe_cut (const char     *s,
          size_t          start,
          size_t          at,
          size_t          next,
          GNormalizeMode  mode)
{
  g_autofree char *run = NULL;
  g_autofree char *ch = NULL;
  g_autofree char *both = NULL;
  size_t run_len, ch_len;

  if ((unsigned char) s[at] < 0x80)
    return true;

  run = g_utf8_normalize (s + start, (gssize) (at - start), mode);
  ch = g_utf8_normalize (s + at, (gssize) (next - at), mode);
  both = g_utf8_normalize (s + start, (gssize) (next - start), mode);
  if (run == NULL || ch == NULL || both == NULL)
    return false;
  if (ch[0] != '\0' && g_unichar_combining_class (g_utf8_get_char (ch)) != 0)
    return false;
  run_len = strlen (run);
  ch_len = strlen (ch);
  return strlen (both) == run_len + ch_len
         && memcmp (both, run, run_len) == 0
         && memcmp (both + run_len, ch, ch_len) == 0;
}

static bool
append_normalized (AeNormStr       *out,
                   const AeNormStr *src,
                   size_t           a,
                   size_t           b,
                   GNormalizeMode   mode)
{
  g_autofree char *norm = g_utf8_normalize (src->s + a, (gssize) (b - a), mode);

  return norm != NULL && ae_norm_str_append (out, norm, strlen (norm), src->from[a], src->to[b - 1]);
}

static AeStatus
normalize_form (AeNormKind  kind,
                AeNormStr  *str,
                AeNormStr  *tmp,
                AeError    *error)
{
  GNormalizeMode mode = mode_of (kind);
  g_autofree char *whole = NULL;
  size_t start = 0;

  if (str->n == 0)
    return AE_STATUS_OK;

  /* Most text is already normal: then every offset stays as it is. */
  whole = g_utf8_normalize (str->s, (gssize) str->n, mode);
  if (whole == NULL)
    return ae_error_set (error, AE_STATUS_INVALID_ARGUMENT, "the text is not valid UTF-8");
  if (strlen (whole) == str->n && memcmp (whole, str->s, str->n) == 0)
    return AE_STATUS_OK;

  tmp->n = 0;
  for (size_t at = (size_t) (g_utf8_next_char (str->s) - str->s); at < str->n;)
    {
      size_t next = (size_t) (g_utf8_next_char (str->s + at) - str->s);

      if (safe_cut (str->s, start, at, next, mode))
        {
          if (!append_normalized (tmp, str, start, at, mode))
            return no_memory (error);
          start = at;
        }
      at = next;
    }
  if (!append_normalized (tmp, str, start, str->n, mode))
    return no_memory (error);

  swap (str, tmp);
  return AE_STATUS_OK;
}

/* ------------------------------------------------------------------------ */
/* Lowercase, Prepend, Replace                                               */

static AeStatus
lowercase (AeNormStr *str,
           AeNormStr *tmp,
           AeError   *error)
{
  tmp->n = 0;
  for (size_t at = 0; at < str->n;)
    {
      size_t next = (size_t) (g_utf8_next_char (str->s + at) - str->s);
      char buf[6];
      int len = g_unichar_to_utf8 (g_unichar_tolower (g_utf8_get_char (str->s + at)), buf);

      if (!ae_norm_str_append (tmp, buf, (size_t) len, str->from[at], str->to[next - 1]))
        return no_memory (error);
      at = next;
    }
  swap (str, tmp);
  return AE_STATUS_OK;
}

static AeStatus
prepend (const AeNormalizer *norm,
         AeNormStr          *str,
         AeNormStr          *tmp,
         AeError            *error)
{
  /* Like Hugging Face's: empty text stays empty.  The inserted bytes cover
   * no input: an empty span where the text starts. */
  if (str->n == 0)
    return AE_STATUS_OK;
  tmp->n = 0;
  if (!ae_norm_str_append (tmp, norm->content, norm->content_len, str->from[0], str->from[0])
      || !append_same (tmp, str, 0, str->n))
    return no_memory (error);
  swap (str, tmp);
  return AE_STATUS_OK;
}

/* Finds the next match of the pattern in s[at, n): its span, or false. */
static bool
next_match (const AeNormalizer *norm,
            const AeNormStr    *str,
            size_t              at,
            pcre2_match_data   *match,
            size_t             *start,
            size_t             *end)
{
  if (norm->regex != NULL)
    {
      PCRE2_SIZE *ov;

      while (at <= str->n)
        {
          if (pcre2_match (norm->regex, (PCRE2_SPTR) str->s, str->n, at, PCRE2_NO_UTF_CHECK,
                           match, NULL) < 0)
            return false;
          ov = pcre2_get_ovector_pointer (match);
          if (ov[1] > ov[0])
            {
              *start = ov[0];
              *end = ov[1];
              return true;
            }
          /* An empty match replaces nothing; look past it. */
          at = ov[0] + 1;
          while (at < str->n && ((unsigned char) str->s[at] & 0xC0) == 0x80)
            at++;
        }
      return false;
    }

  if (norm->pattern_len == 0 || at >= str->n)
    return false;
  for (size_t i = at; i + norm->pattern_len <= str->n; i++)
    if (memcmp (str->s + i, norm->pattern, norm->pattern_len) == 0)
      {
        *start = i;
        *end = i + norm->pattern_len;
        return true;
      }
  return false;
}

static AeStatus
replace (const AeNormalizer *norm,
         AeNormStr          *str,
         AeNormStr          *tmp,
         AeError            *error)
{
  pcre2_match_data *match = NULL;
  size_t at = 0, start, end;
  AeStatus status = AE_STATUS_OK;

  if (norm->regex != NULL
      && (match = pcre2_match_data_create_from_pattern (norm->regex, NULL)) == NULL)
    return no_memory (error);

  tmp->n = 0;
  while (next_match (norm, str, at, match, &start, &end))
    {
      /* The replacement stands for the whole matched input. */
      if (!append_same (tmp, str, at, start)
          || !ae_norm_str_append (tmp, norm->content, norm->content_len,
                                  str->from[start], str->to[end - 1]))
        {
          status = no_memory (error);
          break;
        }
      at = end;
    }
  if (status == AE_STATUS_OK && !append_same (tmp, str, at, str->n))
    status = no_memory (error);
  if (status == AE_STATUS_OK)
    swap (str, tmp);

  pcre2_match_data_free (match);
  return status;
}

AeStatus
ae_normalize (const AeNormalizer *norm,
              AeNormStr          *str,
              AeNormStr          *tmp,
              AeError            *error)
{
  switch (norm->kind)
    {
    case AE_NORM_NFC:
    case AE_NORM_NFD:
    case AE_NORM_NFKC:
    case AE_NORM_NFKD:
      return normalize_form (norm->kind, str, tmp, error);
    case AE_NORM_LOWERCASE:
      return lowercase (str, tmp, error);
    case AE_NORM_PREPEND:
      return prepend (norm, str, tmp, error);
    case AE_NORM_REPLACE:
      return replace (norm, str, tmp, error);
    default:
      return ae_error_set (error, AE_STATUS_UNSUPPORTED, "unknown normalizer");
    }
}

void
ae_normalizer_clear (AeNormalizer *norm)
{
  free (norm->pattern);
  free (norm->content);
  pcre2_code_free (norm->regex);
  memset (norm, 0, sizeof *norm);
}
