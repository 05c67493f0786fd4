/* attn-hub-cache.c
 *
 * Copyright 2026 The Attention authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Paths in the Hugging Face cache and the few writes that make a
 * snapshot: refs and the snapshot's links to blobs.  Downloading the
 * blobs themselves is attn-hub-download.c's job.
 */

#define G_LOG_DOMAIN "attn-hub"

#include "config.h"

#include <errno.h>
#include <string.h>
#include <unistd.h>

#include <glib/gi18n.h>
#include <glib/gstdio.h>

#include "attn-hub-cache.h"

G_DEFINE_QUARK (attn-hub-error-quark, attn_hub_error)

char *
attn_hub_cache_dir (void)
{
  const char *value;

  if ((value = g_getenv ("HF_HUB_CACHE")) != NULL && value[0] != '\0')
    return g_strdup (value);
  if ((value = g_getenv ("HF_HOME")) != NULL && value[0] != '\0')
    return g_build_filename (value, "hub", NULL);
  /* Not g_get_user_cache_dir (): GLib caches the variable at first use,
   * and huggingface_hub reads it afresh. */
  if ((value = g_getenv ("XDG_CACHE_HOME")) != NULL && value[0] != '\0')
    return g_build_filename (value, "huggingface", "hub", NULL);
  return g_build_filename (g_get_home_dir (), ".cache", "huggingface", "hub", NULL);
}

static gboolean
is_name_part (const char *part,
              gsize       len)
{
  if (len == 0 || len > 96)
    return FALSE;
  if (part[0] == '-' || part[0] == '.' || part[len - 1] == '-' || part[len - 1] == '.')
    return FALSE;
  for (gsize i = 0; i < len; i++)
    {
      if (!g_ascii_isalnum (part[i]) && part[i] != '-' && part[i] != '_' && part[i] != '.')
        return FALSE;
      if (i > 0 && ((part[i] == '-' && part[i - 1] == '-') || (part[i] == '.' && part[i - 1] == '.')))
        return FALSE;
    }
  return TRUE;
}

gboolean
attn_hub_is_repo_id (const char *text)
{
  const char *slash;

  if (text == NULL)
    return FALSE;

  slash = strchr (text, '/');
  if (slash == NULL)
    return is_name_part (text, strlen (text));
  return is_name_part (text, slash - text) && is_name_part (slash + 1, strlen (slash + 1));
}

gboolean
attn_hub_is_commit (const char *text)
{
  if (text == NULL || strlen (text) != 40)
    return FALSE;
  for (guint i = 0; i < 40; i++)
    if (!g_ascii_isxdigit (text[i]) || g_ascii_isupper (text[i]))
      return FALSE;
  return TRUE;
}

char *
attn_hub_repo_dir (const char *cache_dir,
                   const char *repo_id)
{
  g_auto(GStrv) parts = g_strsplit (repo_id, "/", -1);
  g_autofree char *joined = g_strjoinv ("--", parts);
  g_autofree char *folder = g_strconcat ("models--", joined, NULL);

  return g_build_filename (cache_dir, folder, NULL);
}

char *
attn_hub_repo_id_from_path (const char *dir)
{
  g_autofree char *commit = g_path_get_basename (dir);
  g_autofree char *snapshots = g_path_get_dirname (dir);
  g_autofree char *snapshots_name = g_path_get_basename (snapshots);
  g_autofree char *repo_dir = g_path_get_dirname (snapshots);
  g_autofree char *folder = g_path_get_basename (repo_dir);
  g_auto(GStrv) parts = NULL;
  g_autofree char *repo_id = NULL;

  if (!attn_hub_is_commit (commit) || g_strcmp0 (snapshots_name, "snapshots") != 0 ||
      !g_str_has_prefix (folder, "models--"))
    return NULL;

  parts = g_strsplit (folder + strlen ("models--"), "--", -1);
  repo_id = g_strjoinv ("/", parts);
  return attn_hub_is_repo_id (repo_id) ? g_steal_pointer (&repo_id) : NULL;
}

char *
attn_hub_cache_read_ref (const char  *repo_dir,
                         const char  *revision,
                         GError     **error)
{
  g_autofree char *ref_path = NULL;
  g_autofree char *contents = NULL;
  g_autoptr(GError) local_error = NULL;

  if (attn_hub_is_commit (revision))
    return g_strdup (revision);

  ref_path = g_build_filename (repo_dir, "refs", revision, NULL);
  if (!g_file_get_contents (ref_path, &contents, NULL, &local_error))
    {
      g_set_error (error, ATTN_HUB_ERROR, ATTN_HUB_ERROR_NOT_CACHED,
                   _("%s: %s"), ref_path, local_error->message);
      return NULL;
    }

  g_strstrip (contents);
  if (!attn_hub_is_commit (contents))
    {
      g_set_error (error, ATTN_HUB_ERROR, ATTN_HUB_ERROR_NOT_CACHED,
                   _("%s does not hold a commit hash"), ref_path);
      return NULL;
    }
  return g_steal_pointer (&contents);
}

