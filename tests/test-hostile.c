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
#include <float.h>
#include <jansson.h>
#include <fcntl.h>
#include <math.h>
#include <signal.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "ae-file.h"
#include "ae-model.h"
#include "ae-ops.h"
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

/* ----------------------------------------------------------------------------
 * numbers that are not finite */

typedef struct
{
  const char *fixture;
  const char *tensor;
  gsize       element;
  float       value;
  const char *needle;
} NonFinite;

static const NonFinite non_finite[] = {
  { "tiny-f32", "h.0.attn.c_attn.bias", 5, NAN, "NaN at element 5" },
  { "tiny-f32", "wte.weight", 1000, INFINITY, "+Inf at element 1000" },
  { "tiny-f32", "h.1.mlp.c_proj.weight", 4095, -INFINITY, "-Inf at element 4095" },
  { "tiny-f32", "ln_f.bias", 31, NAN, "NaN at element 31" },
  { "tiny-f16", "h.1.ln_2.weight", 3, NAN, "NaN at element 3" },
  { "tiny-f16", "wpe.weight", 0, -INFINITY, "-Inf at element 0" },
  { "tiny-bf16", "h.0.mlp.c_fc.bias", 50, INFINITY, "+Inf at element 50" },
};

/* One NaN or infinity anywhere in the weights is refused at load, with the
 * tensor, the element and the value named. */
static void
test_non_finite_weight (gconstpointer data)
{
  const NonFinite *nf = data;
  g_autofree char *dir = copy_model (nf->fixture);
  AeModel *model = (AeModel *) 0x1;
  AeError error = { 0 };

  patch_tensor (dir, nf->tensor, nf->element, 1, nf->value);
  g_assert_cmpint (ae_model_load (&model, dir, &error), ==, AE_STATUS_BAD_WEIGHTS);
  g_assert_null (model);
  g_test_message ("%s", error.message);
  assert_mentions (error.message, "model.safetensors");
  assert_mentions (error.message, nf->tensor);
  assert_mentions (error.message, nf->needle);
  remove_dir (dir);
}

typedef struct
{
  const char *tensor;   /* every element set to @value */
  float       value;
  const char *needle;   /* the layer and where */
} Overflow;

static const Overflow overflows[] = {
  /* ln_2 output · 3e38 overflows in c_fc: ±Inf through GELU into the MLP output */
  { "h.0.mlp.c_fc.weight", 3e38f, "layer 0 produced a number that is not finite (NaN or infinity) in its MLP output" },
  /* q·k of 1e20-sized vectors overflows the scores: the softmax is NaN */
  { "h.1.attn.c_attn.weight", 1e20f, "layer 1 produced a number that is not finite (NaN or infinity) in its attention weights" },
};

/* Finite weights that overflow float32 load, but the pass stops at the
 * layer that made the first NaN or infinity and names it, instead of
 * returning "nan" attention. */
static void
test_pass_overflow (gconstpointer data)
{
  const Overflow *o = data;
  const int32_t ids[] = { 10, 20, 30, 40, 50 };
  g_autofree char *dir = copy_model ("tiny-f32");
  AeModel *model = NULL;
  AeTrace *trace = (AeTrace *) 0x1;
  AeError error = { 0 };

  patch_tensor (dir, o->tensor, 0, 0, o->value);
  g_assert_cmpint (ae_model_load (&model, dir, &error), ==, AE_STATUS_OK);
  g_assert_cmpint (ae_model_forward (model, ids, G_N_ELEMENTS (ids), NULL, &trace, &error),
                   ==, AE_STATUS_NOT_FINITE);
  g_assert_null (trace);
  g_test_message ("%s", error.message);
  assert_mentions (error.message, o->needle);
  ae_model_free (model);
  remove_dir (dir);
}

/* The finiteness scan itself, at every alignment and position. */
static void
test_first_non_finite (void)
{
  float buf[3000 + 1];
  const float specials[] = { NAN, -NAN, INFINITY, -INFINITY };

  for (size_t i = 0; i < G_N_ELEMENTS (buf); i++)
    buf[i] = i % 2 ? FLT_MAX : -FLT_MIN;
  g_assert_cmpuint (ae_first_non_finite (buf, 3000), ==, 3000);
  g_assert_cmpuint (ae_first_non_finite (buf, 0), ==, 0);

  for (size_t k = 0; k < G_N_ELEMENTS (specials); k++)
    for (size_t at = 0; at < 3000; at += 511)
      {
        char unaligned[sizeof buf + 1];

        buf[at] = specials[k];
        g_assert_cmpuint (ae_first_non_finite (buf, 3000), ==, at);
        memcpy (unaligned + 1, buf, sizeof buf);
        g_assert_cmpuint (ae_first_non_finite (unaligned + 1, 3000), ==, at);
        g_assert_cmpuint (ae_first_non_finite (buf, at), ==, at);
        buf[at] = 1.0f;
      }
}

/* ----------------------------------------------------------------------------
 * messages */

/* Engine messages are cut at 512 bytes and quote file contents; either
 * could leave invalid UTF-8, which GLib refuses in a GError (issue 11: the
 * cut split a character). */
static void
test_error_messages_utf8 (void)
{
  AeError error = { 0 };
  char long_text[600];

  memset (long_text, 'a', 510);
  strcpy (long_text + 510, "€€€");     /* 3-byte characters across the cut */
  ae_error_set (&error, AE_STATUS_IO, "%s", long_text);
  g_assert_true (g_utf8_validate (error.message, -1, NULL));
  g_assert_cmpuint (strlen (error.message), ==, 510);

  memset (long_text, 'b', 509);
  strcpy (long_text + 509, "€€");
  ae_error_set (&error, AE_STATUS_IO, "%s", long_text);
  g_assert_true (g_utf8_validate (error.message, -1, NULL));
  g_assert_cmpuint (strlen (error.message), ==, 509);

  /* Bytes quoted from a file that are not UTF-8 become '?'. */
  ae_error_set (&error, AE_STATUS_BAD_TOKENIZER, "token “%s” is unknown", "a\xff\xc3(\xed\xa0\x80z");
  g_assert_true (g_utf8_validate (error.message, -1, NULL));
  g_assert_cmpstr (error.message, ==, "token “a?" "?(???z” is unknown");

  /* A prefix that pushes a message past the limit cuts it cleanly too. */
  memset (long_text, 'c', 508);
  strcpy (long_text + 508, "€");
  ae_error_set (&error, AE_STATUS_IO, "%s", long_text);
  ae_error_prefix (&error, "vocab.json");
  g_assert_true (g_utf8_validate (error.message, -1, NULL));
  g_assert_true (g_str_has_prefix (error.message, "vocab.json: ccc"));
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
  for (size_t i = 0; i < G_N_ELEMENTS (non_finite); i++)
    {
      g_autofree char *name = g_strdup_printf ("/attention/hostile/non-finite-weight/%zu-%s", i,
                                               non_finite[i].fixture);
      g_test_add_data_func (name, &non_finite[i], test_non_finite_weight);
    }
  for (size_t i = 0; i < G_N_ELEMENTS (overflows); i++)
    {
      g_autofree char *name = g_strdup_printf ("/attention/hostile/pass-overflow/%zu", i);
      g_test_add_data_func (name, &overflows[i], test_pass_overflow);
    }
  g_test_add_func ("/attention/hostile/first-non-finite", test_first_non_finite);
  g_test_add_func ("/attention/hostile/error-messages-utf8", test_error_messages_utf8);

  return g_test_run ();
}
