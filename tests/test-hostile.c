/* test-hostile.c
 *
 * Copyright 2026 The Attention authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Model folders made to hurt (issue 11): special files where model files
 * should be, text files too large to read, and weights that are not finite.
 * Each load must end promptly with an error that names the file (and the
 * tensor or layer), never hang, crash or hand back NaN.
 */

#include <glib.h>
#include <glib/gstdio.h>
#include <errno.h>
#include <fcntl.h>
#include <math.h>
#include <signal.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "ae-file.h"
#include "ae-model.h"
#include "model-dir.h"

/* A load that blocks would hang the suite: SIGALRM ends it as a failure. */
#define LOAD_SECONDS 20

static AeStatus
load_with_deadline (const char *dir,
                    AeModel   **model,
                    AeError    *error)
{
  AeStatus status;

  alarm (LOAD_SECONDS);
  status = ae_model_load (model, dir, error);
  alarm (0);
  return status;
}

static void
assert_mentions (const char *message,
                 const char *needle)
{
  if (strstr (message, needle) == NULL)
    g_error ("“%s” does not mention “%s”", message, needle);
}

/* ----------------------------------------------------------------------------
 * special files */

typedef struct
{
  const char *file;     /* replaced in a copy of tiny-f32 */
  const char *target;   /* a symlink to this, or NULL for a FIFO */
  const char *needle;   /* what the message says it is */
} SpecialFile;

static const SpecialFile special_files[] = {
  { "config.json", NULL, "FIFO" },
  { "model.safetensors", NULL, "FIFO" },
  { "vocab.json", NULL, "FIFO" },
  { "merges.txt", NULL, "FIFO" },
  { "config.json", "/dev/zero", "character device" },
  { "model.safetensors", "/dev/zero", "character device" },
  { "vocab.json", "/dev/zero", "character device" },
  { "merges.txt", "/dev/urandom", "character device" },
  { "vocab.json", "/", "folder" },
};

static void
test_special_file (gconstpointer data)
{
  const SpecialFile *sf = data;
  g_autofree char *dir = copy_model ("tiny-f32");
  g_autofree char *path = g_build_filename (dir, sf->file, NULL);
  AeModel *model = (AeModel *) 0x1;
  AeError error = { 0 };

  g_assert_cmpint (g_unlink (path), ==, 0);
  if (sf->target != NULL)
    g_assert_cmpint (symlink (sf->target, path), ==, 0);
  else
    g_assert_cmpint (mkfifo (path, 0600), ==, 0);

  g_assert_cmpint (load_with_deadline (dir, &model, &error), ==, AE_STATUS_IO);
  g_assert_null (model);
  g_test_message ("%s", error.message);
  assert_mentions (error.message, sf->file);
  assert_mentions (error.message, sf->needle);

  remove_dir (dir);
}

/* A regular text file past the cap is refused from its size, before a byte
 * of it is read (the file is sparse: it costs no disk). */
static void
test_text_file_too_large (void)
{
  static const char *const files[] = { "config.json", "vocab.json", "merges.txt" };

  for (size_t i = 0; i < G_N_ELEMENTS (files); i++)
    {
      g_autofree char *dir = copy_model ("tiny-f32");
      g_autofree char *path = g_build_filename (dir, files[i], NULL);
      AeModel *model = (AeModel *) 0x1;
      AeError error = { 0 };

      g_assert_cmpint (truncate (path, (off_t) AE_FILE_MAX_TEXT_BYTES + 1), ==, 0);
      g_assert_cmpint (load_with_deadline (dir, &model, &error), ==, AE_STATUS_IO);
      g_assert_null (model);
      g_test_message ("%s", error.message);
      assert_mentions (error.message, files[i]);
      assert_mentions (error.message, "more than");
      remove_dir (dir);
    }
}

/* The helper itself: a regular file reads whole and NUL-terminated, a
 * FIFO is refused without waiting for a writer. */
static void
test_file_helper (void)
{
  g_autofree char *dir = g_dir_make_tmp ("test-hostile-XXXXXX", NULL);
  g_autofree char *file = g_build_filename (dir, "a.txt", NULL);
  g_autofree char *fifo = g_build_filename (dir, "fifo", NULL);
  AeError error = { 0 };
  char *text = NULL;
  size_t len = 0;

  g_assert_true (g_file_set_contents (file, "hello", 5, NULL));
  g_assert_cmpint (ae_file_read (file, 5, &text, &len, &error), ==, AE_STATUS_OK);
  g_assert_cmpstr (text, ==, "hello");
  g_assert_cmpuint (len, ==, 5);
  free (text);

  g_assert_cmpint (ae_file_read (file, 4, &text, &len, &error), ==, AE_STATUS_IO);
  g_assert_null (text);
  assert_mentions (error.message, "5 bytes");

  g_assert_cmpint (mkfifo (fifo, 0600), ==, 0);
  alarm (LOAD_SECONDS);
  g_assert_cmpint (ae_file_read (fifo, 100, &text, &len, &error), ==, AE_STATUS_IO);
  alarm (0);
  assert_mentions (error.message, "FIFO");

  g_unlink (fifo);
  g_unlink (file);
  g_rmdir (dir);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, G_TEST_OPTION_ISOLATE_DIRS, NULL);

  for (size_t i = 0; i < G_N_ELEMENTS (special_files); i++)
    {
      g_autofree char *name = g_strdup_printf ("/attention/hostile/special-file/%zu-%s-%s", i,
                                               special_files[i].file,
                                               special_files[i].target ? "link" : "fifo");
      g_test_add_data_func (name, &special_files[i], test_special_file);
    }
  g_test_add_func ("/attention/hostile/text-file-too-large", test_text_file_too_large);
  g_test_add_func ("/attention/hostile/file-helper", test_file_helper);

  return g_test_run ();
}
