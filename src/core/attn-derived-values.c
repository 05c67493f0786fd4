/* attn-derived-values.c
 *
 * Copyright 2026 The Attention authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <glib/gi18n.h>

#include "attn-ablation.h"
#include "attn-derived.h"
#include "attn-derived-values.h"
#include "attn-predictions.h"

/* "ablated" and "ablation" when @result's run switched heads off. */
static void
add_ablation (json_t     *members,
              AttnResult *result)
{
  AttnAblationKind kind;
  g_autofree char *list = NULL;
  g_auto(GStrv) items = NULL;
  json_t *heads;

  if (!attn_result_get_ablation_kind (result, &kind))
    return;
  list = attn_result_dup_ablation_list (result);
  items = g_strsplit (list != NULL ? list : "", ",", -1);
  heads = json_array ();
  for (guint i = 0; items[i] != NULL; i++)
    if (items[i][0] != '\0')
      json_array_append_new (heads, json_string (items[i]));
  json_object_set_new (members, "ablated", heads);
  json_object_set_new (members, "ablation", json_string (attn_ablation_kind_to_string (kind)));
}

json_t *
attn_derived_values_collect (AttnResult      *result,
                             AttnResult      *intact,
                             AttnView         view,
                             guint            layer,
                             guint            head,
                             int              query,
                             AttnNamedMatrix  matrices[ATTN_DERIVED_MAX_MATRICES],
                             gsize           *n_matrices,
                             GPtrArray       *owned,
                             GError         **error)
{
  AttnAblationKind kind;
  json_t *members;
  float *values;

  g_return_val_if_fail (result != NULL && matrices != NULL && n_matrices != NULL && owned != NULL, NULL);

  if (view == ATTN_VIEW_DELTA)
    {
      if (!attn_result_get_ablation_kind (result, &kind))
        {
          g_set_error_literal (error, ATTN_ENGINE_ERROR, ATTN_ENGINE_ERROR_INVALID,
                               _("No heads are switched off: there is no difference to export"));
          return NULL;
        }
      if (intact == NULL)
        {
          g_set_error_literal (error, ATTN_ENGINE_ERROR, ATTN_ENGINE_ERROR_INVALID,
                               _("A difference needs the intact model’s run of the same text"));
          return NULL;
        }
      if ((values = attn_result_dup_delta (result, intact, layer, head, error)) == NULL)
        return NULL;
      g_ptr_array_add (owned, values);
      matrices[0] = (AttnNamedMatrix) { "delta", values };
      matrices[1] = (AttnNamedMatrix) { "intact_weights", attn_result_get_weights (intact, layer, head) };
      matrices[2] = (AttnNamedMatrix) { "ablated_weights", attn_result_get_weights (result, layer, head) };
      *n_matrices = 3;
      members = json_object ();
      json_object_set_new (members, "view", json_string ("delta"));
      json_object_set_new (members, "layer", json_integer (layer));
      json_object_set_new (members, "head", json_integer (head));
    }
  else if (view == ATTN_VIEW_ROLLOUT)
    {
      if ((values = attn_result_dup_rollout (result, error)) == NULL)
        return NULL;
      g_ptr_array_add (owned, values);
      matrices[0] = (AttnNamedMatrix) { "rollout", values };
      *n_matrices = 1;
      members = json_object ();
      json_object_set_new (members, "view", json_string ("rollout"));
      json_object_set_new (members, "query", json_integer (query));
    }
  else
    {
      g_set_error_literal (error, ATTN_ENGINE_ERROR, ATTN_ENGINE_ERROR_INVALID,
                           _("Only the difference and rollout views have values of their own"));
      return NULL;
    }
  add_ablation (members, result);
  return members;
}
