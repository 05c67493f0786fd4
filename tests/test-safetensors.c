/* test-safetensors.c
 *
 * Copyright 2026 The Attention authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The safetensors reader: dtype conversion, and every kind of malformed
 * file giving an error that names what is wrong, never a crash.  The files
 * are written by the tests themselves into a temporary directory.
 */

#include <glib.h>
#include <glib/gstdio.h>
#include <math.h>
#include <string.h>

#include "ae-safetensors.h"
#include "model-dir.h"

static char *tmp_dir;

/* Writes an 8-byte little-endian @header_len, @header, then @data. */
static char *
write_raw (const char *name,
           guint64     header_len,
           const char *header,
           gsize       header_bytes,
           const void *data,
           gsize       data_len)
{
  g_autoptr(GByteArray) bytes = g_byte_array_new ();
  g_autoptr(GError) error = NULL;
  char *path = g_build_filename (tmp_dir, name, NULL);
  guint8 len[8];

  for (int i = 0; i < 8; i++)
    len[i] = (guint8) (header_len >> (8 * i));
  g_byte_array_append (bytes, len, 8);
  g_byte_array_append (bytes, (const guint8 *) header, header_bytes);
  if (data_len > 0)
    g_byte_array_append (bytes, data, data_len);

  g_file_set_contents (path, (const char *) bytes->data, bytes->len, &error);
  g_assert_no_error (error);
  return path;
}

/* A well-formed file: correct length, @header, @data_len bytes of data. */
static char *
write_file (const char *header,
            gsize       data_len)
{
  g_autofree guint8 *data = g_malloc0 (data_len + 1);

  return write_raw ("t.safetensors", strlen (header), header, strlen (header), data, data_len);
}

/* Opens @path, expects @status, and checks the message mentions @needle. */
static void
assert_open_fails (const char *path,
                   AeStatus    status,
                   const char *needle)
{
  AeSafetensors *st = (AeSafetensors *) 0x1;
  AeError error = { 0 };

  g_assert_cmpint (ae_safetensors_open (&st, path, &error), ==, status);
  g_assert_null (st);
  g_assert_cmpint (error.status, ==, status);
  g_test_message ("%s", error.message);
  if (needle != NULL && strstr (error.message, needle) == NULL)
    g_error ("“%s” does not mention “%s”", error.message, needle);
}

static void
expect_header_error (const char *header,
                     gsize       data_len,
                     AeStatus    status,
                     const char *needle)
{
  g_autofree char *path = write_file (header, data_len);

  assert_open_fails (path, status, needle);
}

