/* cli-predict-masked.c — attention-cli predict on an encoder: the words a
 * masked-LM head puts in for [MASK]
 *
 * Copyright 2026 The Attention authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * A BertForMaskedLM, DistilBertForMaskedLM or RobertaForMaskedLM checkpoint
 * reads the whole text at once, so it predicts no next token: it fills in
 * each [MASK] (<mask>) from both sides.  JSON (README, "attention-cli"):
 *
 *   {"model", "tokens", "ids", "token_type_ids", "segments", ["text_b"],
 *    "masked": [{"position", "token", "predictions": [{"id", "token",
 *                "probability", "logit"}, …]}, …]}
 */

#include "config.h"

#include <stdio.h>

#include <glib/gi18n.h>
#include <jansson.h>

#include "attn-masked.h"
#include "attn-pair.h"
#include "cli-common.h"
#include "cli-predict.h"

int
cli_predict_masked (AttnEngine *engine,
                    AttnResult *result,
                    int         position,
                    guint       top,
                    gboolean    json)
{
  guint T = attn_result_get_n_tokens (result);
  g_autoptr(GArray) positions = g_array_new (FALSE, FALSE, sizeof (guint));
  g_autoptr(GPtrArray) predictions = g_ptr_array_new_with_free_func ((GDestroyNotify) g_array_unref);
  g_autoptr(GError) error = NULL;
  const char *mask = attn_engine_get_mask_token (engine);

  /* an encoder without a masked-LM head (a BertModel): the face says why */
  if (!attn_result_has_masked_lm (result))
    {
      g_autoptr(GArray) none = attn_result_predict_masked (result, 0, top, &error);

      return cli_fail_error (error);
    }
  if (position >= 0 && (guint) position >= T)
    return cli_token_out_of_range ("position", position, T);
  if (position >= 0)
    g_array_append_val (positions, position);
  else
    for (guint i = 0; i < attn_result_get_n_masks (result); i++)
      {
        guint at = attn_result_get_mask_position (result, i);

        g_array_append_val (positions, at);
      }
  if (positions->len == 0)
    return cli_fail (_("the text has no %s: put it where a word should be filled in, "
                       "or pass --position"), mask != NULL ? mask : "[MASK]");

  for (guint i = 0; i < positions->len; i++)
    {
      GArray *p = attn_result_predict_masked (result, g_array_index (positions, guint, i), top,
                                              &error);

      if (p == NULL)
        return cli_fail_error (error);
      g_ptr_array_add (predictions, p);
    }
  if (json)
    {
      json_t *root = json_object (), *tokens = json_array (), *ids = json_array ();
      json_t *masked = json_array ();

      for (guint i = 0; i < T; i++)
        {
          json_array_append_new (tokens, json_string (attn_result_get_token_text (result, i)));
          json_array_append_new (ids, json_integer (attn_result_get_token_id (result, i)));
        }
      json_object_set_new (root, "model", json_string (attn_result_get_model_name (result)));
      json_object_set_new (root, "tokens", tokens);
      json_object_set_new (root, "ids", ids);
      cli_json_segments (root, result);
      for (guint i = 0; i < positions->len; i++)
        {
          guint at = g_array_index (positions, guint, i);
          const GArray *p = g_ptr_array_index (predictions, i);

          json_array_append_new (masked, json_pack ("{s:i, s:s, s:o}", "position", (int) at,
                                                    "token", attn_result_get_token_text (result, at),
                                                    "predictions", cli_predictions_json (p, 0, p->len)));
        }
      json_object_set_new (root, "masked", masked);
      cli_json_result_ablation (root, result);
      cli_print_json (root, JSON_INDENT (2) | JSON_PRESERVE_ORDER | JSON_REAL_PRECISION (9));
      json_decref (root);
      return CLI_EXIT_OK;
    }

  for (guint i = 0; i < positions->len; i++)
    {
      guint at = g_array_index (positions, guint, i);
      const GArray *p = g_ptr_array_index (predictions, i);
      g_autofree char *quoted = cli_escape_controls (attn_result_get_token_text (result, at));

      printf (_("Token %u \"%s\", filled in:\n"), at, quoted);
      cli_print_predictions (p, 0, p->len);
    }
  return CLI_EXIT_OK;
}
