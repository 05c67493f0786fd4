/* attn-hub-download.c
 *
 * Copyright 2026 The Attention authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The order of things, as huggingface_hub does them: ask the revision API
 * for the commit and the file list; HEAD each wanted file for its blob
 * (etag) and size; then per file, under CACHE/.locks/…/ETAG.lock, GET it
 * into blobs/ETAG.incomplete (Range from its length), check its hash,
 * rename it to blobs/ETAG and link snapshots/COMMIT/FILE to it.  refs/REV
 * is written last, so a model only resolves once it is whole.
 *
 * Everything runs on the main loop: reads and writes are asynchronous,
 * and hashing a partial file from an earlier run happens in a thread.
 */

#define G_LOG_DOMAIN "attn-hub"

#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <sys/file.h>
#include <unistd.h>

#include <glib/gi18n.h>
#include <gio/gunixoutputstream.h>
#include <glib/gstdio.h>
#include <jansson.h>

#include "ae-config.h"
#include "attn-hub-cache.h"
#include "attn-hub-download.h"
#include "attn-hub-models.h"

#define CHUNK_SIZE      (256 * 1024)
#define MAX_ATTEMPTS    4      /* one transfer plus three resumes */
#define MAX_REDIRECTS   5
#define LOCK_RETRY_MS   250
#define EMIT_INTERVAL   (G_USEC_PER_SEC / 10)
#define RATE_INTERVAL   (G_USEC_PER_SEC / 2)

/* The tokenizer files the engine reads or may read; whichever of them the
 * repo has are fetched. */
static const char *const tokenizer_files[] = {
  "vocab.json", "merges.txt", "tokenizer.json", "tokenizer_config.json",
  "special_tokens_map.json", "tokenizer.model",
};

typedef struct
{
  char            *name;
  AttnHubFileInfo *info;      /* NULL until its HEAD answered */
  guint64          received;
  gboolean         done;
} FileState;

struct _AttnHubDownload
{
  GObject               parent_instance;

  AttnHubClient        *client;
  char                 *repo_id;
  char                 *revision;
  char                 *commit;
  char                 *repo_dir;
  char                 *snapshot;
  GPtrArray            *files;       /* FileState */
  GStrv                 repo_files;  /* every file name in the repo */
  AttnHubDownloadState  state;
  GTask                *task;        /* owned while running */

  /* the current file's transfer */
  int                   current;
  int                   lock_fd;
  guint                 lock_source;
  guint                 retry_source;
  guint                 attempts;
  guint                 redirects;
  guint64               resume_from;
  GChecksum            *checksum;
  GInputStream         *in;
  GOutputStream        *out;

  /* totals */
  guint64               size;
  guint64               received;
  guint                 n_resumes;
  double                rate;
  gint64                rate_time;
  guint64               rate_bytes;
  gint64                last_emit;
};

G_DEFINE_FINAL_TYPE (AttnHubDownload, attn_hub_download, G_TYPE_OBJECT)

enum { CHANGED, N_SIGNALS };
static guint signals [N_SIGNALS];

static void next_file (AttnHubDownload *self);
static void head_next (AttnHubDownload *self);
static void start_transfer (AttnHubDownload *self);

static void
file_state_free (FileState *file)
{
  g_free (file->name);
  attn_hub_file_info_free (file->info);
  g_free (file);
}

static FileState *
current_file (AttnHubDownload *self)
{
  return self->current >= 0 ? g_ptr_array_index (self->files, self->current) : NULL;
}

static void
attn_hub_download_dispose (GObject *object)
{
  AttnHubDownload *self = ATTN_HUB_DOWNLOAD (object);

  g_clear_handle_id (&self->lock_source, g_source_remove);
  g_clear_handle_id (&self->retry_source, g_source_remove);
  g_clear_object (&self->in);
  g_clear_object (&self->out);
  g_clear_object (&self->task);
  g_clear_object (&self->client);

  G_OBJECT_CLASS (attn_hub_download_parent_class)->dispose (object);
}