static void
test_valid (void)
{
  const float values[6] = { 1, -2, 3.5f, 0, 1e-3f, 42 };
  const char *header =
    "{\"__metadata__\":{\"format\":\"pt\"},"
    "\"a\":{\"dtype\":\"F32\",\"shape\":[2,3],\"data_offsets\":[0,24]},"
    "\"empty\":{\"dtype\":\"F16\",\"shape\":[0,4],\"data_offsets\":[24,24]},"
    "\"scalar\":{\"dtype\":\"F32\",\"shape\":[],\"data_offsets\":[24,28]}}";
  g_autofree char *path = NULL;
  AeSafetensors *st = NULL;
  AeError error = { 0 };
  const AeTensor *t;
  float out[6], data[7];

  memcpy (data, values, sizeof values);
  data[6] = 7.0f;
  path = write_raw ("valid.safetensors", strlen (header), header, strlen (header),
                    data, sizeof data);

  g_assert_cmpint (ae_safetensors_open (&st, path, &error), ==, AE_STATUS_OK);
  g_assert_cmpuint (ae_safetensors_n_tensors (st), ==, 3);

  t = ae_safetensors_find (st, "a");
  g_assert_nonnull (t);
  g_assert_cmpint (t->dtype, ==, AE_DTYPE_F32);
  g_assert_cmpuint (t->n_dims, ==, 2);
  g_assert_cmpuint (t->shape[0], ==, 2);
  g_assert_cmpuint (t->shape[1], ==, 3);
  g_assert_cmpuint (t->n_elements, ==, 6);
  g_assert_cmpuint (t->n_bytes, ==, 24);
  ae_tensor_to_f32 (t, out);
  g_assert_cmpmem (out, sizeof out, values, sizeof values);

  t = ae_safetensors_find (st, "empty");
  g_assert_nonnull (t);
  g_assert_cmpuint (t->n_elements, ==, 0);

  t = ae_safetensors_find (st, "scalar");
  g_assert_nonnull (t);
  g_assert_cmpuint (t->n_dims, ==, 0);
  g_assert_cmpuint (t->n_elements, ==, 1);
  ae_tensor_to_f32 (t, out);
  g_assert_cmpfloat (out[0], ==, 7.0f);

  g_assert_null (ae_safetensors_find (st, "missing"));
  g_assert_null (ae_safetensors_find (st, "__metadata__"));
  g_assert_null (ae_safetensors_tensor (st, 3));

  g_assert_cmpstr (ae_dtype_to_string (AE_DTYPE_BF16), ==, "BF16");
  g_assert_cmpuint (ae_dtype_size (AE_DTYPE_F16), ==, 2);

  ae_safetensors_close (st);
  ae_safetensors_close (NULL);
}

/* Half and bfloat16 bit patterns, including the edge cases. */
static void
test_conversion (void)
{
  const guint16 f16[] = {
    0x0000, 0x8000, 0x0001, 0x8001, 0x03ff, 0x0400, 0x3c00, 0xc000,
    0x7bff, 0x3555, 0x7c00, 0xfc00, 0x7e00,
  };
  const float f16_expected[] = {
    0.0f, -0.0f, 5.9604645e-08f, -5.9604645e-08f, 6.0975552e-05f, 6.1035156e-05f,
    1.0f, -2.0f, 65504.0f, 0.33325195f, INFINITY, -INFINITY, NAN,
  };
  const guint16 bf16[] = { 0x0000, 0x3f80, 0xc0a0, 0x0001, 0x7f80, 0xff80, 0x7fc0, 0x3eab };
  const float bf16_expected[] = {
    0.0f, 1.0f, -5.0f, 9.1835496e-41f, INFINITY, -INFINITY, NAN, 0.333984375f,
  };
  guint8 data[2 * (G_N_ELEMENTS (f16) + G_N_ELEMENTS (bf16))];
  g_autofree char *header = NULL;
  g_autofree char *path = NULL;
  AeSafetensors *st = NULL;
  AeError error = { 0 };
  float out[G_N_ELEMENTS (f16)];
  gsize n16 = G_N_ELEMENTS (f16), nb = G_N_ELEMENTS (bf16);

  for (gsize i = 0; i < n16; i++)
    {
      data[2 * i] = f16[i] & 0xff;
      data[2 * i + 1] = f16[i] >> 8;
    }
  for (gsize i = 0; i < nb; i++)
    {
      data[2 * (n16 + i)] = bf16[i] & 0xff;
      data[2 * (n16 + i) + 1] = bf16[i] >> 8;
    }

  header = g_strdup_printf ("{\"h\":{\"dtype\":\"F16\",\"shape\":[%zu],\"data_offsets\":[0,%zu]},"
                            "\"b\":{\"dtype\":\"BF16\",\"shape\":[%zu],\"data_offsets\":[%zu,%zu]}}",
                            n16, 2 * n16, nb, 2 * n16, 2 * (n16 + nb));
  path = write_raw ("conv.safetensors", strlen (header), header, strlen (header), data, sizeof data);
  g_assert_cmpint (ae_safetensors_open (&st, path, &error), ==, AE_STATUS_OK);

  ae_tensor_to_f32 (ae_safetensors_find (st, "h"), out);
  for (gsize i = 0; i < n16; i++)
    {
      if (isnan (f16_expected[i]))
        g_assert_true (isnan (out[i]));
      else
        {
          g_assert_cmpfloat (out[i], ==, f16_expected[i]);
          g_assert_cmpint (!!signbit (out[i]), ==, !!signbit (f16_expected[i]));
        }
    }

  ae_tensor_to_f32 (ae_safetensors_find (st, "b"), out);
  for (gsize i = 0; i < nb; i++)
    {
      if (isnan (bf16_expected[i]))
        g_assert_true (isnan (out[i]));
      else
        g_assert_cmpfloat (out[i], ==, bf16_expected[i]);
    }

  ae_safetensors_close (st);
}