/* The first file under @dir (recursively) that cannot be read, as a path
 * relative to the snapshot, or NULL when all can: a snapshot link whose
 * blob was deleted is a dangling symlink. */
static char *
find_unreadable (const char *dir,
                 const char *prefix)
{
  g_autoptr(GDir) handle = g_dir_open (dir, 0, NULL);
  const char *name;

  if (handle == NULL)
    return NULL;

  while ((name = g_dir_read_name (handle)) != NULL)
    {
      g_autofree char *path = g_build_filename (dir, name, NULL);
      g_autofree char *relative = prefix ? g_build_filename (prefix, name, NULL) : g_strdup (name);

      if (g_file_test (path, G_FILE_TEST_IS_DIR))
        {
          char *found = find_unreadable (path, relative);
          if (found != NULL)
            return found;
        }
      else if (access (path, R_OK) != 0)
        return g_steal_pointer (&relative);
    }
  return NULL;
}

char *
attn_hub_cache_snapshot (const char  *cache_dir,
                         const char  *repo_id,
                         const char  *revision,
                         GError     **error)
{
  g_autofree char *repo_dir = NULL;
  g_autofree char *commit = NULL;
  g_autofree char *snapshot = NULL;
  g_autofree char *broken = NULL;

  if (!attn_hub_is_repo_id (repo_id))
    {
      g_set_error (error, ATTN_HUB_ERROR, ATTN_HUB_ERROR_INVALID_ID,
                   _("“%s” is neither a model folder nor a Hugging Face repo id (ORG/NAME)"),
                   repo_id);
      return NULL;
    }

  repo_dir = attn_hub_repo_dir (cache_dir, repo_id);
  if (!g_file_test (repo_dir, G_FILE_TEST_IS_DIR))
    {
      /* It may as well be a mistyped folder: say both. */
      g_set_error (error, ATTN_HUB_ERROR, ATTN_HUB_ERROR_NOT_CACHED,
                   _("there is no folder “%s”, and no model %s in the Hugging Face cache (%s); run “attention-cli download %s” to download it"),
                   repo_id, repo_id, cache_dir, repo_id);
      return NULL;
    }

  commit = attn_hub_cache_read_ref (repo_dir, revision, NULL);
  snapshot = commit ? g_build_filename (repo_dir, "snapshots", commit, NULL) : NULL;
  if (snapshot == NULL || !g_file_test (snapshot, G_FILE_TEST_IS_DIR))
    {
      g_set_error (error, ATTN_HUB_ERROR, ATTN_HUB_ERROR_NOT_CACHED,
                   _("%s has no snapshot of “%s” in the Hugging Face cache (%s); run “attention-cli download %s” first"),
                   repo_id, revision, cache_dir, repo_id);
      return NULL;
    }

  if ((broken = find_unreadable (snapshot, NULL)) != NULL)
    {
      g_set_error (error, ATTN_HUB_ERROR, ATTN_HUB_ERROR_NOT_CACHED,
                   _("%s: the cached file %s is gone (its blob was deleted from %s/blobs); run “attention-cli download %s” to fetch it again"),
                   repo_id, broken, repo_dir, repo_id);
      return NULL;
    }

  return g_steal_pointer (&snapshot);
}

char *
attn_hub_resolve_model (const char  *dir_or_repo_id,
                        GError     **error)
{
  g_autofree char *cache_dir = NULL;

  g_return_val_if_fail (dir_or_repo_id != NULL, NULL);

  /* A folder wins: "models/gpt2" in the current directory is a folder,
   * not the repo "models/gpt2". */
  if (g_file_test (dir_or_repo_id, G_FILE_TEST_IS_DIR) || !attn_hub_is_repo_id (dir_or_repo_id))
    return g_strdup (dir_or_repo_id);

  cache_dir = attn_hub_cache_dir ();
  return attn_hub_cache_snapshot (cache_dir, dir_or_repo_id, "main", error);
}

