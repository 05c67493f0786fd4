/* attn-hub-transfer.c
 *
 * Copyright 2026 The Attention authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * One file of a model download, as huggingface_hub fetches it: under
 * CACHE/.locks/…/ETAG.lock, GET into blobs/ETAG.incomplete (a Range from
 * its length when an earlier transfer was cut off), hash while writing
 * (sha256 for LFS files, git sha1 otherwise), rename to blobs/ETAG only
 * when the hash matches, and link snapshots/COMMIT/FILE to it.  A dropped
 * connection resumes a few times before it is reported.
 */

#define G_LOG_DOMAIN "attn-hub"

#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

#include <glib/gi18n.h>
#include <gio/gunixoutputstream.h>
#include <glib/gstdio.h>

#include "attn-hub-cache.h"
#include "attn-hub-download-private.h"

#define CHUNK_SIZE      (256 * 1024)
#define MAX_ATTEMPTS    4      /* one transfer plus three resumes */
#define MAX_REDIRECTS   5
#define LOCK_RETRY_MS   250

static void start_transfer (AttnHubDownload *self);

void
_attn_hub_download_release_lock (AttnHubDownload *self)
{
  g_clear_handle_id (&self->lock_source, g_source_remove);
  if (self->lock_fd >= 0)
    {
      flock (self->lock_fd, LOCK_UN);
      close (self->lock_fd);
      self->lock_fd = -1;
    }
}

void
_attn_hub_download_close_streams (AttnHubDownload *self)
{
  /* Synchronous close of a local file: what was written must be on disk
   * before the next attempt measures it. */
  if (self->out != NULL)
    g_output_stream_close (self->out, NULL, NULL);
  g_clear_object (&self->out);
  if (self->in != NULL)
    g_input_stream_close (self->in, NULL, NULL);
  g_clear_object (&self->in);
}

/* ------------------------------------------------------------------------ */
/* Paths                                                                      */
/* ------------------------------------------------------------------------ */

char *
_attn_hub_download_blob_path (AttnHubDownload *self,
           FileState       *file)
{
  return g_build_filename (self->repo_dir, "blobs", file->info->etag, NULL);
}

char *
_attn_hub_download_incomplete_path (AttnHubDownload *self,
                 FileState       *file)
{
  g_autofree char *blob = _attn_hub_download_blob_path (self, file);

  return g_strconcat (blob, ".incomplete", NULL);
}

/* The size of the file at @path (links followed), or -1. */
static gint64
file_size (const char *path)
{
  GStatBuf st;

  return g_stat (path, &st) == 0 ? (gint64) st.st_size : -1;
}

/* ------------------------------------------------------------------------ */
/* One file: lock, transfer, verify, place                                    */
/* ------------------------------------------------------------------------ */

/* A file whose blob is already complete only needs its snapshot link. */
static gboolean
place_existing (AttnHubDownload  *self,
                FileState        *file,
                gboolean         *placed,
                GError          **error)
{
  g_autofree char *blob = _attn_hub_download_blob_path (self, file);
  g_autofree char *pointer = g_build_filename (self->snapshot, file->name, NULL);

  *placed = FALSE;
  if (file_size (blob) != (gint64) file->info->size)
    {
      /* A symlink-less cache holds copies in snapshots/ and maybe no blob. */
      GStatBuf st;
      if (g_lstat (pointer, &st) != 0 || !S_ISREG (st.st_mode) ||
          (guint64) st.st_size != file->info->size)
        return TRUE;
    }
  else if (!attn_hub_cache_link (self->repo_dir, self->commit, file->name, file->info->etag, error))
    return FALSE;

  self->received += file->info->size - file->received;
  file->received = file->info->size;
  file->done = TRUE;
  *placed = TRUE;
  return TRUE;
}

gboolean
_attn_hub_download_use_existing (AttnHubDownload *self,
                                 FileState       *file)
{
  g_autoptr(GError) error = NULL;
  gboolean placed;

  if (!place_existing (self, file, &placed, &error))
    {
      _attn_hub_download_fail (self, g_steal_pointer (&error));
      return TRUE;
    }
  if (placed)
    {
      _attn_hub_download_emit_changed (self, TRUE);
      _attn_hub_download_file_done (self);
      return TRUE;
    }
  return FALSE;
}

