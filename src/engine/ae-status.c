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

AeStatus
ae_error_set (AeError    *error,
              AeStatus    status,
              const char *format,
              ...)
{
  va_list args;

  if (error == NULL)
    return status;

  error->status = status;
  va_start (args, format);
  vsnprintf (error->message, sizeof error->message, format, args);
  va_end (args);

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
}