static void
attn_hub_download_finalize (GObject *object)
{
  AttnHubDownload *self = ATTN_HUB_DOWNLOAD (object);

  if (self->lock_fd >= 0)
    close (self->lock_fd);
  g_clear_pointer (&self->checksum, g_checksum_free);
  g_clear_pointer (&self->files, g_ptr_array_unref);
  g_clear_pointer (&self->repo_files, g_strfreev);
  g_free (self->repo_id);
  g_free (self->revision);
  g_free (self->commit);
  g_free (self->repo_dir);
  g_free (self->snapshot);

  G_OBJECT_CLASS (attn_hub_download_parent_class)->finalize (object);
}

static void
attn_hub_download_class_init (AttnHubDownloadClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = attn_hub_download_dispose;
  object_class->finalize = attn_hub_download_finalize;

  /**
   * AttnHubDownload::changed:
   *
   * The state, the file list or the bytes received changed (at most ten
   * times a second for bytes).
   */
  signals [CHANGED] =
    g_signal_new ("changed", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL, G_TYPE_NONE, 0);
}

static void
attn_hub_download_init (AttnHubDownload *self)
{
  self->files = g_ptr_array_new_with_free_func ((GDestroyNotify) file_state_free);
  self->current = -1;
  self->lock_fd = -1;
}

AttnHubDownload *
attn_hub_download_new (AttnHubClient *client,
                       const char    *repo_id,
                       const char    *revision)
{
  AttnHubDownload *self;

  g_return_val_if_fail (ATTN_IS_HUB_CLIENT (client), NULL);
  g_return_val_if_fail (repo_id != NULL, NULL);

  self = g_object_new (ATTN_TYPE_HUB_DOWNLOAD, NULL);
  self->client = g_object_ref (client);
  self->repo_id = g_strdup (repo_id);
  self->revision = g_strdup (revision ? revision : "main");
  self->repo_dir = attn_hub_repo_dir (attn_hub_client_get_cache_dir (client), repo_id);
  return self;
}

/* ------------------------------------------------------------------------ */
/* Progress                                                                   */
/* ------------------------------------------------------------------------ */

static void
emit_changed (AttnHubDownload *self,
              gboolean         force)
{
  gint64 now = g_get_monotonic_time ();

  if (!force && now - self->last_emit < EMIT_INTERVAL)
    return;
  self->last_emit = now;
  g_signal_emit (self, signals [CHANGED], 0);
}

static void
set_state (AttnHubDownload      *self,
           AttnHubDownloadState  state)
{
  if (self->state == state)
    return;
  self->state = state;
  emit_changed (self, TRUE);
}

/* Adds @n bytes just written; the rate is a moving average over
 * half-second windows, so one slow chunk does not swing the time left. */
static void
add_received (AttnHubDownload *self,
              guint64          n)
{
  gint64 now = g_get_monotonic_time ();

  current_file (self)->received += n;
  self->received += n;
  self->rate_bytes += n;

  if (self->rate_time == 0)
    self->rate_time = now;
  else if (now - self->rate_time >= RATE_INTERVAL)
    {
      double sample = self->rate_bytes * (double) G_USEC_PER_SEC / (now - self->rate_time);

      self->rate = self->rate > 0 ? 0.7 * self->rate + 0.3 * sample : sample;
      self->rate_time = now;
      self->rate_bytes = 0;
    }
  emit_changed (self, FALSE);
}

/* ------------------------------------------------------------------------ */
/* Ending                                                                     */
/* ------------------------------------------------------------------------ */

static void
release_lock (AttnHubDownload *self)
{
  g_clear_handle_id (&self->lock_source, g_source_remove);
  if (self->lock_fd >= 0)
    {
      flock (self->lock_fd, LOCK_UN);
      close (self->lock_fd);
      self->lock_fd = -1;
    }
}