static void
verify_and_place (AttnHubDownload *self)
{
  FileState *file = _attn_hub_download_current_file (self);
  g_autofree char *incomplete = _attn_hub_download_incomplete_path (self, file);
  g_autofree char *blob = _attn_hub_download_blob_path (self, file);
  const char *digest;
  gsize expected_len;
  g_autoptr(GError) error = NULL;

  _attn_hub_download_close_streams (self);

  /* LFS etags are the content's sha256; git ones the sha1 of
   * "blob SIZE\0" + content.  Anything else cannot be checked. */
  expected_len = file->info->lfs ? 64 : 40;
  digest = self->checksum ? g_checksum_get_string (self->checksum) : NULL;
  if (digest != NULL && strlen (file->info->etag) == expected_len &&
      g_ascii_strcasecmp (digest, file->info->etag) != 0)
    {
      g_autofree char *expected = g_strdup (file->info->etag);
      g_autofree char *got = g_strdup (digest);

      g_unlink (incomplete);
      self->received -= file->received;
      file->received = 0;
      _attn_hub_download_fail (self, g_error_new (ATTN_HUB_ERROR, ATTN_HUB_ERROR_CHECKSUM,
                               _("%s: the downloaded bytes do not match the %s the Hub announced (expected %s, got %s); the damaged file was deleted, download again"),
                               file->name, file->info->lfs ? "sha256" : "git sha1", expected, got));
      return;
    }

  if (g_rename (incomplete, blob) != 0)
    {
      attn_hub_set_errno_error (&error, errno, blob);
      _attn_hub_download_fail (self, g_steal_pointer (&error));
      return;
    }

  if (!attn_hub_cache_link (self->repo_dir, self->commit, file->name, file->info->etag, &error))
    {
      _attn_hub_download_fail (self, g_steal_pointer (&error));
      return;
    }

  file->done = TRUE;
  _attn_hub_download_file_done (self);
}

/* A transfer that broke off: resumed with Range a few times (the bytes
 * already written stay), then reported. */
static gboolean
retry_cb (gpointer user_data)
{
  AttnHubDownload *self = user_data;

  self->retry_source = 0;
  self->n_resumes++;
  start_transfer (self);
  return G_SOURCE_REMOVE;
}

static void
transfer_failed (AttnHubDownload *self,
                 GError          *io_error)
{
  FileState *file = _attn_hub_download_current_file (self);
  GCancellable *cancellable = self->task ? g_task_get_cancellable (self->task) : NULL;
  g_autofree char *got = NULL, *total = NULL, *what = NULL, *incomplete = NULL;
  GError *error = NULL;

  _attn_hub_download_close_streams (self);

  if (g_error_matches (io_error, G_IO_ERROR, G_IO_ERROR_CANCELLED) ||
      g_cancellable_is_cancelled (cancellable))
    {
      _attn_hub_download_fail (self, g_error_new_literal (G_IO_ERROR, G_IO_ERROR_CANCELLED,
                                       _("The download was cancelled; it resumes where it stopped next time")));
      g_error_free (io_error);
      return;
    }

  if (self->attempts < MAX_ATTEMPTS)
    {
      g_debug ("%s: %s; resuming at %" G_GUINT64_FORMAT, file->name, io_error->message, file->received);
      g_error_free (io_error);
      self->retry_source = g_timeout_add (200 * self->attempts, retry_cb, self);
      return;
    }

  got = attn_hub_format_bytes (file->received);
  total = attn_hub_format_bytes (file->info->size);
  incomplete = _attn_hub_download_incomplete_path (self, file);
  what = g_strdup_printf (_("%s (after %s of %s; they are kept in %s and the next download resumes from there)"),
                          file->name, got, total, incomplete);
  attn_hub_client_set_network_error (self->client, &error, io_error, what);
  g_error_free (io_error);
  _attn_hub_download_fail (self, error);
}

static void read_next (AttnHubDownload *self);

static void
write_cb (GObject      *source,
          GAsyncResult *result,
          gpointer      user_data)
{
  AttnHubDownload *self = user_data;
  GError *error = NULL;
  gsize written = 0;

  if (!g_output_stream_write_all_finish (G_OUTPUT_STREAM (source), result, &written, &error))
    {
      if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        transfer_failed (self, error);
      else
        {
          g_autofree char *incomplete = _attn_hub_download_incomplete_path (self, _attn_hub_download_current_file (self));
          GError *disk_error = NULL;

          attn_hub_set_disk_error (&disk_error, error, incomplete);
          g_error_free (error);
          _attn_hub_download_fail (self, disk_error);
        }
      g_object_unref (self);
      return;
    }

  _attn_hub_download_add_received (self, written);
  read_next (self);
  g_object_unref (self);
}

