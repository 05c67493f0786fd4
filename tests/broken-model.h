/* broken-model.h — a fixture model folder with one file replaced, and the
 * error ae_model_load() must give for it
 *
 * Copyright 2026 The Attention authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Header-only, for the engine tests that list broken configs and weights
 * (test-families.c, test-encoders.c); needs model-dir.h and ae-model.h.
 */
#pragma once

typedef struct
{
  const char *model;
  const char *file;
  const char *contents;    /* NULL: delete the file */
  AeStatus    status;
  const char *needles[3];  /* words the message must hold */
} Broken;

/* Loads the folder with the file replaced: it fails with the status and a
 * message that holds every needle, and leaves no model. */
static void
test_broken (gconstpointer data)
{
  const Broken *b = data;
  g_autofree char *dir = copy_model (b->model);
  AeModel *model = (AeModel *) 0x1;
  AeError error = { 0 };

  put_file (dir, b->file, b->contents, -1);
  g_assert_cmpint (ae_model_load (&model, dir, &error), ==, b->status);
  g_assert_null (model);
  g_test_message ("%s", error.message);
  for (size_t i = 0; i < G_N_ELEMENTS (b->needles) && b->needles[i] != NULL; i++)
    if (strstr (error.message, b->needles[i]) == NULL)
      g_error ("“%s” does not mention “%s”", error.message, b->needles[i]);
  remove_dir (dir);
}
