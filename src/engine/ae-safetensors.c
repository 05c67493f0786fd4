/* ae-safetensors.c
 *
 * Copyright 2026 The Attention authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * A safetensors file is an 8-byte little-endian header length N, N bytes of
 * JSON ({"name": {"dtype", "shape", "data_offsets": [begin, end]}, ...,
 * optional "__metadata__": {string: string}}), then the data area that the
 * offsets index.  The file is mapped read-only and nothing in it is trusted
 * until the whole header has been checked.  Messages name the tensor and
 * what is wrong; the caller prefixes the file name.
 */

#include <errno.h>
#include <fcntl.h>
#include <jansson.h>
#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include "ae-file.h"
#include "ae-ops.h"
#include "ae-safetensors.h"

/* safetensors is little-endian, and F32 tensors are used in place. */
#if defined(__BYTE_ORDER__) && __BYTE_ORDER__ != __ORDER_LITTLE_ENDIAN__
#error "the engine reads safetensors in place and needs a little-endian machine"
#endif

/* Real headers are a few hundred kilobytes; this refuses absurd lengths
 * before anything is allocated for them. */
#define MAX_HEADER_BYTES ((uint64_t) 100 * 1024 * 1024)

struct _AeSafetensors
{
  void          *map;        /* the whole file, PROT_READ, MAP_PRIVATE */
  size_t         map_size;
  json_t        *header;     /* owns the tensor names */
  AeTensor      *tensors;    /* (n_tensors,) in header order */
  size_t         n_tensors;
};

static const struct
{
  const char *name;
  size_t      size;
} dtypes[AE_DTYPE_COUNT] = {
  [AE_DTYPE_F32]  = { "F32", 4 },
  [AE_DTYPE_F16]  = { "F16", 2 },
  [AE_DTYPE_BF16] = { "BF16", 2 },
};

const char *
ae_dtype_to_string (AeDtype dtype)
{
  return dtype < AE_DTYPE_COUNT ? dtypes[dtype].name : "unknown";
}

size_t
ae_dtype_size (AeDtype dtype)
{
  return dtype < AE_DTYPE_COUNT ? dtypes[dtype].size : 0;
}

/* ----------------------------------------------------------------------------
 * dtype conversion */

static float
f32_from_bits (uint32_t bits)
{
  float f;

  memcpy (&f, &bits, sizeof f);
  return f;
}

/* IEEE half: 1 sign, 5 exponent (bias 15), 10 mantissa bits. */
static float
f16_to_f32 (uint16_t h)
{
  uint32_t sign = (uint32_t) (h & 0x8000) << 16;
  uint32_t exponent = (h >> 10) & 0x1f;
  uint32_t mantissa = h & 0x3ff;

  if (exponent == 0x1f)           /* inf, or nan keeping its payload */
    return f32_from_bits (sign | 0x7f800000 | (mantissa << 13));

  if (exponent == 0)
    {
      if (mantissa == 0)          /* ±0 */
        return f32_from_bits (sign);

      /* Subnormal: mantissa · 2^-24, normal as a float32.  Shift until the
       * leading one reaches the implicit bit. */
      exponent = 127 - 15 + 1;
      while ((mantissa & 0x400) == 0)
        {
          mantissa <<= 1;
          exponent--;
        }
      mantissa &= 0x3ff;
      return f32_from_bits (sign | (exponent << 23) | (mantissa << 13));
    }

  return f32_from_bits (sign | ((exponent + 127 - 15) << 23) | (mantissa << 13));
}

/* bfloat16 is the upper half of a float32. */
static float
bf16_to_f32 (uint16_t b)
{
  return f32_from_bits ((uint32_t) b << 16);
}

void
ae_tensor_to_f32 (const AeTensor *tensor,
                  float          *dst)
{
  const unsigned char *src = tensor->data;
  size_t n = tensor->n_elements;
  uint16_t h;

  switch (tensor->dtype)
    {
    case AE_DTYPE_F32:
      memcpy (dst, src, n * sizeof (float));
      break;

    case AE_DTYPE_F16:
      for (size_t i = 0; i < n; i++)
        {
          h = (uint16_t) (src[2 * i] | (src[2 * i + 1] << 8));
          dst[i] = f16_to_f32 (h);
        }
      break;

    case AE_DTYPE_BF16:
      for (size_t i = 0; i < n; i++)
        {
          h = (uint16_t) (src[2 * i] | (src[2 * i + 1] << 8));
          dst[i] = bf16_to_f32 (h);
        }
      break;

    case AE_DTYPE_COUNT:
    default:
      memset (dst, 0, n * sizeof (float));
      break;
    }
}

/* The index of the first 16-bit value whose exponent bits (@mask) are all
 * ones, or @n; the F16 and BF16 counterpart of ae_first_non_finite(). */
