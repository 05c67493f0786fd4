/* ae-byte-level.c
 *
 * Copyright 2026 The Attention authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * GPT-2's bytes_to_unicode(), which every byte-level BPE (GPT-2, Llama 3,
 * Qwen2, SmolLM, Pythia) uses: each byte becomes one printable character so
 * that BPE never sees whitespace or control characters.  Bytes that are
 * already printable Latin-1 keep their code point, the other 68 get 256,
 * 257, ... in byte order ("Ġ" is the space, "Ċ" the newline).
 */

#include <stdbool.h>
#include <string.h>

#include "ae-tokenizer-private.h"

void
ae_byte_level_init (AeByteLevel *table)
{
  int n = 0;

  for (int c = 0; c < 324; c++)
    table->byte_of[c] = -1;

  for (int b = 0; b < 256; b++)
    {
      bool printable = (b >= '!' && b <= '~') || (b >= 0xA1 && b <= 0xAC) || (b >= 0xAE && b <= 0xFF);
      int  cp = printable ? b : 256 + n++;
      char *out = table->symbol[b];

      if (cp < 0x80)
        {
          out[0] = (char) cp;
          out[1] = '\0';
        }
      else
        {
          out[0] = (char) (0xC0 | (cp >> 6));
          out[1] = (char) (0x80 | (cp & 0x3F));
          out[2] = '\0';
        }
      table->byte_of[cp] = (int16_t) b;
    }
}

/* Decodes one UTF-8 character of a vocabulary string (validated by jansson
 * or by the loader).  Returns its length and stores the code point. */
static size_t
utf8_next (const unsigned char *s,
           size_t               left,
           unsigned int        *cp)
{
  if (s[0] < 0x80 || left < 2)
    {
      *cp = s[0];
      return 1;
    }
  if ((s[0] & 0xE0) == 0xC0)
    {
      *cp = ((s[0] & 0x1Fu) << 6) | (s[1] & 0x3Fu);
      return 2;
    }
  if ((s[0] & 0xF0) == 0xE0 && left >= 3)
    {
      *cp = ((s[0] & 0x0Fu) << 12) | ((s[1] & 0x3Fu) << 6) | (s[2] & 0x3Fu);
      return 3;
    }
  if (left >= 4)
    {
      *cp = ((s[0] & 0x07u) << 18) | ((s[1] & 0x3Fu) << 12) | ((s[2] & 0x3Fu) << 6) | (s[3] & 0x3Fu);
      return 4;
    }
  *cp = s[0];
  return 1;
}

/* Characters outside the table, as in added tokens like "<|endoftext|>"
 * whose characters all map to themselves anyway, are copied through as
 * UTF-8, as Hugging Face's ByteLevel decoder does. */
size_t
ae_byte_level_unmap (const AeByteLevel *table,
                     const char        *s,
                     size_t             len,
                     char              *out)
{
  const unsigned char *p = (const unsigned char *) s;
  const unsigned char *end = p + len;
  size_t n = 0;

  while (p < end)
    {
      unsigned int cp;
      size_t step = utf8_next (p, (size_t) (end - p), &cp);

      if (cp < 324 && table->byte_of[cp] >= 0)
        out[n++] = (char) table->byte_of[cp];
      else
        {
          memcpy (out + n, p, step);
          n += step;
        }
      p += step;
    }
  out[n] = '\0';

  return n;
}
