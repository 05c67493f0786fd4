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
#include <jansson.h>
#include <math.h>
#include <string.h>

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

/* Where tensor @name (with or without "transformer.") starts in the
 * safetensors @bytes, and its dtype's element size. */
static inline gsize
tensor_offset (const char *bytes,
               const char *name,
               gsize      *elem_size,
               gsize      *n_elements)
{
  guint64 header_len;
  g_autofree char *prefixed = g_strconcat ("transformer.", name, NULL);
  json_t *header, *entry;
  const char *dtype;
  gsize offset;

  memcpy (&header_len, bytes, 8);
  header = json_loadb (bytes + 8, header_len, 0, NULL);
  g_assert_nonnull (header);
  entry = json_object_get (header, name);
  if (entry == NULL)
    entry = json_object_get (header, prefixed);
  g_assert_nonnull (entry);
  dtype = json_string_value (json_object_get (entry, "dtype"));
  *elem_size = g_str_equal (dtype, "F32") ? 4 : 2;
  offset = 8 + header_len + json_integer_value (json_array_get (json_object_get (entry, "data_offsets"), 0));
  *n_elements = (json_integer_value (json_array_get (json_object_get (entry, "data_offsets"), 1))
                 - json_integer_value (json_array_get (json_object_get (entry, "data_offsets"), 0)))
                / *elem_size;
  json_decref (header);
  return offset;
}

/* Stores @value in elements [@first, @first + @count) of tensor @name of
 * model.safetensors in @dir (count 0: to the end), in the tensor's dtype. */
static inline void
patch_tensor (const char *dir,
              const char *name,
              gsize       first,
              gsize       count,
              float       value)
{
  g_autofree char *path = g_build_filename (dir, "model.safetensors", NULL);
  g_autofree char *bytes = NULL;
  gsize len, elem_size, n, offset;
  guint32 bits;

  g_assert_true (g_file_get_contents (path, &bytes, &len, NULL));
  offset = tensor_offset (bytes, name, &elem_size, &n);
  if (count == 0)
    count = n - first;
  g_assert_cmpuint (first + count, <=, n);

  memcpy (&bits, &value, 4);
  for (gsize i = first; i < first + count; i++)
    {
      char *at = bytes + offset + i * elem_size;

      if (elem_size == 4)
        memcpy (at, &bits, 4);
      else
        {
          /* BF16 is the top half; for F16 only NaN and ±Inf are needed here:
           * all-ones exponent, sign kept, a mantissa bit for NaN. */
          guint16 h = (guint16) (bits >> 16);

          if (strstr (dir, "f16") != NULL && strstr (dir, "bf16") == NULL)
            h = (guint16) (((bits >> 16) & 0x8000) | 0x7c00 | (isnan (value) ? 0x200 : 0));
          memcpy (at, &h, 2);
        }
    }
  g_assert_true (g_file_set_contents (path, bytes, len, NULL));
}
