/* attn-write-file.c
 *
 * Copyright 2026 The Attention authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * attn_write_file_atomically (), which every export (figures and values,
 * app and attention-cli) goes through.  It used g_file_replace (…,
 * REPLACE_DESTINATION), which replaced a symlink by a regular file (its
 * target never updated), gave a 0600 file the default 0644, and wrote a new
 * file in place, so a failed export left a 0-byte file.  Here:
 *
 *   - a symlink is followed to the file it names, and that file is replaced;
 *   - the replacement is written to a temporary file beside that file, given
 *     the old file's mode (and owner and group, where we are allowed to), and
 *     renamed over it only when everything was written and synced;
 *   - a new file gets the mode open () gives under the umask;
 *   - on any failure the temporary file is removed: the old file, or no file,
 *     stays;
 *   - an existing special file (/dev/stdout, a FIFO) is written directly,
 *     as a shell redirection would.
 */

#define G_LOG_DOMAIN "attn-write-file"

#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <glib/gi18n.h>
#include <glib/gstdio.h>
#include <gio/gunixoutputstream.h>

#include "attn-values.h"

/* GIO's own messages repeat the path ("Error opening file “…”: …"); say
 * what is wrong in words that suggest the fix instead, where we can. */
static void
set_write_error (GError      **error,
                 const char   *path,
                 const char   *target,
                 int           code,
                 const char   *detail)
{
  g_autofree char *folder = g_path_get_dirname (target);
  g_autofree char *why = NULL;

  switch (code)
    {
    case G_IO_ERROR_NOT_FOUND:
      why = g_file_test (folder, G_FILE_TEST_IS_DIR)
            ? g_strdup (detail) : g_strdup_printf (_("the folder “%s” does not exist"), folder);
      break;
    case G_IO_ERROR_PERMISSION_DENIED:
      why = g_strdup_printf (_("you may not write in the folder “%s”"), folder);
      break;
    case G_IO_ERROR_NO_SPACE:
      why = g_strdup (_("the disk is full"));
      break;
    case G_IO_ERROR_IS_DIRECTORY:
      why = g_strdup (_("it is a folder"));
      break;
    case G_IO_ERROR_READ_ONLY:
      why = g_strdup (_("the file system is read-only"));
      break;
    default:
      why = g_strdup (detail);
    }

  g_set_error (error, G_IO_ERROR, code, _("Could not write “%s”: %s"), path, why);
}

static void
set_errno_error (GError     **error,
                 const char  *path,
                 const char  *target,
                 int          saved_errno)
{
  set_write_error (error, path, target, g_io_error_from_errno (saved_errno),
                   g_strerror (saved_errno));
}

/* The file @path finally names once symlinks are followed (a link may be
 * dangling: its target is then created); @path itself when it is not a
 * link.  NULL on a loop. */
static char *
resolve_links (const char *path)
{
  g_autofree char *current = g_strdup (path);

  for (int depth = 0; depth < 40; depth++)
    {
      g_autofree char *link = g_file_read_link (current, NULL);
      char *next;

      if (link == NULL)
        return g_steal_pointer (&current);
      if (g_path_is_absolute (link))
        next = g_steal_pointer (&link);
      else
        {
          g_autofree char *dir = g_path_get_dirname (current);

          next = g_build_filename (dir, link, NULL);
        }
      g_free (current);
      current = next;
    }
  return NULL;
}

/* Writes straight into an existing special file (a FIFO, a terminal,
 * /dev/stdout): there is nothing to replace atomically. */
static gboolean
write_special (const char        *path,
               AttnStreamWriter   writer,
               gpointer           user_data,
               GCancellable      *cancellable,
               GError           **error)
{
  g_autoptr(GOutputStream) stream = NULL;
  g_autoptr(GError) local_error = NULL;
  int fd = g_open (path, O_WRONLY | O_CLOEXEC | O_NOCTTY, 0);

  if (fd < 0)
    {
      set_errno_error (error, path, path, errno);
      return FALSE;
    }
  stream = g_unix_output_stream_new (fd, TRUE);
  if (writer (stream, user_data, cancellable, &local_error) &&
      g_output_stream_close (stream, cancellable, &local_error))
    return TRUE;
  set_write_error (error, path, path, local_error->domain == G_IO_ERROR ? local_error->code : G_IO_ERROR_FAILED,
                   local_error->message);
  return FALSE;
}

