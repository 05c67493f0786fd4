/* model-dir.h — scratch copies of fixture model folders for tests that break them
 *
 * Copyright 2026 The Attention authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Header-only, included by each test that edits a model folder.
 */
#pragma once

#include <glib.h>
#include <glib/gstdio.h>

static inline char *
model_path (const char *name)
{
  return g_test_build_filename (G_TEST_DIST, "fixtures", "models", name, NULL);
}

/* A temporary folder holding every file of fixture model @name (config,
 * weights or shards, tokenizer files). */
static inline char *
copy_model (const char *name)
{
  g_autofree char *src = model_path (name);
  g_autoptr(GDir) dir = g_dir_open (src, 0, NULL);
  char *dst = g_dir_make_tmp ("test-model-XXXXXX", NULL);
  const char *file;

  g_assert_nonnull (dir);
  g_assert_nonnull (dst);
  while ((file = g_dir_read_name (dir)) != NULL)
    {
      g_autofree char *from = g_build_filename (src, file, NULL);
      g_autofree char *to = g_build_filename (dst, file, NULL);
      g_autofree char *contents = NULL;
      gsize len;

      g_assert_true (g_file_get_contents (from, &contents, &len, NULL));
      g_assert_true (g_file_set_contents (to, contents, len, NULL));
    }
  return dst;
}

static inline void
remove_dir (const char *path)
{
  g_autoptr(GDir) dir = g_dir_open (path, 0, NULL);
  const char *name;

  while (dir != NULL && (name = g_dir_read_name (dir)) != NULL)
    {
      g_autofree char *file = g_build_filename (path, name, NULL);
      g_unlink (file);
    }
  g_rmdir (path);
}

/* Replaces @name in @dir with @len bytes of @contents (-1: up to the NUL),
 * or deletes it when @contents is NULL. */
static inline void
put_file (const char *dir,
          const char *name,
          const char *contents,
          gssize      len)
{
  g_autofree char *path = g_build_filename (dir, name, NULL);

  if (contents == NULL || g_file_test (path, G_FILE_TEST_IS_SYMLINK))
    g_assert_cmpint (g_unlink (path), ==, 0);
  if (contents != NULL)
    g_assert_true (g_file_set_contents (path, contents, len, NULL));
}
