/* fixture-compare.h — engine arrays against the numpy reference's fixtures
 *
 * Copyright 2026 The Attention authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Header-only, shared by test-forward.c and test-families.c.  The includer
 * defines TOLERANCE.
 */
#pragma once

#include <glib.h>
#include <jansson.h>
#include <math.h>

#include "ae-model.h"
#include "model-dir.h"

/* Appends every number of a nested JSON array, depth first. */
static inline void
flatten (json_t *value,
         GArray *out)
{
  if (json_is_array (value))
    {
      for (size_t i = 0; i < json_array_size (value); i++)
        flatten (json_array_get (value, i), out);
    }
  else
    {
      double d;

      g_assert_true (json_is_number (value));
      d = json_number_value (value);
      g_array_append_val (out, d);
    }
}

/* llm.c's check_tensor: compares @n floats with the reference and returns
 * the largest absolute difference. */
static inline double
check_tensor (const char  *label,
              const float *got,
              json_t      *expected,
              size_t       n)
{
  g_autoptr(GArray) ref = g_array_new (FALSE, FALSE, sizeof (double));
  double max_diff = 0.0;

  flatten (expected, ref);
  g_assert_cmpuint (ref->len, ==, n);

  for (size_t i = 0; i < n; i++)
    {
      double diff = fabs ((double) got[i] - g_array_index (ref, double, i));

      if (!(diff <= max_diff))
        max_diff = diff;
    }

  g_test_message ("%-10s %6zu values, max abs diff %.3g", label, n, max_diff);
  if (!(max_diff <= TOLERANCE))
    g_error ("%s differs from the reference by %g (tolerance %g)", label, max_diff, TOLERANCE);
  return max_diff;
}

/* tests/fixtures/@prefix-@name.json, parsed. */
static inline json_t *
load_json_fixture (const char *prefix,
                   const char *name)
{
  g_autofree char *file = g_strdup_printf ("%s-%s.json", prefix, name);
  g_autofree char *path = g_test_build_filename (G_TEST_DIST, "fixtures", file, NULL);
  json_error_t jerror;
  json_t *root = json_load_file (path, 0, &jerror);

  if (root == NULL)
    g_error ("%s: %s", path, jerror.text);
  return root;
}

static inline AeModel *
load_fixture_model (const char *name)
{
  g_autofree char *dir = model_path (name);
  AeModel *model = NULL;
  AeError error = { 0 };

  if (ae_model_load (&model, dir, &error) != AE_STATUS_OK)
    g_error ("loading %s: %s", name, error.message);
  return model;
}