static size_t
first_non_finite_16 (const unsigned char *src,
                     size_t               n,
                     uint16_t             mask)
{
  for (size_t start = 0; start < n; start += 1024)
    {
      size_t end = n - start < 1024 ? n : start + 1024;
      uint16_t h;
      int bad = 0;

      for (size_t i = start; i < end; i++)
        {
          h = (uint16_t) (src[2 * i] | (src[2 * i + 1] << 8));
          bad |= (h & mask) == mask;
        }
      if (bad)
        for (size_t i = start; i < end; i++)
          {
            h = (uint16_t) (src[2 * i] | (src[2 * i + 1] << 8));
            if ((h & mask) == mask)
              return i;
          }
    }
  return n;
}

AeStatus
ae_tensor_check_finite (const AeTensor *tensor,
                        AeError        *error)
{
  size_t n = tensor->n_elements, bad;
  AeTensor one;
  float value;

  switch (tensor->dtype)
    {
    case AE_DTYPE_F32:  bad = ae_first_non_finite (tensor->data, n); break;
    case AE_DTYPE_F16:  bad = first_non_finite_16 (tensor->data, n, 0x7c00); break;
    case AE_DTYPE_BF16: bad = first_non_finite_16 (tensor->data, n, 0x7f80); break;
    case AE_DTYPE_COUNT:
    default:            bad = n; break;
    }
  if (bad >= n)
    return AE_STATUS_OK;

  one = *tensor;
  one.n_elements = 1;
  one.data = (const unsigned char *) tensor->data + bad * ae_dtype_size (tensor->dtype);
  ae_tensor_to_f32 (&one, &value);
  return ae_error_set (error, AE_STATUS_BAD_WEIGHTS,
                       "tensor “%s” holds %s at element %zu; every weight must be a finite "
                       "number (the file is damaged, or was saved after training diverged)",
                       tensor->name, isnan (value) ? "NaN" : value > 0 ? "+Inf" : "-Inf", bad);
}

/* ----------------------------------------------------------------------------
 * header validation */

/* Every dtype safetensors defines; the ones we do not read are refused by
 * name rather than called "unknown". */
static const char *const other_dtypes[] = {
  "F64", "I64", "I32", "I16", "I8", "U64", "U32", "U16", "U8", "BOOL",
  "F8_E4M3", "F8_E5M2", "F8_E8M0", "F6_E2M3", "F6_E3M2", "F4", "C64",
};

static AeStatus
parse_dtype (const char *tname,
             json_t     *value,
             AeDtype    *out,
             AeError    *error)
{
  const char *s;

  if (!json_is_string (value))
    return ae_error_set (error, AE_STATUS_BAD_WEIGHTS,
                         "tensor “%s” has no “dtype” string", tname);
  s = json_string_value (value);

  for (int d = 0; d < AE_DTYPE_COUNT; d++)
    if (strcmp (s, dtypes[d].name) == 0)
      {
        *out = (AeDtype) d;
        return AE_STATUS_OK;
      }

  for (size_t i = 0; i < sizeof other_dtypes / sizeof other_dtypes[0]; i++)
    if (strcmp (s, other_dtypes[i]) == 0)
      return ae_error_set (error, AE_STATUS_UNSUPPORTED,
                           "tensor “%s” has dtype %s; only F32, F16 and BF16 are supported",
                           tname, s);

  return ae_error_set (error, AE_STATUS_UNSUPPORTED,
                       "tensor “%s” has unknown dtype “%.40s”", tname, s);
}

/* A JSON integer in [0, max]. */
static int
get_uint (json_t   *value,
          uint64_t  max,
          uint64_t *out)
{
  json_int_t n;

  if (!json_is_integer (value))
    return 0;
  n = json_integer_value (value);
  if (n < 0 || (uint64_t) n > max)
    return 0;
  *out = (uint64_t) n;
  return 1;
}