static void
read_cb (GObject      *source,
         GAsyncResult *result,
         gpointer      user_data)
{
  AttnHubDownload *self = user_data;
  FileState *file = _attn_hub_download_current_file (self);
  g_autoptr(GBytes) bytes = NULL;
  GError *error = NULL;
  gsize size;

  bytes = g_input_stream_read_bytes_finish (G_INPUT_STREAM (source), result, &error);
  if (bytes == NULL)
    {
      transfer_failed (self, error);
      g_object_unref (self);
      return;
    }

  size = g_bytes_get_size (bytes);
  if (size == 0)
    {
      if (file->received < file->info->size)
        transfer_failed (self, g_error_new (G_IO_ERROR, G_IO_ERROR_CONNECTION_CLOSED,
                                            _("the connection closed early")));
      else
        verify_and_place (self);
      g_object_unref (self);
      return;
    }

  if (file->received + size > file->info->size)
    {
      /* The number printed apart: xgettext cuts a message at G_GUINT64_FORMAT,
       * so it could never be translated. */
      g_autofree char *announced = g_strdup_printf ("%" G_GUINT64_FORMAT, file->info->size);

      _attn_hub_download_fail (self, g_error_new (ATTN_HUB_ERROR, ATTN_HUB_ERROR_BAD_RESPONSE,
                               _("%s: the server sent more than the %s bytes it announced"),
                               file->name, announced));
      g_object_unref (self);
      return;
    }

  if (self->checksum != NULL)
    g_checksum_update (self->checksum, g_bytes_get_data (bytes, NULL), size);
  g_output_stream_write_all_async (self->out, g_bytes_get_data (bytes, NULL), size,
                                   G_PRIORITY_DEFAULT, g_task_get_cancellable (self->task),
                                   write_cb, self);
  /* write_all_async reads the data until it finishes: keep it alive. */
  g_object_set_data_full (G_OBJECT (self->out), "attn-chunk", g_steal_pointer (&bytes),
                          (GDestroyNotify) g_bytes_unref);
}

static void
read_next (AttnHubDownload *self)
{
  if (_attn_hub_download_current_file (self)->received == _attn_hub_download_current_file (self)->info->size)
    {
      /* All announced bytes are in; do not wait for the server to close. */
      verify_and_place (self);
      return;
    }
  g_input_stream_read_bytes_async (self->in, CHUNK_SIZE, G_PRIORITY_DEFAULT,
                                   g_task_get_cancellable (self->task), read_cb,
                                   g_object_ref (self));
}

/* A new checksum for @file, fed with what a git blob's hash starts with. */
static GChecksum *
new_checksum (FileState *file)
{
  GChecksum *checksum;

  if (file->info->lfs && strlen (file->info->etag) == 64)
    return g_checksum_new (G_CHECKSUM_SHA256);
  if (!file->info->lfs && strlen (file->info->etag) == 40)
    {
      g_autofree char *header = g_strdup_printf ("blob %" G_GUINT64_FORMAT, file->info->size);

      checksum = g_checksum_new (G_CHECKSUM_SHA1);
      g_checksum_update (checksum, (const guchar *) header, strlen (header) + 1);
      return checksum;
    }
  return NULL;
}

/* Opens blobs/ETAG.incomplete: appended to when @append, else emptied.
 * A plain open(): it follows a link there, as a write to the blob would. */
static gboolean
open_incomplete (AttnHubDownload  *self,
                 gboolean          append,
                 GError          **error)
{
  g_autofree char *incomplete = _attn_hub_download_incomplete_path (self, _attn_hub_download_current_file (self));
  g_autofree char *blobs = g_path_get_dirname (incomplete);
  int fd = -1;

  if (g_mkdir_with_parents (blobs, 0755) == 0)
    fd = g_open (incomplete, O_WRONLY | O_CREAT | O_CLOEXEC | (append ? O_APPEND : O_TRUNC), 0644);
  if (fd < 0)
    {
      attn_hub_set_errno_error (error, errno, incomplete);
      return FALSE;
    }
  g_clear_object (&self->out);
  self->out = g_unix_output_stream_new (fd, TRUE);
  return TRUE;
}

static void send_request (AttnHubDownload *self, const char *url);