static void
close_streams (AttnHubDownload *self)
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

static void
fail (AttnHubDownload *self,
      GError          *error)
{
  g_autoptr(GTask) task = g_steal_pointer (&self->task);

  close_streams (self);
  release_lock (self);
  g_clear_handle_id (&self->retry_source, g_source_remove);
  self->current = -1;
  set_state (self, ATTN_HUB_DOWNLOAD_FAILED);
  if (task != NULL)
    g_task_return_error (task, error);
  else
    g_error_free (error);
}

static void
succeed (AttnHubDownload *self)
{
  g_autoptr(GTask) task = g_steal_pointer (&self->task);

  self->current = -1;
  set_state (self, ATTN_HUB_DOWNLOAD_DONE);
  g_task_return_pointer (task, g_strdup (self->snapshot), g_free);
}

/* All files are in: refs/REVISION now points at the snapshot, and the
 * engine says whether it can run it. */
static void
finish (AttnHubDownload *self)
{
  g_autoptr(GError) error = NULL;

  if (!attn_hub_cache_write_ref (self->repo_dir, self->revision, self->commit, &error))
    {
      fail (self, g_steal_pointer (&error));
      return;
    }
  if (!attn_hub_check_model_dir (self->snapshot, &error))
    {
      fail (self, g_error_new (ATTN_HUB_ERROR, ATTN_HUB_ERROR_UNSUPPORTED,
                               _("%s was downloaded to %s, but Attention cannot open it: %s"),
                               self->repo_id, self->snapshot, error->message));
      return;
    }
  succeed (self);
}

/* ------------------------------------------------------------------------ */
/* Choosing the files                                                         */
/* ------------------------------------------------------------------------ */

static gboolean
repo_has (AttnHubDownload *self,
          const char      *name)
{
  return self->repo_files != NULL && g_strv_contains ((const char * const *) self->repo_files, name);
}

static void
add_file (AttnHubDownload *self,
          const char      *name)
{
  FileState *file = g_new0 (FileState, 1);

  file->name = g_strdup (name);
  g_ptr_array_add (self->files, file);
}

/* config.json first (its architecture decides whether the rest is worth
 * fetching), then the tokenizer, then the weights. */
static gboolean
choose_files (AttnHubDownload  *self,
              GError          **error)
{
  if (!repo_has (self, "config.json"))
    {
      g_set_error (error, ATTN_HUB_ERROR, ATTN_HUB_ERROR_NO_WEIGHTS,
                   _("%s has no config.json: it is not a transformers model"), self->repo_id);
      return FALSE;
    }
  add_file (self, "config.json");

  for (guint i = 0; i < G_N_ELEMENTS (tokenizer_files); i++)
    if (repo_has (self, tokenizer_files[i]))
      add_file (self, tokenizer_files[i]);

  if (repo_has (self, "model.safetensors"))
    add_file (self, "model.safetensors");
  else if (repo_has (self, "model.safetensors.index.json"))
    add_file (self, "model.safetensors.index.json");
  else
    {
      g_set_error (error, ATTN_HUB_ERROR, ATTN_HUB_ERROR_NO_WEIGHTS,
                   repo_has (self, "pytorch_model.bin")
                   ? _("%s has only pytorch_model.bin (a PyTorch pickle), no model.safetensors: Attention reads safetensors only")
                   : _("%s has no model.safetensors"),
                   self->repo_id);
      return FALSE;
    }
  return TRUE;
}

