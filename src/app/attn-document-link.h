/* attn-document-link.h
 *
 * Copyright 2026 The Attention authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * A widget's link to the AttnDocument it shows: the reference, the signal
 * group that follows the document's notifications, and the read-write
 * "document" property with its getter and setter.  The token strip, the
 * sentence editor, the weight legend and the head description each wrote
 * this out in full; one copy here keeps them alike.
 */
#pragma once

#include <glib-object.h>

#include "attn-document.h"

G_BEGIN_DECLS

typedef struct
{
  AttnDocument *document;   /* owned */
  GSignalGroup *signals;    /* owned: the notifications the owner follows */
} AttnDocumentLink;

/* For class_init: installs "document" (AttnDocument, read-write) as the
 * class's only property.  Reading it reads the link at @link_offset
 * (G_STRUCT_OFFSET of the instance struct); writing it calls @set_document,
 * the type's public setter, as set_document (instance, document). */
void     _attn_document_link_install (GObjectClass     *klass,
                                      gsize             link_offset,
                                      GCallback         set_document);

/* For init: follows the document's signals, each name followed by the
 * callback to call (swapped, with @owner), NULL-terminated:
 * "notify::result", G_CALLBACK (update), "notify::query", …, NULL. */
void     _attn_document_link_init    (AttnDocumentLink *link,
                                      gpointer          owner,
                                      const char       *first_signal,
                                      ...) G_GNUC_NULL_TERMINATED;

/* Links @document (NULL unlinks); FALSE when it was linked already.  When
 * TRUE the owner's "document" has been notified; the caller refreshes. */
gboolean _attn_document_link_set     (AttnDocumentLink *link,
                                      gpointer          owner,
                                      AttnDocument     *document);

/* For dispose. */
void     _attn_document_link_clear   (AttnDocumentLink *link);

G_END_DECLS