static void
send_cb (GObject      *source,
         GAsyncResult *result,
         gpointer      user_data)
{
  AttnHubDownload *self = user_data;
  FileState *file = _attn_hub_download_current_file (self);
  SoupMessage *message = soup_session_get_async_result_message (SOUP_SESSION (source), result);
  SoupMessageHeaders *headers;
  GInputStream *in;
  GError *error = NULL;
  guint status;

  in = soup_session_send_finish (SOUP_SESSION (source), result, &error);
  if (in == NULL)
    {
      transfer_failed (self, error);
      g_object_unref (self);
      return;
    }

  status = soup_message_get_status (message);
  headers = soup_message_get_response_headers (message);

  /* An LFS file redirects to its store: followed here, not by libsoup,
   * so that HF_TOKEN never leaves the Hub's host (new_message decides). */
  if (SOUP_STATUS_IS_REDIRECTION (status) &&
      soup_message_headers_get_one (headers, "Location") != NULL &&
      self->redirects++ < MAX_REDIRECTS)
    {
      g_autoptr(GUri) target = NULL;
      g_autofree char *url = NULL;

      target = g_uri_parse_relative (soup_message_get_uri (message),
                                     soup_message_headers_get_one (headers, "Location"),
                                     G_URI_FLAGS_ENCODED, NULL);
      g_object_unref (in);
      if (target == NULL)
        _attn_hub_download_fail (self, g_error_new (ATTN_HUB_ERROR, ATTN_HUB_ERROR_BAD_RESPONSE,
                                 _("%s: the redirect goes to an invalid address"), file->name));
      else
        {
          url = g_uri_to_string (target);
          send_request (self, url);
        }
      g_object_unref (self);
      return;
    }

  if (!attn_hub_client_check_status (self->client, message, self->repo_id, self->commit,
                                     file->name, &error))
    {
      g_object_unref (in);
      _attn_hub_download_fail (self, error);
      g_object_unref (self);
      return;
    }

  /* 206: the rest of what we have.  200: the server ignored the Range,
   * so the file starts again. */
  if (status != SOUP_STATUS_PARTIAL_CONTENT && self->resume_from > 0)
    {
      self->received -= file->received;
      file->received = 0;
      self->resume_from = 0;
      g_clear_pointer (&self->checksum, g_checksum_free);
      self->checksum = new_checksum (file);
      if (!open_incomplete (self, FALSE, &error))
        {
          g_object_unref (in);
          _attn_hub_download_fail (self, error);
          g_object_unref (self);
          return;
        }
    }

  g_clear_object (&self->in);
  self->in = in;
  read_next (self);
  g_object_unref (self);
}

static void
send_request (AttnHubDownload *self,
              const char      *url)
{
  g_autoptr(SoupMessage) message = attn_hub_client_new_message (self->client, SOUP_METHOD_GET, url);

  if (message == NULL)
    {
      _attn_hub_download_fail (self, g_error_new (ATTN_HUB_ERROR, ATTN_HUB_ERROR_BAD_RESPONSE,
                               _("“%s” is not a valid URL"), url));
      return;
    }
  soup_message_add_flags (message, SOUP_MESSAGE_NO_REDIRECT);
  if (self->resume_from > 0)
    soup_message_headers_set_range (soup_message_get_request_headers (message),
                                    (goffset) self->resume_from, -1);
  soup_session_send_async (attn_hub_client_get_session (self->client), message,
                           G_PRIORITY_DEFAULT, g_task_get_cancellable (self->task),
                           send_cb, g_object_ref (self));
}

/* Hashing what an earlier run left in blobs/ETAG.incomplete: in a thread,
 * as it may be gigabytes. */
static void
hash_prefix_thread (GTask        *task,
                    gpointer      source_object,
                    gpointer      task_data,
                    GCancellable *cancellable)
{
  AttnHubDownload *self = source_object;
  const char *path = task_data;
  g_autoptr(GFile) gfile = g_file_new_for_path (path);
  g_autoptr(GFileInputStream) in = NULL;
  g_autofree guchar *buffer = g_malloc (CHUNK_SIZE);
  GError *error = NULL;
  gssize n;

  in = g_file_read (gfile, cancellable, &error);
  if (in == NULL)
    {
      g_task_return_error (task, error);
      return;
    }
  while ((n = g_input_stream_read (G_INPUT_STREAM (in), buffer, CHUNK_SIZE, cancellable, &error)) > 0)
    g_checksum_update (self->checksum, buffer, n);
  if (n < 0)
    g_task_return_error (task, error);
  else
    g_task_return_boolean (task, TRUE);
}

static void
hash_prefix_cb (GObject      *source,
                GAsyncResult *result,
                gpointer      user_data)
{
  AttnHubDownload *self = ATTN_HUB_DOWNLOAD (source);
  g_autoptr(GError) error = NULL;

  if (!g_task_propagate_boolean (G_TASK (result), &error))
    {
      transfer_failed (self, g_steal_pointer (&error));
      return;
    }
  /* An earlier run got every byte but stopped before the rename. */
  if (_attn_hub_download_current_file (self)->received == _attn_hub_download_current_file (self)->info->size)
    {
      verify_and_place (self);
      return;
    }
  {
    g_autofree char *url = attn_hub_client_resolve_url (self->client, self->repo_id,
                                                        self->commit, _attn_hub_download_current_file (self)->name);
    send_request (self, url);
  }
}