/* After the index is in: its shards join the list. */
static gboolean
add_shards (AttnHubDownload  *self,
            const char       *index_path,
            GError          **error)
{
  json_error_t jerror;
  json_t *root = json_load_file (index_path, 0, &jerror);
  json_t *map, *value;
  const char *key;

  map = json_object_get (root, "weight_map");
  if (!json_is_object (map))
    {
      g_set_error (error, ATTN_HUB_ERROR, ATTN_HUB_ERROR_BAD_RESPONSE,
                   _("%s: model.safetensors.index.json has no “weight_map”"), self->repo_id);
      json_decref (root);
      return FALSE;
    }

  json_object_foreach (map, key, value)
    {
      const char *shard = json_string_value (value);
      gboolean listed = FALSE;

      /* Only names the repo really has: the index must not send us
       * elsewhere in the file system. */
      if (shard == NULL || !repo_has (self, shard) || strstr (shard, "..") != NULL)
        {
          g_set_error (error, ATTN_HUB_ERROR, ATTN_HUB_ERROR_BAD_RESPONSE,
                       _("%s: model.safetensors.index.json names a shard “%s” the repo does not have"),
                       self->repo_id, shard ? shard : "?");
          json_decref (root);
          return FALSE;
        }
      for (guint i = 0; i < self->files->len && !listed; i++)
        listed = g_strcmp0 (((FileState *) g_ptr_array_index (self->files, i))->name, shard) == 0;
      if (!listed)
        add_file (self, shard);
    }
  json_decref (root);
  return TRUE;
}

/* ------------------------------------------------------------------------ */
/* Paths                                                                      */
/* ------------------------------------------------------------------------ */

static char *
blob_path (AttnHubDownload *self,
           FileState       *file)
{
  return g_build_filename (self->repo_dir, "blobs", file->info->etag, NULL);
}