static void
test_missing (void)
{
  g_autofree char *path = g_build_filename (tmp_dir, "nope.safetensors", NULL);

  assert_open_fails (path, AE_STATUS_IO, "cannot be opened");
}

static void
test_truncated (void)
{
  const char *header = "{\"a\":{\"dtype\":\"F32\",\"shape\":[4],\"data_offsets\":[0,16]}}";
  g_autofree char *empty = write_raw ("empty.safetensors", 0, "", 0, NULL, 0);
  g_autofree char *short_file = NULL;

  /* Zero bytes, then fewer than the eight of the length. */
  g_assert_true (g_file_set_contents (empty, "", 0, NULL));
  assert_open_fails (empty, AE_STATUS_BAD_WEIGHTS, "too short");
  g_assert_true (g_file_set_contents (empty, "\x10\0\0", 3, NULL));
  assert_open_fails (empty, AE_STATUS_BAD_WEIGHTS, "too short");

  /* Header cut in the middle. */
  short_file = write_raw ("cut.safetensors", strlen (header), header, 20, NULL, 0);
  assert_open_fails (short_file, AE_STATUS_BAD_WEIGHTS, "truncated");

  /* Header whole, data area cut short. */
  expect_header_error (header, 10, AE_STATUS_BAD_WEIGHTS, "outside the 10-byte data area");
}

static void
test_header_length (void)
{
  const char *header = "{}";
  g_autofree char *a = write_raw ("huge.safetensors", G_MAXUINT64, header, 2, NULL, 0);
  g_autofree char *b = write_raw ("big.safetensors", 200ull * 1024 * 1024, header, 2, NULL, 0);
  g_autofree char *c = write_raw ("over.safetensors", 3, header, 2, NULL, 0);
  g_autofree char *d = write_raw ("one.safetensors", 1, header, 2, NULL, 0);
  g_autofree char *e = write_raw ("zero.safetensors", 0, header, 2, NULL, 0);

  assert_open_fails (a, AE_STATUS_BAD_WEIGHTS, "limit");
  assert_open_fails (b, AE_STATUS_BAD_WEIGHTS, "limit");
  assert_open_fails (c, AE_STATUS_BAD_WEIGHTS, "truncated");
  assert_open_fails (d, AE_STATUS_BAD_WEIGHTS, "bytes long");
  assert_open_fails (e, AE_STATUS_BAD_WEIGHTS, "bytes long");
}

static void
test_bad_json (void)
{
  expect_header_error ("{\"a\":{\"dtype\":", 0, AE_STATUS_BAD_WEIGHTS, "not valid JSON");
  expect_header_error ("\xff\xfe{}", 0, AE_STATUS_BAD_WEIGHTS, "not valid JSON");
  expect_header_error ("{\"a\":1,\"a\":2}", 0, AE_STATUS_BAD_WEIGHTS, "not valid JSON");
  expect_header_error ("{} trailing", 0, AE_STATUS_BAD_WEIGHTS, "not valid JSON");
}

