/* fuzz-common.h — what the libFuzzer harnesses share
 *
 * Copyright 2026 The Attention authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The engine reads files by path, so each input is written to an anonymous
 * memory file and handed over as /proc/self/fd/N: no disk, no clean-up.
 * The harnesses check properties, not just survival: a violated one calls
 * abort(), which libFuzzer reports with the input that caused it.
 */
#pragma once

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include "ae-status.h"

/* Writes @size bytes to a new memfd and puts its /proc path in @path. */
static inline int
fuzz_memfd (const uint8_t *data,
            size_t         size,
            char          *path,
            size_t         path_size)
{
  int fd = memfd_create ("fuzz", MFD_CLOEXEC);
  size_t done = 0;

  if (fd < 0)
    abort ();
  while (done < size)
    {
      ssize_t n = write (fd, data + done, size - done);

      if (n <= 0)
        abort ();
      done += (size_t) n;
    }
  snprintf (path, path_size, "/proc/self/fd/%d", fd);
  return fd;
}

#define FUZZ_CHECK(cond)                                                     \
  do {                                                                       \
    if (!(cond))                                                             \
      {                                                                      \
        fprintf (stderr, "%s:%d: property failed: %s\n", __FILE__, __LINE__, #cond); \
        abort ();                                                            \
      }                                                                      \
  } while (0)

/* Every error message is a NUL-terminated, non-empty, valid UTF-8 sentence
 * (the GObject face turns it into a GError, which must be UTF-8). */
static inline void
fuzz_check_error (AeStatus       status,
                  const AeError *error)
{
  const unsigned char *s = (const unsigned char *) error->message;
  size_t n = strnlen (error->message, sizeof error->message);

  if (status == AE_STATUS_OK)
    return;
  FUZZ_CHECK (n > 0 && n < sizeof error->message);
  for (size_t i = 0; i < n;)
    {
      size_t len = s[i] < 0x80 ? 1 : (s[i] & 0xE0) == 0xC0 ? 2 : (s[i] & 0xF0) == 0xE0 ? 3
                 : (s[i] & 0xF8) == 0xF0 ? 4 : 0;

      FUZZ_CHECK (len > 0 && i + len <= n);
      for (size_t k = 1; k < len; k++)
        FUZZ_CHECK ((s[i + k] & 0xC0) == 0x80);
      i += len;
    }
}
