/* ae-file.c
 *
 * Copyright 2026 The Attention authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * See ae-file.h.  O_NONBLOCK makes open() of a FIFO return at once instead of
 * waiting for a writer; fstat() on the descriptor (not stat() on the path,
 * which could be swapped in between) then decides.  Regular files ignore
 * O_NONBLOCK, but it is cleared anyway so the descriptor is an ordinary one.
 */

#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "ae-file.h"

static const char *
file_kind (mode_t mode)
{
  if (S_ISDIR (mode))  return "a folder";
  if (S_ISFIFO (mode)) return "a FIFO (named pipe)";
  if (S_ISCHR (mode))  return "a character device";
  if (S_ISBLK (mode))  return "a block device";
  if (S_ISSOCK (mode)) return "a socket";
  return "a special file";
}

AeStatus
ae_file_open_regular (const char  *path,
                      int         *fd_out,
                      struct stat *sb_out,
                      AeError     *error)
{
  struct stat sb;
  int fd, flags;

  *fd_out = -1;

  fd = open (path, O_RDONLY | O_CLOEXEC | O_NONBLOCK | O_NOCTTY);
  if (fd < 0)
    return ae_error_set (error, AE_STATUS_IO, "cannot be opened (%s)", strerror (errno));

  if (fstat (fd, &sb) != 0)
    {
      int saved = errno;

      close (fd);
      return ae_error_set (error, AE_STATUS_IO, "cannot be examined (%s)", strerror (saved));
    }

  if (!S_ISREG (sb.st_mode))
    {
      close (fd);
      return ae_error_set (error, AE_STATUS_IO,
                           "is %s, not a regular file; only regular files are read",
                           file_kind (sb.st_mode));
    }

  flags = fcntl (fd, F_GETFL);
  if (flags >= 0)
    fcntl (fd, F_SETFL, flags & ~O_NONBLOCK);

  *fd_out = fd;
  if (sb_out != NULL)
    *sb_out = sb;
  return AE_STATUS_OK;
}

AeStatus
ae_file_read (const char  *path,
              size_t       max_bytes,
              char       **out,
              size_t      *out_len,
              AeError     *error)
{
  struct stat sb;
  AeStatus status;
  char *buf;
  size_t len = 0, size;
  int fd;

  *out = NULL;
  *out_len = 0;

  if ((status = ae_file_open_regular (path, &fd, &sb, error)) != AE_STATUS_OK)
    return status;

  if ((unsigned long long) sb.st_size > max_bytes)
    {
      close (fd);
      return ae_error_set (error, AE_STATUS_IO,
                           "is %llu bytes long, more than the %zu bytes a text file may have",
                           (unsigned long long) sb.st_size, max_bytes);
    }

  /* One byte more than fstat() says, to notice a file that grew meanwhile. */
  size = (size_t) sb.st_size;
  buf = malloc (size + 2);
  if (buf == NULL)
    {
      close (fd);
      return ae_error_set (error, AE_STATUS_NO_MEMORY, "out of memory for %zu bytes", size);
    }

  while (len < size + 1)
    {
      ssize_t n = read (fd, buf + len, size + 1 - len);

      if (n < 0 && errno == EINTR)
        continue;
      if (n < 0)
        {
          int saved = errno;

          free (buf);
          close (fd);
          return ae_error_set (error, AE_STATUS_IO, "read error (%s)", strerror (saved));
        }
      if (n == 0)
        break;
      len += (size_t) n;
    }
  close (fd);

  if (len > size)
    {
      free (buf);
      return ae_error_set (error, AE_STATUS_IO, "changed size while it was being read");
    }

  buf[len] = '\0';
  *out = buf;
  *out_len = len;
  return AE_STATUS_OK;
}
