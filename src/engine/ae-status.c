/* ae-status.c
 *
 * Copyright 2026 The Attention authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "ae-status.h"

const char *
ae_status_to_string (AeStatus status)
{
  switch (status)
    {
    case AE_STATUS_OK:               return "success";
    case AE_STATUS_IO:               return "file could not be read";
    case AE_STATUS_BAD_CONFIG:       return "invalid model configuration";
    case AE_STATUS_UNSUPPORTED:      return "unsupported model";
    case AE_STATUS_BAD_WEIGHTS:      return "invalid model weights";
    case AE_STATUS_BAD_TOKENIZER:    return "invalid tokenizer files";
    case AE_STATUS_TOO_LONG:         return "text longer than the model's context";
    case AE_STATUS_INVALID_ARGUMENT: return "invalid argument";
    case AE_STATUS_NO_MEMORY:        return "out of memory";
    case AE_STATUS_CANCELLED:        return "cancelled";
    case AE_STATUS_NOT_FINITE:       return "the model produced a number that is not finite";
    case AE_STATUS_COUNT:
    default:                         return "unknown error";
    }
}

/* The length of the valid UTF-8 sequence at @s (at most @n bytes), or 0:
 * no overlong forms, no surrogates, nothing past U+10FFFF. */
static size_t
utf8_sequence (const unsigned char *s,
               size_t               n)
{
  unsigned int cp;
  size_t len;

  if (s[0] < 0x80)
    return 1;
  else if (s[0] >= 0xC2 && s[0] <= 0xDF)
    len = 2, cp = s[0] & 0x1F;
  else if ((s[0] & 0xF0) == 0xE0)
    len = 3, cp = s[0] & 0x0F;
  else if (s[0] >= 0xF0 && s[0] <= 0xF4)
    len = 4, cp = s[0] & 0x07;
  else
    return 0;

  if (len > n)
    return 0;
  for (size_t i = 1; i < len; i++)
    {
      if ((s[i] & 0xC0) != 0x80)
        return 0;
      cp = (cp << 6) | (s[i] & 0x3F);
    }
  if ((len == 3 && (cp < 0x800 || (cp >= 0xD800 && cp <= 0xDFFF))) ||
      (len == 4 && (cp < 0x10000 || cp > 0x10FFFF)))
    return 0;
  return len;
}

/* Messages quote file contents (a token from merges.txt, a dtype string)
 * and are cut to fit: either could leave bytes that are not UTF-8, and the
 * GObject face's GError must be UTF-8.  A character cut at the end is
 * dropped; any other invalid byte becomes '?'. */
static void
make_valid_utf8 (char *message,
                 int   truncated)
{
  unsigned char *s = (unsigned char *) message;
  size_t n = strlen (message);

  for (size_t i = 0; i < n;)
    {
      size_t len = utf8_sequence (s + i, n - i);

      if (len > 0)
        {
          i += len;
          continue;
        }
      if (truncated && s[i] >= 0xC2 && s[i] <= 0xF4 && n - i < 4)
        {
          int partial = 1;

          for (size_t k = i + 1; k < n; k++)
            partial &= (s[k] & 0xC0) == 0x80;
          if (partial)
            {
              s[i] = '\0';
              return;
            }
        }
      s[i++] = '?';
    }
}

AeStatus
ae_error_set (AeError    *error,
              AeStatus    status,
              const char *format,
              ...)
{
  va_list args;
  int n;

  if (error == NULL)
    return status;

  error->status = status;
  va_start (args, format);
  n = vsnprintf (error->message, sizeof error->message, format, args);
  va_end (args);
  make_valid_utf8 (error->message, n >= (int) sizeof error->message);

  return status;
}

void
ae_error_prefix (AeError    *error,
                 const char *prefix)
{
  char tmp[2 * sizeof error->message];
  size_t n;

  if (error == NULL || prefix == NULL)
    return;

  /* A prefix and message that do not fit are cut, never overflowed. */
  snprintf (tmp, sizeof tmp, "%s: %s", prefix, error->message);
  n = strlen (tmp);
  if (n >= sizeof error->message)
    n = sizeof error->message - 1;
  memcpy (error->message, tmp, n);
  error->message[n] = '\0';
  make_valid_utf8 (error->message, n < strlen (tmp));
}
