/* ae-vocab.c
 *
 * Copyright 2026 The Attention authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The vocabulary: token strings by id, and ids by string through one flat
 * open-addressing table of ids (the strings live once, in the id array).
 * Lookups take a pointer and a length, so the encoder looks up slices of its
 * buffers without copying them into NUL-terminated keys.  The strings and
 * their decoded bytes live in two arenas sized up front, so loading Llama 3's
 * 128,000 tokens is two allocations, not a quarter of a million.
 */

#include <stdlib.h>
#include <string.h>

#include "ae-tokenizer-private.h"

static uint64_t
hash_bytes (const char *s,
            size_t      len)
{
  uint64_t h = 0xcbf29ce484222325u;   /* FNV-1a */

  for (size_t i = 0; i < len; i++)
    {
      h ^= (unsigned char) s[i];
      h *= 0x100000001b3u;
    }
  return h ^ (h >> 29);
}

AeStatus
ae_vocab_init (AeVocab *vocab,
               size_t   n_ids,
               size_t   text_bytes,
               AeError *error)
{
  size_t slots = 64;

  memset (vocab, 0, sizeof *vocab);
  while (slots < 2 * n_ids)
    slots *= 2;

  vocab->n_ids = n_ids;
  vocab->strings = calloc (n_ids, sizeof *vocab->strings);
  vocab->lengths = calloc (n_ids, sizeof *vocab->lengths);
  vocab->bytes = calloc (n_ids, sizeof *vocab->bytes);
  vocab->n_bytes = calloc (n_ids, sizeof *vocab->n_bytes);
  vocab->slots = malloc (slots * sizeof *vocab->slots);
  vocab->mask = slots - 1;
  vocab->arena = malloc (text_bytes + 1);
  vocab->decoded = malloc (text_bytes + 1);
  vocab->arena_cap = text_bytes + 1;
  if ((n_ids > 0 && (vocab->strings == NULL || vocab->lengths == NULL || vocab->bytes == NULL
                     || vocab->n_bytes == NULL))
      || vocab->slots == NULL || vocab->arena == NULL || vocab->decoded == NULL)
    return ae_error_set (error, AE_STATUS_NO_MEMORY, "out of memory for the vocabulary");
  memset (vocab->slots, 0xff, slots * sizeof *vocab->slots);

  return AE_STATUS_OK;
}

static size_t
find_slot (const AeVocab *vocab,
           const char    *string,
           size_t         len)
{
  size_t i = hash_bytes (string, len) & vocab->mask;

  for (;; i = (i + 1) & vocab->mask)
    {
      int32_t id = vocab->slots[i];

      if (id < 0 || (vocab->lengths[id] == len && memcmp (vocab->strings[id], string, len) == 0))
        return i;
    }
}

AeStatus
ae_vocab_add (AeVocab    *vocab,
              const char *string,
              size_t      len,
              int32_t     id,
              int32_t    *clash)
{
  size_t slot;
  char *copy;

  *clash = -1;
  if (id < 0 || (size_t) id >= vocab->n_ids)
    return AE_STATUS_BAD_TOKENIZER;
  if (vocab->strings[id] != NULL)
    {
      *clash = id;
      return AE_STATUS_BAD_TOKENIZER;
    }
  slot = find_slot (vocab, string, len);
  if (vocab->slots[slot] >= 0)
    {
      *clash = vocab->slots[slot];
      return AE_STATUS_BAD_TOKENIZER;
    }
  /* The table was sized for n_ids strings at half load, so it never fills;
   * the arena for the strings the caller counted. */
  if (vocab->arena_cap - vocab->arena_used < len + 1)
    return AE_STATUS_NO_MEMORY;
  copy = vocab->arena + vocab->arena_used;
  vocab->arena_used += len + 1;
  memcpy (copy, string, len);
  copy[len] = '\0';

  vocab->strings[id] = copy;
  vocab->lengths[id] = len;
  vocab->slots[slot] = id;
  vocab->n_strings++;

  return AE_STATUS_OK;
}

int32_t
ae_vocab_lookup (const AeVocab *vocab,
                 const char    *string,
                 size_t         len)
{
  return vocab->slots != NULL ? vocab->slots[find_slot (vocab, string, len)] : -1;
}

void
ae_vocab_clear (AeVocab *vocab)
{
  free (vocab->arena);
  free (vocab->decoded);
  free (vocab->strings);
  free (vocab->lengths);
  free (vocab->bytes);
  free (vocab->n_bytes);
  free (vocab->slots);
  memset (vocab, 0, sizeof *vocab);
}
