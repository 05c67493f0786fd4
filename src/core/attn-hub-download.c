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
#include <string.h>
#include <unistd.h>

#include <glib/gi18n.h>
#include <glib/gstdio.h>
#include <jansson.h>

#include "ae-config.h"
#include "attn-hub-cache.h"
#include "attn-hub-download-private.h"
#include "attn-hub-models.h"

#define EMIT_INTERVAL   (G_USEC_PER_SEC / 10)
#define RATE_INTERVAL   (G_USEC_PER_SEC / 2)

/* The tokenizer files the engine reads or may read; whichever of them the
 * repo has are fetched. */
static const char *const tokenizer_files[] = {
  "vocab.json", "merges.txt", "tokenizer.json", "tokenizer_config.json", "vocab.txt",
  "special_tokens_map.json", "tokenizer.model",
};

G_DEFINE_FINAL_TYPE (AttnHubDownload, attn_hub_download, G_TYPE_OBJECT)

enum { CHANGED, N_SIGNALS };
static guint signals [N_SIGNALS];

static void next_file (AttnHubDownload *self);
static void head_next (AttnHubDownload *self);

static void
file_state_free (FileState *file)
{
  g_free (file->name);
  attn_hub_file_info_free (file->info);
  g_free (file);
}

FileState *
_attn_hub_download_current_file (AttnHubDownload *self)
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

void
_attn_hub_download_emit_changed (AttnHubDownload *self,
              gboolean         force)
{
  gint64 now = g_get_monotonic_time ();

  if (!force && now - self->last_emit < EMIT_INTERVAL)
    return;
  self->last_emit = now;
  g_signal_emit (self, signals [CHANGED], 0);
}

void
_attn_hub_download_set_state (AttnHubDownload      *self,
           AttnHubDownloadState  state)
{
  if (self->state == state)
    return;
  self->state = state;
  _attn_hub_download_emit_changed (self, TRUE);
}

/* Adds @n bytes just written; the rate is a moving average over
 * half-second windows, so one slow chunk does not swing the time left. */
void
_attn_hub_download_add_received (AttnHubDownload *self,
              guint64          n)
{
  gint64 now = g_get_monotonic_time ();

  _attn_hub_download_current_file (self)->received += n;
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
  _attn_hub_download_emit_changed (self, FALSE);
}

/* ------------------------------------------------------------------------ */
/* Ending                                                                     */
/* ------------------------------------------------------------------------ */

void
_attn_hub_download_fail (AttnHubDownload *self,
      GError          *error)
{
  g_autoptr(GTask) task = g_steal_pointer (&self->task);

  _attn_hub_download_close_streams (self);
  _attn_hub_download_release_lock (self);
  g_clear_handle_id (&self->retry_source, g_source_remove);
  self->current = -1;
  _attn_hub_download_set_state (self, ATTN_HUB_DOWNLOAD_FAILED);
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
  _attn_hub_download_set_state (self, ATTN_HUB_DOWNLOAD_DONE);
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
      _attn_hub_download_fail (self, g_steal_pointer (&error));
      return;
    }
  if (!attn_hub_check_model_dir (self->snapshot, &error))
    {
      _attn_hub_download_fail (self, g_error_new (ATTN_HUB_ERROR, ATTN_HUB_ERROR_UNSUPPORTED,
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

void
_attn_hub_download_file_done (AttnHubDownload *self)
{
  FileState *file = _attn_hub_download_current_file (self);
  g_autoptr(GError) error = NULL;

  _attn_hub_download_release_lock (self);

  if (g_strcmp0 (file->name, "config.json") == 0)
    {
      g_autofree char *blob = _attn_hub_download_blob_path (self, file);
      g_autofree char *path = g_build_filename (self->snapshot, "config.json", NULL);
      AeConfig config;
      AeError ae_error = { 0 };

      /* The engine's parser decides before gigabytes of weights arrive.
       * What came is kept, and refs/ points at it, as promised. */
      if (ae_config_load (&config, g_file_test (path, G_FILE_TEST_EXISTS) ? path : blob,
                          &ae_error) != AE_STATUS_OK)
        {
          attn_hub_cache_write_ref (self->repo_dir, self->revision, self->commit, NULL);
          _attn_hub_download_fail (self, g_error_new (ATTN_HUB_ERROR, ATTN_HUB_ERROR_UNSUPPORTED,
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
          _attn_hub_download_fail (self, g_steal_pointer (&error));
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
next_file (AttnHubDownload *self)
{
  for (guint i = 0; i < self->files->len; i++)
    {
      FileState *file = g_ptr_array_index (self->files, i);

      if (file->done)
        continue;

      self->current = (int) i;
      if (!_attn_hub_download_use_existing (self, file))
        _attn_hub_download_lock_and_transfer (self);
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
      _attn_hub_download_fail (self, error);
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
  _attn_hub_download_emit_changed (self, TRUE);
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
      _attn_hub_download_fail (self, g_steal_pointer (&error));
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
      _attn_hub_download_fail (self, error);
      g_object_unref (self);
      return;
    }

  self->snapshot = g_build_filename (self->repo_dir, "snapshots", self->commit, NULL);
  _attn_hub_download_emit_changed (self, TRUE);
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
      _attn_hub_download_fail (self, g_error_new (ATTN_HUB_ERROR, ATTN_HUB_ERROR_INVALID_ID,
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
        _attn_hub_download_fail (self, g_error_new (ATTN_HUB_ERROR, ATTN_HUB_ERROR_OFFLINE,
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
