/* attn-document-words.c
 *
 * Copyright 2026 The Attention authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The selection as views see it: through the view result's words when
 * word pieces are merged (attn-document.h).
 */

#define G_LOG_DOMAIN "attn-document"

#include "config.h"

#include "attn-document.h"

/* A token of the result as an index of the view result. */
static int
to_view (AttnDocument *self,
         int           token)
{
  AttnResult *view = attn_document_get_view_result (self);

  return view != NULL ? attn_result_index_of_token (view, token) : token;
}

/* An index of the view result as a token: a word's last piece as query,
 * its first as key. */
static int
to_token (AttnDocument *self,
          int           index,
          gboolean      as_query)
{
  AttnResult *view = attn_document_get_view_result (self);

  return view != NULL ? attn_result_token_of_index (view, index, as_query) : index;
}

int
attn_document_get_view_query (AttnDocument *self)
{
  g_return_val_if_fail (ATTN_IS_DOCUMENT (self), -1);
  return to_view (self, attn_document_get_query (self));
}

int
attn_document_get_view_key (AttnDocument *self)
{
  g_return_val_if_fail (ATTN_IS_DOCUMENT (self), -1);
  return to_view (self, attn_document_get_key (self));
}

void
attn_document_set_view_query (AttnDocument *self,
                              int           query)
{
  g_return_if_fail (ATTN_IS_DOCUMENT (self));
  attn_document_set_query (self, to_token (self, query, TRUE));
}

void
attn_document_set_view_key (AttnDocument *self,
                            int           key)
{
  g_return_if_fail (ATTN_IS_DOCUMENT (self));
  attn_document_set_key (self, to_token (self, key, FALSE));
}