void
attn_hub_set_disk_error (GError       **error,
                         const GError  *io_error,
                         const char    *path)
{
  g_autofree char *cache_dir = attn_hub_cache_dir ();

  if (g_error_matches (io_error, G_IO_ERROR, G_IO_ERROR_NO_SPACE))
    g_set_error (error, ATTN_HUB_ERROR, ATTN_HUB_ERROR_DISK,
                 _("the disk is full: cannot write %s (free some space, or set HF_HUB_CACHE to a folder on another disk; what was downloaded is kept and resumes)"),
                 path);
  else if (g_error_matches (io_error, G_IO_ERROR, G_IO_ERROR_PERMISSION_DENIED) ||
           g_error_matches (io_error, G_IO_ERROR, G_IO_ERROR_READ_ONLY))
    g_set_error (error, ATTN_HUB_ERROR, ATTN_HUB_ERROR_DISK,
                 _("the Hugging Face cache is read-only: cannot write %s (set HF_HUB_CACHE to a writable folder)"),
                 path);
  else
    g_set_error (error, ATTN_HUB_ERROR, ATTN_HUB_ERROR_DISK,
                 _("cannot write %s: %s"), path, io_error ? io_error->message : g_strerror (EIO));
}

gboolean
attn_hub_set_errno_error (GError     **error,
                          int          saved,
                          const char  *path)
{
  g_autoptr(GError) io_error = g_error_new_literal (G_IO_ERROR, g_io_error_from_errno (saved),
                                                    g_strerror (saved));

  attn_hub_set_disk_error (error, io_error, path);
  return FALSE;
}

/* g_mkdir_with_parents () with a GError in our domain. */
static gboolean
make_dir (const char  *path,
          GError     **error)
{
  if (g_mkdir_with_parents (path, 0755) == 0)
    return TRUE;
  return attn_hub_set_errno_error (error, errno, path);
}

gboolean
attn_hub_cache_write_ref (const char  *repo_dir,
                          const char  *revision,
                          const char  *commit,
                          GError     **error)
{
  g_autofree char *ref_path = NULL;
  g_autofree char *ref_dir = NULL;
  g_autofree char *current = NULL;
  g_autoptr(GFile) ref_file = NULL;
  g_autoptr(GError) local_error = NULL;

  if (g_strcmp0 (revision, commit) == 0)
    return TRUE;

  ref_path = g_build_filename (repo_dir, "refs", revision, NULL);
  if (g_file_get_contents (ref_path, &current, NULL, NULL) && g_strcmp0 (current, commit) == 0)
    return TRUE;

  /* A revision may hold slashes ("refs/pr/1"): its ref is a nested file. */
  ref_dir = g_path_get_dirname (ref_path);
  if (!make_dir (ref_dir, error))
    return FALSE;

  /* No newline: huggingface_hub compares the file's text to the hash. */
  ref_file = g_file_new_for_path (ref_path);
  if (!g_file_replace_contents (ref_file, commit, strlen (commit), NULL, FALSE,
                                G_FILE_CREATE_NONE, NULL, NULL, &local_error))
    {
      attn_hub_set_disk_error (error, local_error, ref_path);
      return FALSE;
    }
  return TRUE;
}

gboolean
attn_hub_cache_link (const char  *repo_dir,
                     const char  *commit,
                     const char  *filename,
                     const char  *etag,
                     GError     **error)
{
  g_autofree char *pointer = g_build_filename (repo_dir, "snapshots", commit, filename, NULL);
  g_autofree char *pointer_dir = g_path_get_dirname (pointer);
  g_autofree char *blob = g_build_filename (repo_dir, "blobs", etag, NULL);
  g_autoptr(GString) target = g_string_new (NULL);
  g_autoptr(GFile) blob_file = NULL;
  g_autoptr(GFile) pointer_file = NULL;
  g_autoptr(GError) local_error = NULL;
  int depth;

  if (!make_dir (pointer_dir, error))
    return FALSE;

  /* From snapshots/COMMIT/DIR…/ back up to the repo folder, then into
   * blobs: "../../blobs/ETAG" for a file at the top of the snapshot. */
  depth = 2;
  for (const char *p = filename; *p != '\0'; p++)
    if (*p == '/')
      depth++;
  for (int i = 0; i < depth; i++)
    g_string_append (target, "../");
  g_string_append_printf (target, "blobs/%s", etag);

  if (g_unlink (pointer) != 0 && errno != ENOENT)
    return attn_hub_set_errno_error (error, errno, pointer);

  if (symlink (target->str, pointer) == 0)
    return TRUE;

  /* Filesystems without symlinks (FAT, some network shares) get a copy,
   * as huggingface_hub makes there; an I/O error is reported as one. */
  if (errno != EPERM && errno != ENOTSUP && errno != EOPNOTSUPP && errno != ENOSYS)
    return attn_hub_set_errno_error (error, errno, pointer);

  blob_file = g_file_new_for_path (blob);
  pointer_file = g_file_new_for_path (pointer);
  if (!g_file_copy (blob_file, pointer_file, G_FILE_COPY_OVERWRITE, NULL, NULL, NULL, &local_error))
    {
      attn_hub_set_disk_error (error, local_error, pointer);
      return FALSE;
    }
  return TRUE;
}