static void
test_not_object (void)
{
  expect_header_error ("[1, 2, 3]", 0, AE_STATUS_BAD_WEIGHTS, "not a JSON object");
  expect_header_error ("\"text\"", 0, AE_STATUS_BAD_WEIGHTS, "not a JSON object");
  expect_header_error ("{\"a\":[0]}", 0, AE_STATUS_BAD_WEIGHTS, "“a” is not an object");
  expect_header_error ("{\"__metadata__\":{\"k\":1}}", 0, AE_STATUS_BAD_WEIGHTS, "__metadata__");
  expect_header_error ("{\"__metadata__\":[]}", 0, AE_STATUS_BAD_WEIGHTS, "__metadata__");
}

static void
test_offsets (void)
{
  /* end beyond the data, begin after end, missing, negative, wrong arity */
  expect_header_error ("{\"a\":{\"dtype\":\"F32\",\"shape\":[4],\"data_offsets\":[0,16]}}",
                       12, AE_STATUS_BAD_WEIGHTS, "outside");
  expect_header_error ("{\"a\":{\"dtype\":\"F32\",\"shape\":[4],\"data_offsets\":[100,116]}}",
                       16, AE_STATUS_BAD_WEIGHTS, "outside");
  expect_header_error ("{\"a\":{\"dtype\":\"F32\",\"shape\":[0],\"data_offsets\":[8,4]}}",
                       16, AE_STATUS_BAD_WEIGHTS, "outside");
  expect_header_error ("{\"a\":{\"dtype\":\"F32\",\"shape\":[4]}}",
                       16, AE_STATUS_BAD_WEIGHTS, "data_offsets");
  expect_header_error ("{\"a\":{\"dtype\":\"F32\",\"shape\":[4],\"data_offsets\":[-16,0]}}",
                       16, AE_STATUS_BAD_WEIGHTS, "data_offsets");
  expect_header_error ("{\"a\":{\"dtype\":\"F32\",\"shape\":[4],\"data_offsets\":[0,16,32]}}",
                       32, AE_STATUS_BAD_WEIGHTS, "data_offsets");
  expect_header_error ("{\"a\":{\"dtype\":\"F32\",\"shape\":[4],"
                       "\"data_offsets\":[0,18446744073709551615]}}",
                       16, AE_STATUS_BAD_WEIGHTS, NULL);
}

static void
test_overlap (void)
{
  expect_header_error ("{\"a\":{\"dtype\":\"F32\",\"shape\":[4],\"data_offsets\":[0,16]},"
                       "\"b\":{\"dtype\":\"F32\",\"shape\":[4],\"data_offsets\":[12,28]}}",
                       28, AE_STATUS_BAD_WEIGHTS, "overlap");
  /* the same bytes twice, listed in reverse order */
  expect_header_error ("{\"b\":{\"dtype\":\"F16\",\"shape\":[8],\"data_offsets\":[16,32]},"
                       "\"c\":{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[0,8]},"
                       "\"a\":{\"dtype\":\"BF16\",\"shape\":[2,4],\"data_offsets\":[16,32]}}",
                       32, AE_STATUS_BAD_WEIGHTS, "overlap");
}

static void
test_size_mismatch (void)
{
  expect_header_error ("{\"a\":{\"dtype\":\"F32\",\"shape\":[2,3],\"data_offsets\":[0,20]}}",
                       24, AE_STATUS_BAD_WEIGHTS, "spans 20 bytes but its shape and dtype need 24");
  expect_header_error ("{\"a\":{\"dtype\":\"F16\",\"shape\":[2,3],\"data_offsets\":[0,24]}}",
                       24, AE_STATUS_BAD_WEIGHTS, "need 12");
}