static char *
incomplete_path (AttnHubDownload *self,
                 FileState       *file)
{
  g_autofree char *blob = blob_path (self, file);

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
/* Disk space                                                                 */
/* ------------------------------------------------------------------------ */

static gboolean
check_free_space (AttnHubDownload  *self,
                  GError          **error)
{
  g_autoptr(GFile) dir = g_file_new_for_path (self->repo_dir);
  g_autoptr(GFileInfo) info = NULL;
  guint64 needed = 0, free_bytes;

  for (guint i = 0; i < self->files->len; i++)
    {
      FileState *file = g_ptr_array_index (self->files, i);
      if (!file->done)
        needed += file->info->size - MIN (file->info->size, file->received);
    }

  info = g_file_query_filesystem_info (dir, G_FILE_ATTRIBUTE_FILESYSTEM_FREE, NULL, NULL);
  if (info == NULL || !g_file_info_has_attribute (info, G_FILE_ATTRIBUTE_FILESYSTEM_FREE))
    return TRUE;
  free_bytes = g_file_info_get_attribute_uint64 (info, G_FILE_ATTRIBUTE_FILESYSTEM_FREE);
  if (free_bytes >= needed)
    return TRUE;

  {
    g_autofree char *need_text = attn_hub_format_bytes (needed);
    g_autofree char *free_text = attn_hub_format_bytes (free_bytes);

    g_set_error (error, ATTN_HUB_ERROR, ATTN_HUB_ERROR_DISK,
                 _("not enough space for %s in %s: it needs %s more, %s are free (free some space, or set HF_HUB_CACHE to a folder on another disk)"),
                 self->repo_id, attn_hub_client_get_cache_dir (self->client), need_text, free_text);
  }
  return FALSE;
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
  g_autofree char *blob = blob_path (self, file);
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

static void
file_done (AttnHubDownload *self)
{
  FileState *file = current_file (self);
  g_autoptr(GError) error = NULL;

  release_lock (self);

  if (g_strcmp0 (file->name, "config.json") == 0)
    {
      g_autofree char *blob = blob_path (self, file);
      g_autofree char *path = g_build_filename (self->snapshot, "config.json", NULL);
      AeConfig config;
      AeError ae_error = { 0 };

      /* The engine's parser decides before gigabytes of weights arrive.
       * What came is kept, and refs/ points at it, as promised. */
      if (ae_config_load (&config, g_file_test (path, G_FILE_TEST_EXISTS) ? path : blob,
                          &ae_error) != AE_STATUS_OK)
        {
          attn_hub_cache_write_ref (self->repo_dir, self->revision, self->commit, NULL);
          fail (self, g_error_new (ATTN_HUB_ERROR, ATTN_HUB_ERROR_UNSUPPORTED,
                                   _("Attention cannot run %s: %s (the downloaded files are kept in %s)"),
                                   self->repo_id, ae_error.message, self->snapshot));
          return;
        }
    }

  if (g_strcmp0 (file->name, "model.safetensors.index.json") == 0)
    {
      g_autofree char *path = g_build_filename (self->snapshot, file->name, NULL);
      guint before = self->files->len;

      if (!add_shards (self, path, &error))
        {
          fail (self, g_steal_pointer (&error));
          return;
        }
      if (self->files->len > before)
        {
          /* HEAD the shards, then carry on. */
          head_next (self);
          return;
        }
    }

  next_file (self);
}

static void
verify_and_place (AttnHubDownload *self)
{
  FileState *file = current_file (self);
  g_autofree char *incomplete = incomplete_path (self, file);
  g_autofree char *blob = blob_path (self, file);
  const char *digest;
  gsize expected_len;
  g_autoptr(GError) error = NULL;

  close_streams (self);

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
      fail (self, g_error_new (ATTN_HUB_ERROR, ATTN_HUB_ERROR_CHECKSUM,
                               _("%s: the downloaded bytes do not match the %s the Hub announced (expected %s, got %s); the damaged file was deleted, download again"),
                               file->name, file->info->lfs ? "sha256" : "git sha1", expected, got));
      return;
    }

  if (g_rename (incomplete, blob) != 0)
    {
      attn_hub_set_errno_error (&error, errno, blob);
      fail (self, g_steal_pointer (&error));
      return;
    }

  if (!attn_hub_cache_link (self->repo_dir, self->commit, file->name, file->info->etag, &error))
    {
      fail (self, g_steal_pointer (&error));
      return;
    }

  file->done = TRUE;
  file_done (self);
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
  FileState *file = current_file (self);
  GCancellable *cancellable = self->task ? g_task_get_cancellable (self->task) : NULL;
  g_autofree char *got = NULL, *total = NULL, *what = NULL, *incomplete = NULL;
  GError *error = NULL;

  close_streams (self);

  if (g_error_matches (io_error, G_IO_ERROR, G_IO_ERROR_CANCELLED) ||
      g_cancellable_is_cancelled (cancellable))
    {
      fail (self, g_error_new_literal (G_IO_ERROR, G_IO_ERROR_CANCELLED,
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
  incomplete = incomplete_path (self, file);
  what = g_strdup_printf (_("%s (after %s of %s; they are kept in %s and the next download resumes from there)"),
                          file->name, got, total, incomplete);
  attn_hub_client_set_network_error (self->client, &error, io_error, what);
  g_error_free (io_error);
  fail (self, error);
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
          g_autofree char *incomplete = incomplete_path (self, current_file (self));
          GError *disk_error = NULL;

          attn_hub_set_disk_error (&disk_error, error, incomplete);
          g_error_free (error);
          fail (self, disk_error);
        }
      g_object_unref (self);
      return;
    }

  add_received (self, written);
  read_next (self);
  g_object_unref (self);
}

static void
read_cb (GObject      *source,
         GAsyncResult *result,
         gpointer      user_data)
{
  AttnHubDownload *self = user_data;
  FileState *file = current_file (self);
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
      fail (self, g_error_new (ATTN_HUB_ERROR, ATTN_HUB_ERROR_BAD_RESPONSE,
                               _("%s: the server sent more than the %" G_GUINT64_FORMAT " bytes it announced"),
                               file->name, file->info->size));
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
  if (current_file (self)->received == current_file (self)->info->size)
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
  g_autofree char *incomplete = incomplete_path (self, current_file (self));
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
  FileState *file = current_file (self);
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
        fail (self, g_error_new (ATTN_HUB_ERROR, ATTN_HUB_ERROR_BAD_RESPONSE,
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
      fail (self, error);
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
          fail (self, error);
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
      fail (self, g_error_new (ATTN_HUB_ERROR, ATTN_HUB_ERROR_BAD_RESPONSE,
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
  if (current_file (self)->received == current_file (self)->info->size)
    {
      verify_and_place (self);
      return;
    }
  {
    g_autofree char *url = attn_hub_client_resolve_url (self->client, self->repo_id,
                                                        self->commit, current_file (self)->name);
    send_request (self, url);
  }
}

/* (Re)starts the current file's transfer from the length of its
 * .incomplete file: an earlier run's bytes, or this run's before a drop. */
static void
start_transfer (AttnHubDownload *self)
{
  FileState *file = current_file (self);
  g_autofree char *incomplete = incomplete_path (self, file);
  g_autofree char *url = NULL;
  g_autoptr(GError) error = NULL;
  gint64 have = file_size (incomplete);

  self->attempts++;
  self->redirects = 0;
  set_state (self, ATTN_HUB_DOWNLOAD_RUNNING);

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
      fail (self, g_steal_pointer (&error));
      return;
    }

  g_clear_pointer (&self->checksum, g_checksum_free);
  self->checksum = new_checksum (file);
  emit_changed (self, TRUE);

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
  FileState *file = current_file (self);
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

static void lock_and_transfer (AttnHubDownload *self);

static gboolean
lock_retry_cb (gpointer user_data)
{
  AttnHubDownload *self = user_data;

  self->lock_source = 0;
  lock_and_transfer (self);
  return G_SOURCE_REMOVE;
}

static void
lock_and_transfer (AttnHubDownload *self)
{
  FileState *file = current_file (self);
  g_autoptr(GError) error = NULL;
  gboolean locked, placed;

  if (g_cancellable_is_cancelled (g_task_get_cancellable (self->task)))
    {
      transfer_failed (self, g_error_new_literal (G_IO_ERROR, G_IO_ERROR_CANCELLED, "cancelled"));
      return;
    }

  if (!try_lock (self, &locked, &error))
    {
      fail (self, g_steal_pointer (&error));
      return;
    }
  if (!locked)
    {
      set_state (self, ATTN_HUB_DOWNLOAD_WAITING);
      self->lock_source = g_timeout_add (LOCK_RETRY_MS, lock_retry_cb, self);
      return;
    }

  /* The other process may have finished this very blob meanwhile. */
  if (!place_existing (self, file, &placed, &error))
    {
      fail (self, g_steal_pointer (&error));
      return;
    }
  if (placed)
    {
      emit_changed (self, TRUE);
      file_done (self);
      return;
    }

  self->attempts = 0;
  start_transfer (self);
}

static void
next_file (AttnHubDownload *self)
{
  for (guint i = 0; i < self->files->len; i++)
    {
      FileState *file = g_ptr_array_index (self->files, i);
      g_autoptr(GError) error = NULL;
      gboolean placed;

      if (file->done)
        continue;

      self->current = (int) i;
      if (!place_existing (self, file, &placed, &error))
        {
          fail (self, g_steal_pointer (&error));
          return;
        }
      if (placed)
        {
          emit_changed (self, TRUE);
          file_done (self);
          return;
        }
      lock_and_transfer (self);
      return;
    }

  finish (self);
}

/* ------------------------------------------------------------------------ */
/* Resolving: the revision, then a HEAD per file                              */
/* ------------------------------------------------------------------------ */

static void
head_cb (GObject      *source,
         GAsyncResult *result,
         gpointer      user_data)
{
  AttnHubDownload *self = user_data;
  AttnHubFileInfo *info;
  GError *error = NULL;

  info = attn_hub_client_head_finish (ATTN_HUB_CLIENT (source), result, &error);
  if (info == NULL)
    {
      fail (self, error);
      g_object_unref (self);
      return;
    }

  for (guint i = 0; i < self->files->len; i++)
    {
      FileState *file = g_ptr_array_index (self->files, i);
      if (file->info == NULL && g_strcmp0 (file->name, info->filename) == 0)
        {
          file->info = info;
          self->size += info->size;
          break;
        }
    }
  emit_changed (self, TRUE);
  head_next (self);
  g_object_unref (self);
}

static void
head_next (AttnHubDownload *self)
{
  g_autoptr(GError) error = NULL;

  for (guint i = 0; i < self->files->len; i++)
    {
      FileState *file = g_ptr_array_index (self->files, i);
      if (file->info == NULL)
        {
          attn_hub_client_head_async (self->client, self->repo_id, self->commit, file->name,
                                      g_task_get_cancellable (self->task), head_cb,
                                      g_object_ref (self));
          return;
        }
    }

  if (!check_free_space (self, &error))
    {
      fail (self, g_steal_pointer (&error));
      return;
    }
  next_file (self);
}

static void
revision_cb (GObject      *source,
             GAsyncResult *result,
             gpointer      user_data)
{
  AttnHubDownload *self = user_data;
  GError *error = NULL;

  self->commit = attn_hub_client_get_revision_finish (ATTN_HUB_CLIENT (source), result,
                                                      &self->repo_files, &error);
  if (self->commit == NULL || !choose_files (self, &error))
    {
      fail (self, error);
      g_object_unref (self);
      return;
    }

  self->snapshot = g_build_filename (self->repo_dir, "snapshots", self->commit, NULL);
  emit_changed (self, TRUE);
  head_next (self);
  g_object_unref (self);
}

void
attn_hub_download_run_async (AttnHubDownload     *self,
                             GCancellable        *cancellable,
                             GAsyncReadyCallback  callback,
                             gpointer             user_data)
{
  g_return_if_fail (ATTN_IS_HUB_DOWNLOAD (self));
  g_return_if_fail (self->task == NULL);

  self->task = g_task_new (self, cancellable, callback, user_data);
  self->state = ATTN_HUB_DOWNLOAD_RESOLVING;

  if (!attn_hub_is_repo_id (self->repo_id))
    {
      fail (self, g_error_new (ATTN_HUB_ERROR, ATTN_HUB_ERROR_INVALID_ID,
                               _("“%s” is not a Hugging Face repo id (ORG/NAME)"), self->repo_id));
      return;
    }

  /* HF_HUB_OFFLINE=1: no request at all; a cached model is the answer. */
  if (attn_hub_client_get_offline (self->client))
    {
      g_autoptr(GError) error = NULL;

      self->snapshot = attn_hub_cache_snapshot (attn_hub_client_get_cache_dir (self->client),
                                                self->repo_id, self->revision, &error);
      if (self->snapshot == NULL)
        fail (self, g_error_new (ATTN_HUB_ERROR, ATTN_HUB_ERROR_OFFLINE,
                                 _("HF_HUB_OFFLINE=1 forbids the network, and %s"), error->message));
      else
        succeed (self);
      return;
    }

  attn_hub_client_get_revision_async (self->client, self->repo_id, self->revision,
                                      cancellable, revision_cb, g_object_ref (self));
}

char *
attn_hub_download_run_finish (AttnHubDownload  *self,
                              GAsyncResult     *result,
                              GError          **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);
  return g_task_propagate_pointer (G_TASK (result), error);
}

/* ------------------------------------------------------------------------ */
/* Getters                                                                    */
/* ------------------------------------------------------------------------ */

const char *
attn_hub_download_get_repo_id (AttnHubDownload *self)
{
  g_return_val_if_fail (ATTN_IS_HUB_DOWNLOAD (self), NULL);
  return self->repo_id;
}

const char *
attn_hub_download_get_snapshot_dir (AttnHubDownload *self)
{
  g_return_val_if_fail (ATTN_IS_HUB_DOWNLOAD (self), NULL);
  return self->snapshot;
}

AttnHubDownloadState
attn_hub_download_get_state (AttnHubDownload *self)
{
  g_return_val_if_fail (ATTN_IS_HUB_DOWNLOAD (self), ATTN_HUB_DOWNLOAD_FAILED);
  return self->state;
}

guint
attn_hub_download_get_n_files (AttnHubDownload *self)
{
  g_return_val_if_fail (ATTN_IS_HUB_DOWNLOAD (self), 0);
  return self->files->len;
}

static FileState *
get_file (AttnHubDownload *self,
          guint            index)
{
  g_return_val_if_fail (ATTN_IS_HUB_DOWNLOAD (self), NULL);
  g_return_val_if_fail (index < self->files->len, NULL);
  return g_ptr_array_index (self->files, index);
}

const char *
attn_hub_download_get_file_name (AttnHubDownload *self,
                                 guint            index)
{
  FileState *file = get_file (self, index);
  return file ? file->name : NULL;
}

guint64
attn_hub_download_get_file_size (AttnHubDownload *self,
                                 guint            index)
{
  FileState *file = get_file (self, index);
  return file && file->info ? file->info->size : 0;
}

guint64
attn_hub_download_get_file_received (AttnHubDownload *self,
                                     guint            index)
{
  FileState *file = get_file (self, index);
  return file ? file->received : 0;
}

int
attn_hub_download_get_current_file (AttnHubDownload *self)
{
  g_return_val_if_fail (ATTN_IS_HUB_DOWNLOAD (self), -1);
  return self->current;
}

guint64
attn_hub_download_get_size (AttnHubDownload *self)
{
  g_return_val_if_fail (ATTN_IS_HUB_DOWNLOAD (self), 0);
  return self->size;
}

guint64
attn_hub_download_get_received (AttnHubDownload *self)
{
  g_return_val_if_fail (ATTN_IS_HUB_DOWNLOAD (self), 0);
  return self->received;
}

double
attn_hub_download_get_rate (AttnHubDownload *self)
{
  g_return_val_if_fail (ATTN_IS_HUB_DOWNLOAD (self), 0);
  return self->rate;
}

double
attn_hub_download_get_seconds_left (AttnHubDownload *self)
{
  g_return_val_if_fail (ATTN_IS_HUB_DOWNLOAD (self), -1);
  if (self->rate <= 0 || self->received > self->size)
    return -1;
  return (self->size - self->received) / self->rate;
}

double
attn_hub_download_get_file_seconds_left (AttnHubDownload *self,
                                         guint            index)
{
  FileState *file = get_file (self, index);

  if (file == NULL || file->info == NULL || self->rate <= 0 || file->received > file->info->size)
    return -1;
  return (file->info->size - file->received) / self->rate;
}

guint
attn_hub_download_get_n_resumes (AttnHubDownload *self)
{
  g_return_val_if_fail (ATTN_IS_HUB_DOWNLOAD (self), 0);
  return self->n_resumes;
}

char *
attn_hub_format_bytes (guint64 bytes)
{
  return g_format_size (bytes);
}

char *
attn_hub_format_params (guint64 n)
{
  if (n >= 1000000000)
    return g_strdup_printf ("%.1f B", n / 1e9);
  if (n >= 1000000)
    return g_strdup_printf ("%.1f M", n / 1e6);
  return g_strdup_printf ("%.1f K", n / 1e3);
}

char *
attn_hub_format_seconds (double seconds)
{
  guint s;

  if (seconds < 0)
    return g_strdup ("—");
  s = (guint) (seconds + 0.5);
  if (s < 60)
    /* Translators: time left, in seconds */
    return g_strdup_printf (_("%u s"), s);
  if (s < 3600)
    /* Translators: time left, minutes and seconds */
    return g_strdup_printf (_("%u min %02u s"), s / 60, s % 60);
  /* Translators: time left, hours and minutes */
  return g_strdup_printf (_("%u h %02u min"), s / 3600, (s / 60) % 60);
}