gboolean
attn_write_file_atomically (const char        *path,
                            AttnStreamWriter   writer,
                            gpointer           user_data,
                            GCancellable      *cancellable,
                            GError           **error)
{
  g_autofree char *target = NULL;
  g_autofree char *tmp = NULL;
  g_autofree char *dir = NULL;
  g_autofree char *base = NULL;
  g_autoptr(GOutputStream) stream = NULL;
  g_autoptr(GError) local_error = NULL;
  struct stat st;
  gboolean exists;
  int fd;

  g_return_val_if_fail (path != NULL, FALSE);

  if (g_stat (path, &st) == 0 && !S_ISREG (st.st_mode) && !S_ISDIR (st.st_mode))
    return write_special (path, writer, user_data, cancellable, error);

  target = resolve_links (path);
  if (target == NULL)
    {
      set_errno_error (error, path, path, ELOOP);
      return FALSE;
    }

  exists = g_stat (target, &st) == 0;
  if (exists && S_ISDIR (st.st_mode))
    {
      set_write_error (error, path, target, G_IO_ERROR_IS_DIRECTORY, NULL);
      return FALSE;
    }
  /* A file nobody may write is not silently replaced (even by root, who
   * could): the folder may well be writable, the file is the problem. */
  if (exists && ((st.st_mode & 0222) == 0 || g_access (target, W_OK) != 0))
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_PERMISSION_DENIED,
                   _("Could not write “%s”: the file is read-only"), path);
      return FALSE;
    }

  dir = g_path_get_dirname (target);
  base = g_path_get_basename (target);
  tmp = g_strdup_printf ("%s/.%s.XXXXXX", dir, base);
  /* 0666 under the umask for a new file, as open () would create it; an
   * existing file's own mode is set below. */
  fd = g_mkstemp_full (tmp, O_WRONLY | O_CLOEXEC, exists ? 0600 : 0666);
  if (fd < 0)
    {
      set_errno_error (error, path, target, errno);
      return FALSE;
    }

  if (exists)
    {
      /* Owner and group where allowed (root, or a group we belong to), then
       * the mode: chown can clear set-id bits. */
      if ((st.st_uid != getuid () || st.st_gid != getgid ()) &&
          fchown (fd, st.st_uid, st.st_gid) != 0)
        (void) !fchown (fd, (uid_t) -1, st.st_gid);
      (void) !fchmod (fd, st.st_mode & 07777);
    }

  stream = g_unix_output_stream_new (fd, TRUE);
  if (writer (stream, user_data, cancellable, &local_error) &&
      g_output_stream_flush (stream, cancellable, &local_error))
    {
      if (fsync (fd) != 0)
        g_set_error_literal (&local_error, G_IO_ERROR, g_io_error_from_errno (errno),
                             g_strerror (errno));
      else if (g_output_stream_close (stream, cancellable, &local_error) &&
               g_rename (tmp, target) == 0)
        return TRUE;
      else if (local_error == NULL)
        g_set_error_literal (&local_error, G_IO_ERROR, g_io_error_from_errno (errno),
                             g_strerror (errno));
    }

  g_output_stream_close (stream, NULL, NULL);
  g_unlink (tmp);
  set_write_error (error, path, target,
                   local_error->domain == G_IO_ERROR ? local_error->code : G_IO_ERROR_FAILED,
                   local_error->message);
  return FALSE;
}

static gboolean
write_text_cb (GOutputStream  *stream,
               gpointer        user_data,
               GCancellable   *cancellable,
               GError        **error)
{
  const char *text = user_data;

  return g_output_stream_write_all (stream, text, strlen (text), NULL, cancellable, error);
}

gboolean
attn_write_text_atomically (const char    *path,
                            const char    *text,
                            GCancellable  *cancellable,
                            GError       **error)
{
  g_return_val_if_fail (text != NULL, FALSE);
  return attn_write_file_atomically (path, write_text_cb, (gpointer) text, cancellable, error);
}