static void
test_bad_shape (void)
{
  expect_header_error ("{\"a\":{\"dtype\":\"F32\",\"shape\":[-1],\"data_offsets\":[0,4]}}",
                       4, AE_STATUS_BAD_WEIGHTS, "shape");
  expect_header_error ("{\"a\":{\"dtype\":\"F32\",\"shape\":[1.5],\"data_offsets\":[0,4]}}",
                       4, AE_STATUS_BAD_WEIGHTS, "shape");
  expect_header_error ("{\"a\":{\"dtype\":\"F32\",\"shape\":4,\"data_offsets\":[0,16]}}",
                       16, AE_STATUS_BAD_WEIGHTS, "shape");
  expect_header_error ("{\"a\":{\"dtype\":\"F32\",\"shape\":[1,1,1,1,1,1,1,1,1],"
                       "\"data_offsets\":[0,4]}}",
                       4, AE_STATUS_BAD_WEIGHTS, "dimensions");
  /* 2^32 · 2^32 · 16 wraps a 64-bit size to 0 */
  expect_header_error ("{\"a\":{\"dtype\":\"F32\",\"shape\":[4294967296,4294967296,16],"
                       "\"data_offsets\":[0,0]}}",
                       0, AE_STATUS_BAD_WEIGHTS, "too large");
  expect_header_error ("{\"a\":{\"dtype\":\"F32\",\"shape\":[4611686018427387904],"
                       "\"data_offsets\":[0,0]}}",
                       0, AE_STATUS_BAD_WEIGHTS, "too large");
}

static void
test_dtype (void)
{
  expect_header_error ("{\"ids\":{\"dtype\":\"I64\",\"shape\":[2],\"data_offsets\":[0,16]}}",
                       16, AE_STATUS_UNSUPPORTED, "tensor “ids” has dtype I64");
  expect_header_error ("{\"w\":{\"dtype\":\"F64\",\"shape\":[2],\"data_offsets\":[0,16]}}",
                       16, AE_STATUS_UNSUPPORTED, "F64");
  expect_header_error ("{\"w\":{\"dtype\":\"U8\",\"shape\":[2],\"data_offsets\":[0,2]}}",
                       2, AE_STATUS_UNSUPPORTED, "U8");
  expect_header_error ("{\"w\":{\"dtype\":\"Q4_K\",\"shape\":[2],\"data_offsets\":[0,2]}}",
                       2, AE_STATUS_UNSUPPORTED, "unknown dtype “Q4_K”");
  expect_header_error ("{\"w\":{\"dtype\":7,\"shape\":[2],\"data_offsets\":[0,2]}}",
                       2, AE_STATUS_BAD_WEIGHTS, "dtype");
  expect_header_error ("{\"w\":{\"shape\":[2],\"data_offsets\":[0,2]}}",
                       2, AE_STATUS_BAD_WEIGHTS, "dtype");
}

int
main (int   argc,
      char *argv[])
{
  int ret;

  g_test_init (&argc, &argv, G_TEST_OPTION_ISOLATE_DIRS, NULL);

  tmp_dir = g_dir_make_tmp ("test-safetensors-XXXXXX", NULL);
  g_assert_nonnull (tmp_dir);

  g_test_add_func ("/attention/safetensors/valid", test_valid);
  g_test_add_func ("/attention/safetensors/conversion", test_conversion);
  g_test_add_func ("/attention/safetensors/missing", test_missing);
  g_test_add_func ("/attention/safetensors/truncated", test_truncated);
  g_test_add_func ("/attention/safetensors/header-length", test_header_length);
  g_test_add_func ("/attention/safetensors/bad-json", test_bad_json);
  g_test_add_func ("/attention/safetensors/not-object", test_not_object);
  g_test_add_func ("/attention/safetensors/offsets", test_offsets);
  g_test_add_func ("/attention/safetensors/overlap", test_overlap);
  g_test_add_func ("/attention/safetensors/size-mismatch", test_size_mismatch);
  g_test_add_func ("/attention/safetensors/bad-shape", test_bad_shape);
  g_test_add_func ("/attention/safetensors/dtype", test_dtype);

  ret = g_test_run ();

  remove_dir (tmp_dir);
  g_free (tmp_dir);
  return ret;
}