static AeStatus
parse_tensor (AeTensor            *t,
              const char          *tname,
              json_t              *entry,
              const unsigned char *data,
              size_t               data_size,
              size_t              *begin_out,
              AeError             *error)
{
  json_t *shape, *offsets;
  uint64_t begin, end, dim;
  AeStatus status;

  memset (t, 0, sizeof *t);
  t->name = tname;

  if (!json_is_object (entry))
    return ae_error_set (error, AE_STATUS_BAD_WEIGHTS,
                         "the header entry for tensor “%s” is not an object", tname);

  if ((status = parse_dtype (tname, json_object_get (entry, "dtype"), &t->dtype, error)))
    return status;

  shape = json_object_get (entry, "shape");
  if (!json_is_array (shape))
    return ae_error_set (error, AE_STATUS_BAD_WEIGHTS, "tensor “%s” has no “shape” array", tname);
  if (json_array_size (shape) > AE_MAX_DIMS)
    return ae_error_set (error, AE_STATUS_BAD_WEIGHTS,
                         "tensor “%s” has %zu dimensions; at most %d are supported",
                         tname, json_array_size (shape), AE_MAX_DIMS);

  t->n_dims = json_array_size (shape);
  t->n_elements = 1;
  for (size_t d = 0; d < t->n_dims; d++)
    {
      if (!get_uint (json_array_get (shape, d), SIZE_MAX, &dim))
        return ae_error_set (error, AE_STATUS_BAD_WEIGHTS,
                             "tensor “%s” has a shape entry that is not a non-negative integer",
                             tname);
      t->shape[d] = (size_t) dim;
      if (__builtin_mul_overflow (t->n_elements, t->shape[d], &t->n_elements))
        return ae_error_set (error, AE_STATUS_BAD_WEIGHTS,
                             "tensor “%s” has a shape too large to address", tname);
    }
  if (__builtin_mul_overflow (t->n_elements, ae_dtype_size (t->dtype), &t->n_bytes))
    return ae_error_set (error, AE_STATUS_BAD_WEIGHTS,
                         "tensor “%s” has a shape too large to address", tname);

  offsets = json_object_get (entry, "data_offsets");
  if (!json_is_array (offsets) || json_array_size (offsets) != 2 ||
      !get_uint (json_array_get (offsets, 0), SIZE_MAX, &begin) ||
      !get_uint (json_array_get (offsets, 1), SIZE_MAX, &end))
    return ae_error_set (error, AE_STATUS_BAD_WEIGHTS,
                         "tensor “%s” needs “data_offsets” as two non-negative integers",
                         tname);

  if (begin > end || end > data_size)
    return ae_error_set (error, AE_STATUS_BAD_WEIGHTS,
                         "tensor “%s” has data_offsets [%llu, %llu] outside the %zu-byte data area",
                         tname, (unsigned long long) begin, (unsigned long long) end, data_size);

  if (end - begin != t->n_bytes)
    return ae_error_set (error, AE_STATUS_BAD_WEIGHTS,
                         "tensor “%s” spans %llu bytes but its shape and dtype need %zu",
                         tname, (unsigned long long) (end - begin), t->n_bytes);

  t->data = data + begin;
  *begin_out = (size_t) begin;
  return AE_STATUS_OK;
}

static AeStatus
check_metadata (json_t  *metadata,
                AeError *error)
{
  const char *key;
  json_t *value;

  if (!json_is_object (metadata))
    return ae_error_set (error, AE_STATUS_BAD_WEIGHTS, "“__metadata__” is not an object");

  json_object_foreach (metadata, key, value)
    if (!json_is_string (value))
      return ae_error_set (error, AE_STATUS_BAD_WEIGHTS,
                           "“__metadata__” entry “%s” is not a string", key);

  return AE_STATUS_OK;
}

typedef struct
{
  size_t begin;
  size_t index;
} Span;

static int
compare_spans (const void *a,
               const void *b)
{
  const Span *x = a, *y = b;

  if (x->begin != y->begin)
    return x->begin < y->begin ? -1 : 1;
  return x->index < y->index ? -1 : (x->index > y->index);
}

/* Sorted by begin, each tensor must end before the next one begins.  Empty
 * tensors own no bytes and never overlap anything. */
static AeStatus
check_overlaps (const AeSafetensors *st,
                Span                *spans,
                AeError             *error)
{
  const AeTensor *prev = NULL;
  size_t prev_end = 0;

  qsort (spans, st->n_tensors, sizeof *spans, compare_spans);

  for (size_t i = 0; i < st->n_tensors; i++)
    {
      const AeTensor *t = &st->tensors[spans[i].index];

      if (t->n_bytes == 0)
        continue;
      if (prev != NULL && spans[i].begin < prev_end)
        return ae_error_set (error, AE_STATUS_BAD_WEIGHTS,
                             "tensors “%s” and “%s” overlap in the data area",
                             prev->name, t->name);
      prev = t;
      prev_end = spans[i].begin + t->n_bytes;
    }

  return AE_STATUS_OK;
}

