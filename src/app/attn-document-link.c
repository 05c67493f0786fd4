/* attn-document-link.c
 *
 * Copyright 2026 The Attention authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "attn-document-link"

#include "config.h"

#include <stdarg.h>

#include "attn-document-link.h"

/* Where a class keeps its link and how it sets a document, stored on the
 * type that installed the property (pspec->owner_type). */
typedef struct
{
  gsize      link_offset;
  GCallback  set_document;
} LinkInfo;

enum {
  PROP_0,
  PROP_DOCUMENT,
};

static GQuark
link_info_quark (void)
{
  return g_quark_from_static_string ("attn-document-link-info");
}

static const LinkInfo *
get_info (GParamSpec *pspec)
{
  return g_type_get_qdata (pspec->owner_type, link_info_quark ());
}

static void
get_property (GObject    *object,
              guint       prop_id,
              GValue     *value,
              GParamSpec *pspec)
{
  const LinkInfo *info = get_info (pspec);

  if (prop_id != PROP_DOCUMENT || info == NULL)
    {
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
      return;
    }

  g_value_set_object (value, G_STRUCT_MEMBER (AttnDocumentLink, object, info->link_offset).document);
}

static void
set_property (GObject      *object,
              guint         prop_id,
              const GValue *value,
              GParamSpec   *pspec)
{
  const LinkInfo *info = get_info (pspec);

  if (prop_id != PROP_DOCUMENT || info == NULL)
    {
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
      return;
    }

  ((void (*) (gpointer, AttnDocument *)) info->set_document) (object, g_value_get_object (value));
}

void
_attn_document_link_install (GObjectClass *klass,
                             gsize         link_offset,
                             GCallback     set_document)
{
  LinkInfo *info;

  g_return_if_fail (G_IS_OBJECT_CLASS (klass));
  g_return_if_fail (set_document != NULL);

  /* Lives as long as the type, which is never unloaded. */
  info = g_new0 (LinkInfo, 1);
  info->link_offset = link_offset;
  info->set_document = set_document;
  g_type_set_qdata (G_OBJECT_CLASS_TYPE (klass), link_info_quark (), info);

  klass->get_property = get_property;
  klass->set_property = set_property;
  g_object_class_install_property (klass, PROP_DOCUMENT,
                                   g_param_spec_object ("document", NULL, NULL, ATTN_TYPE_DOCUMENT,
                                                        (G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY |
                                                         G_PARAM_STATIC_STRINGS)));
}

void
_attn_document_link_init (AttnDocumentLink *link,
                          gpointer          owner,
                          const char       *first_signal,
                          ...)
{
  va_list args;

  g_return_if_fail (link != NULL && link->signals == NULL);

  link->signals = g_signal_group_new (ATTN_TYPE_DOCUMENT);

  va_start (args, first_signal);
  for (const char *name = first_signal; name != NULL; name = va_arg (args, const char *))
    g_signal_group_connect_swapped (link->signals, name, va_arg (args, GCallback), owner);
  va_end (args);
}

gboolean
_attn_document_link_set (AttnDocumentLink *link,
                         gpointer          owner,
                         AttnDocument     *document)
{
  g_return_val_if_fail (link != NULL, FALSE);
  g_return_val_if_fail (!document || ATTN_IS_DOCUMENT (document), FALSE);

  if (!g_set_object (&link->document, document))
    return FALSE;

  g_signal_group_set_target (link->signals, document);
  g_object_notify (owner, "document");
  return TRUE;
}

void
_attn_document_link_clear (AttnDocumentLink *link)
{
  if (link->signals != NULL)
    g_signal_group_set_target (link->signals, NULL);
  g_clear_object (&link->signals);
  g_clear_object (&link->document);
}