/* (Re)starts the current file's transfer from the length of its
 * .incomplete file: an earlier run's bytes, or this run's before a drop. */
static void
start_transfer (AttnHubDownload *self)
{
  FileState *file = _attn_hub_download_current_file (self);
  g_autofree char *incomplete = _attn_hub_download_incomplete_path (self, file);
  g_autofree char *url = NULL;
  g_autoptr(GError) error = NULL;
  gint64 have = file_size (incomplete);

  self->attempts++;
  self->redirects = 0;
  _attn_hub_download_set_state (self, ATTN_HUB_DOWNLOAD_RUNNING);

  /* Longer than announced: not ours to trust. */
  if (have > (gint64) file->info->size)
    have = 0;
  if (have < 0)
    have = 0;

  self->received -= file->received;
  file->received = (guint64) have;
  self->received += file->received;
  self->resume_from = (guint64) have;

  if (!open_incomplete (self, have > 0, &error))
    {
      _attn_hub_download_fail (self, g_steal_pointer (&error));
      return;
    }

  g_clear_pointer (&self->checksum, g_checksum_free);
  self->checksum = new_checksum (file);
  _attn_hub_download_emit_changed (self, TRUE);

  if (have > 0 && self->checksum != NULL)
    {
      g_autoptr(GTask) hash = g_task_new (self, g_task_get_cancellable (self->task),
                                          hash_prefix_cb, NULL);
      g_task_set_task_data (hash, g_steal_pointer (&incomplete), g_free);
      g_task_run_in_thread (hash, hash_prefix_thread);
      return;
    }
  if (have > 0 && (guint64) have == file->info->size)
    {
      verify_and_place (self);
      return;
    }

  url = attn_hub_client_resolve_url (self->client, self->repo_id, self->commit, file->name);
  send_request (self, url);
}

/* Takes CACHE/.locks/models--ORG--NAME/ETAG.lock, the file huggingface_hub
 * locks too; another process holding it is waited for. */
static gboolean
try_lock (AttnHubDownload  *self,
          gboolean         *locked,
          GError          **error)
{
  FileState *file = _attn_hub_download_current_file (self);
  g_autofree char *folder = g_path_get_basename (self->repo_dir);
  g_autofree char *lock_dir = g_build_filename (attn_hub_client_get_cache_dir (self->client),
                                                ".locks", folder, NULL);
  g_autofree char *lock_name = g_strconcat (file->info->etag, ".lock", NULL);
  g_autofree char *lock_path = g_build_filename (lock_dir, lock_name, NULL);

  *locked = FALSE;
  if (self->lock_fd < 0)
    {
      if (g_mkdir_with_parents (lock_dir, 0755) != 0 ||
          (self->lock_fd = g_open (lock_path, O_RDWR | O_CREAT | O_CLOEXEC, 0644)) < 0)
        {
          attn_hub_set_errno_error (error, errno, lock_path);
          return FALSE;
        }
    }

  if (flock (self->lock_fd, LOCK_EX | LOCK_NB) == 0)
    *locked = TRUE;
  else if (errno != EWOULDBLOCK)
    {
      attn_hub_set_errno_error (error, errno, lock_path);
      return FALSE;
    }
  return TRUE;
}

static gboolean
lock_retry_cb (gpointer user_data)
{
  AttnHubDownload *self = user_data;

  self->lock_source = 0;
  _attn_hub_download_lock_and_transfer (self);
  return G_SOURCE_REMOVE;
}

void
_attn_hub_download_lock_and_transfer (AttnHubDownload *self)
{
  FileState *file = _attn_hub_download_current_file (self);
  g_autoptr(GError) error = NULL;
  gboolean locked;

  if (g_cancellable_is_cancelled (g_task_get_cancellable (self->task)))
    {
      transfer_failed (self, g_error_new_literal (G_IO_ERROR, G_IO_ERROR_CANCELLED, "cancelled"));
      return;
    }

  if (!try_lock (self, &locked, &error))
    {
      _attn_hub_download_fail (self, g_steal_pointer (&error));
      return;
    }
  if (!locked)
    {
      _attn_hub_download_set_state (self, ATTN_HUB_DOWNLOAD_WAITING);
      self->lock_source = g_timeout_add (LOCK_RETRY_MS, lock_retry_cb, self);
      return;
    }

  /* The other process may have finished this very blob meanwhile. */
  if (_attn_hub_download_use_existing (self, file))
    return;

  self->attempts = 0;
  start_transfer (self);
}