static AeStatus
parse_header (AeSafetensors *st,
              AeError       *error)
{
  const unsigned char *bytes = st->map;
  const unsigned char *data;
  json_error_t jerror;
  uint64_t header_len = 0;
  size_t data_size, n = 0;
  const char *key;
  json_t *value;
  Span *spans;
  AeStatus status = AE_STATUS_OK;

  if (st->map_size < 8)
    return ae_error_set (error, AE_STATUS_BAD_WEIGHTS,
                         "the file is %zu bytes long, too short for a safetensors header",
                         st->map_size);

  for (int i = 7; i >= 0; i--)
    header_len = (header_len << 8) | bytes[i];

  if (header_len > MAX_HEADER_BYTES)
    return ae_error_set (error, AE_STATUS_BAD_WEIGHTS,
                         "the header claims to be %llu bytes long, more than the %llu-byte "
                         "limit (the file is damaged or not safetensors)",
                         (unsigned long long) header_len, (unsigned long long) MAX_HEADER_BYTES);
  if (header_len < 2)
    return ae_error_set (error, AE_STATUS_BAD_WEIGHTS,
                         "the header claims to be %llu bytes long; even an empty one "
                         "(“{}”) takes 2 (the file is damaged or not safetensors)",
                         (unsigned long long) header_len);
  if (header_len > st->map_size - 8)
    return ae_error_set (error, AE_STATUS_BAD_WEIGHTS,
                         "the header claims to be %llu bytes long, but the file holds %zu "
                         "bytes after the length (the file is truncated or not safetensors)",
                         (unsigned long long) header_len, st->map_size - 8);

  st->header = json_loadb ((const char *) bytes + 8, (size_t) header_len,
                           JSON_REJECT_DUPLICATES | JSON_DECODE_ANY, &jerror);
  if (st->header == NULL)
    return ae_error_set (error, AE_STATUS_BAD_WEIGHTS,
                         "the header is not valid JSON (at byte %d: %s)",
                         jerror.position, jerror.text);
  if (!json_is_object (st->header))
    return ae_error_set (error, AE_STATUS_BAD_WEIGHTS, "the header is not a JSON object");

  data = bytes + 8 + header_len;
  data_size = st->map_size - 8 - (size_t) header_len;

  st->tensors = calloc (json_object_size (st->header) + 1, sizeof *st->tensors);
  spans = calloc (json_object_size (st->header) + 1, sizeof *spans);
  if (st->tensors == NULL || spans == NULL)
    {
      free (spans);
      return ae_error_set (error, AE_STATUS_NO_MEMORY, "out of memory reading the header");
    }

  json_object_foreach (st->header, key, value)
    {
      if (strcmp (key, "__metadata__") == 0)
        status = check_metadata (value, error);
      else
        {
          status = parse_tensor (&st->tensors[n], key, value, data, data_size,
                                 &spans[n].begin, error);
          spans[n].index = n;
          n++;
        }
      if (status != AE_STATUS_OK)
        break;
    }
  st->n_tensors = n;

  if (status == AE_STATUS_OK)
    status = check_overlaps (st, spans, error);

  free (spans);
  return status;
}

/* ----------------------------------------------------------------------------
 * public API */

AeStatus
ae_safetensors_open (AeSafetensors **out,
                     const char     *path,
                     AeError        *error)
{
  AeSafetensors *st;
  struct stat sb;
  AeStatus status;
  int fd;

  *out = NULL;

  if ((status = ae_file_open_regular (path, &fd, &sb, error)) != AE_STATUS_OK)
    return status;

  st = calloc (1, sizeof *st);
  if (st == NULL)
    {
      close (fd);
      return ae_error_set (error, AE_STATUS_NO_MEMORY, "out of memory");
    }

  st->map_size = (size_t) sb.st_size;
  if (st->map_size > 0)
    {
      st->map = mmap (NULL, st->map_size, PROT_READ, MAP_PRIVATE, fd, 0);
      if (st->map == MAP_FAILED)
        {
          st->map = NULL;
          close (fd);
          ae_safetensors_close (st);
          return ae_error_set (error, AE_STATUS_IO, "cannot be mapped (%s)", strerror (errno));
        }
    }
  close (fd);

  status = parse_header (st, error);
  if (status != AE_STATUS_OK)
    {
      ae_safetensors_close (st);
      return status;
    }

  *out = st;
  return AE_STATUS_OK;
}

void
ae_safetensors_close (AeSafetensors *st)
{
  if (st == NULL)
    return;

  if (st->map != NULL)
    munmap (st->map, st->map_size);
  if (st->header != NULL)
    json_decref (st->header);
  free (st->tensors);
  free (st);
}

size_t
ae_safetensors_n_tensors (const AeSafetensors *st)
{
  return st->n_tensors;
}

const AeTensor *
ae_safetensors_tensor (const AeSafetensors *st,
                       size_t               index)
{
  return index < st->n_tensors ? &st->tensors[index] : NULL;
}

const AeTensor *
ae_safetensors_find (const AeSafetensors *st,
                     const char          *name)
{
  for (size_t i = 0; i < st->n_tensors; i++)
    if (strcmp (st->tensors[i].name, name) == 0)
      return &st->tensors[i];

  return NULL;
}
