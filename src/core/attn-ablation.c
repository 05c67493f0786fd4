/* attn-ablation.c
 *
 * Copyright 2026 The Attention authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "attn-ablation"

#include "config.h"

#include <string.h>

#include "attn-ablation.h"
#include "attn-predictions.h"

static AeAblationKind
engine_kind (AttnAblationKind kind)
{
  return kind == ATTN_ABLATION_MEAN ? AE_ABLATION_MEAN : AE_ABLATION_ZERO;
}

static AttnAblationKind
face_kind (AeAblationKind kind)
{
  return kind == AE_ABLATION_MEAN ? ATTN_ABLATION_MEAN : ATTN_ABLATION_ZERO;
}

const char *
attn_ablation_kind_to_string (AttnAblationKind kind)
{
  return ae_ablation_kind_to_string (engine_kind (kind));
}

gboolean
attn_ablation_kind_from_string (const char       *name,
                                AttnAblationKind *kind)
{
  AeAblationKind engine;

  if (name == NULL || !ae_ablation_kind_from_string (name, &engine))
    return FALSE;
  if (kind != NULL)
    *kind = face_kind (engine);
  return TRUE;
}

/* One allocation: the engine's description and the heads it points at. */
struct _AttnAblation
{
  AeAblation ablation;
  bool       heads[];
};

G_DEFINE_BOXED_TYPE (AttnAblation, attn_ablation, attn_ablation_copy, attn_ablation_free)

static AttnAblation *
ablation_new (const AeAblation *from)
{
  gsize n = from->n_layer * from->n_head;
  AttnAblation *self = g_malloc (sizeof *self + MAX (n, 1) * sizeof (bool));

  self->ablation = *from;
  self->ablation.heads = self->heads;
  if (n > 0)
    memcpy (self->heads, from->heads, n * sizeof (bool));
  return self;
}

AttnAblation *
attn_ablation_parse (const char        *list,
                     AttnAblationKind   kind,
                     guint              n_layers,
                     guint              n_heads,
                     GError           **error)
{
  g_autofree bool *heads = NULL;
  AeError ae_error = { 0 };

  g_return_val_if_fail (list != NULL, NULL);

  heads = g_new0 (bool, MAX ((gsize) n_layers * n_heads, 1));
  if (!_attn_status_to_error (ae_ablation_parse (list, n_layers, n_heads, heads, &ae_error),
                              &ae_error, error))
    return NULL;
  return ablation_new (&(AeAblation) { engine_kind (kind), n_layers, n_heads, heads });
}

AttnAblation *
attn_ablation_copy (const AttnAblation *self)
{
  g_return_val_if_fail (self != NULL, NULL);
  return ablation_new (&self->ablation);
}

void
attn_ablation_free (AttnAblation *self)
{
  g_free (self);
}

AttnAblationKind
attn_ablation_get_kind (const AttnAblation *self)
{
  g_return_val_if_fail (self != NULL, ATTN_ABLATION_ZERO);
  return face_kind (self->ablation.kind);
}

char *
attn_ablation_to_list (const AttnAblation *self)
{
  g_return_val_if_fail (self != NULL, NULL);
  return attn_ablation_dup_list (&self->ablation);
}

AttnAblation *
attn_result_dup_ablation (const AttnResult *result)
{
  const AeAblation *ablation;

  g_return_val_if_fail (result != NULL, NULL);
  ablation = attn_result_get_ablation (result);
  return ablation != NULL ? ablation_new (ablation) : NULL;
}

void
attn_document_set_heads_off (AttnDocument       *document,
                             const AttnAblation *ablation)
{
  attn_document_set_ablation (document, ablation != NULL ? &ablation->ablation : NULL);
}

void
attn_run_options_set_ablation (AttnRunOptions     *options,
                               const AttnAblation *ablation)
{
  g_return_if_fail (options != NULL);
  options->ablation = ablation != NULL && ae_ablation_count (&ablation->ablation) > 0
                      ? &ablation->ablation : NULL;
}

void
attn_document_toggle_head (AttnDocument     *document,
                           guint             layer,
                           guint             head,
                           AttnAblationKind  kind)
{
  AttnEngine *engine;
  const AeAblation *current;
  g_autofree bool *heads = NULL;
  AeAblation ablation;
  guint L, NH;

  g_return_if_fail (ATTN_IS_DOCUMENT (document));

  if ((engine = attn_document_get_engine (document)) == NULL)
    return;
  L = attn_engine_get_n_layers (engine);
  NH = attn_engine_get_n_heads (engine);
  if (layer >= L || head >= NH)
    return;

  current = attn_document_get_ablation (document);
  heads = g_new0 (bool, (gsize) L * NH);
  if (current != NULL && current->n_layer == L && current->n_head == NH)
    memcpy (heads, current->heads, (gsize) L * NH * sizeof (bool));
  heads[(gsize) layer * NH + head] = !heads[(gsize) layer * NH + head];
  ablation = (AeAblation) { engine_kind (kind), L, NH, heads };
  attn_document_set_ablation (document, ae_ablation_count (&ablation) > 0 ? &ablation : NULL);
}

gboolean
attn_document_get_ablation_kind (AttnDocument     *document,
                                 AttnAblationKind *kind)
{
  const AeAblation *current;

  g_return_val_if_fail (ATTN_IS_DOCUMENT (document), FALSE);

  current = attn_document_get_ablation (document);
  if (current == NULL)
    return FALSE;
  if (kind != NULL)
    *kind = face_kind (current->kind);
  return TRUE;
}

void
attn_document_set_ablation_kind (AttnDocument     *document,
                                 AttnAblationKind  kind)
{
  const AeAblation *current;
  AeAblation changed;

  g_return_if_fail (ATTN_IS_DOCUMENT (document));

  current = attn_document_get_ablation (document);
  if (current == NULL || current->kind == engine_kind (kind))
    return;
  /* the document's own heads: it copies them before it lets them go */
  changed = *current;
  changed.kind = engine_kind (kind);
  attn_document_set_ablation (document, &changed);
}

char *
attn_document_dup_ablation_list (AttnDocument *document)
{
  g_return_val_if_fail (ATTN_IS_DOCUMENT (document), NULL);

  return attn_ablation_dup_list (attn_document_get_ablation (document));
}

gboolean
attn_result_head_is_off (const AttnResult *result,
                         guint             layer,
                         guint             head,
                         AttnAblationKind *kind)
{
  const AeAblation *ablation = attn_result_get_ablation (result);

  if (!ae_ablation_has (ablation, layer, head))
    return FALSE;
  if (kind != NULL)
    *kind = face_kind (ablation->kind);
  return TRUE;
}

gboolean
attn_result_get_ablation_kind (const AttnResult *result,
                               AttnAblationKind *kind)
{
  const AeAblation *ablation = attn_result_get_ablation (result);

  if (ablation == NULL)
    return FALSE;
  if (kind != NULL)
    *kind = face_kind (ablation->kind);
  return TRUE;
}
