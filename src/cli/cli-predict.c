/* cli-predict.c — attention-cli predict: what the model expects next, or
 * what an encoder puts in for [MASK]
 *
 * Copyright 2026 The Attention authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * A decoder: the distribution of the token after one position (default:
 * the last), through the final norm and the LM head; with --lens, the same
 * read from every layer's residual stream (the logit lens).  An encoder
 * with a masked-LM head: the distribution at every [MASK] (<mask>) of the
 * text, or at --position (cli-predict-masked.c).
 */

#include "config.h"

#include <math.h>
#include <stdio.h>

#include <glib/gi18n.h>
#include <jansson.h>

#include "attn-masked.h"
#include "attn-predictions.h"
#include "cli-common.h"
#include "cli-predict.h"

json_t *
cli_predictions_json (const GArray *predictions,
                      guint         first,
                      guint         n)
{
  json_t *out = json_array ();

  for (guint i = first; i < first + n && i < predictions->len; i++)
    {
      const AttnPrediction *p = &g_array_index (predictions, AttnPrediction, i);

      json_array_append_new (out, json_pack ("{s:i, s:s, s:o, s:o}", "id", (int) p->id,
                                             "token", p->token,
                                             "probability", cli_json_number (p->probability),
                                             "logit", cli_json_number (p->logit)));
    }
  return out;
}

void
cli_print_predictions (const GArray *predictions,
                       guint         first,
                       guint         n)
{
  for (guint i = first; i < first + n && i < predictions->len; i++)
    {
      const AttnPrediction *p = &g_array_index (predictions, AttnPrediction, i);
      g_autofree char *quoted = cli_escape_controls (p->token);

      printf ("  %8.4f  \"%s\"%*s  id %-7d logit %.4f\n", p->probability, quoted, (int) MAX (0, 18 - (int) g_utf8_strlen (quoted, -1)), "", p->id, p->logit);
    }
}

int
cli_predict (int    argc,
             char **argv)
{
  g_auto(CliCommon) common = { 0 };
  int status;
  g_autofree char *format = NULL, *text = NULL, *position_arg = NULL, *top_arg = NULL;
  g_autoptr(AttnEngine) engine = NULL;
  g_autoptr(AttnResult) result = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GArray) predictions = NULL;
  g_autoptr(GArray) lens = NULL;
  gboolean json, with_lens = FALSE;
  int position, top;
  guint T, L;
  const GOptionEntry entries[] = {
    { "top", 'k', 0, G_OPTION_ARG_STRING, &top_arg, N_("How many predictions (default: 10)"), N_("K") },
    { "position", 'p', 0, G_OPTION_ARG_STRING, &position_arg, N_("Predict the token after this one (default: the last)"), N_("I") },
    { "lens", 0, 0, G_OPTION_ARG_NONE, &with_lens, N_("Also the logit lens: the top K read from every layer's residual stream"), NULL },
    { "format", 'f', 0, G_OPTION_ARG_STRING, &format, N_("Output format: text or json"), N_("FORMAT") },
    G_OPTION_ENTRY_NULL
  };

  if (!cli_parse ("predict", "TEXT", _("The model's next-token predictions after a token of TEXT, "
                                       "or an encoder's words for each [MASK]"),
                  entries, CLI_PARSE_RUNS_MODEL | CLI_PARSE_ABLATES | CLI_PARSE_PAIRS,
                  &common, &argc, &argv))
    return CLI_EXIT_USAGE;
  if (!cli_text_or_json (format, &json) ||
      !cli_parse_index ("position", position_arg, -1, &position) ||
      !cli_parse_index ("top", top_arg, 10, &top))
    return CLI_EXIT_USAGE;
  if (top == 0)
    return cli_usage (_("--top must be at least 1"));
  common.predictions = TRUE;
  if ((status = cli_start (&common, argc, argv, &text, &engine, &result)) != CLI_EXIT_OK)
    return status;
  /* an encoder predicts masked words, not the next one */
  if (attn_engine_has_masked_lm (engine) || attn_result_is_bidirectional (result))
    {
      if (with_lens)
        return cli_usage (_("--lens reads a decoder's residual stream: “%s” is an encoder"),
                          attn_engine_get_name (engine));
      return cli_predict_masked (engine, result, position, (guint) top, json);
    }

  T = attn_result_get_n_tokens (result);
  L = attn_result_get_n_layers (result);
  if (T == 0)
    return cli_fail (_("the text has no tokens: there is nothing to predict from"));
  if (position < 0)
    position = (int) T - 1;
  else if ((guint) position >= T)
    return cli_token_out_of_range ("position", position, T);

  if ((predictions = attn_result_predict (result, (guint) position, (guint) top, &error)) == NULL)
    return cli_fail_error (error);
  if (with_lens && (lens = attn_result_lens (result, (guint) position, (guint) top, &error)) == NULL)
    return cli_fail_error (error);

  if (json)
    {
      json_t *tokens = json_array (), *ids = json_array (), *logprobs = json_array ();
      const float *lp = attn_result_get_token_logprobs (result);
      json_t *root;

      for (guint i = 0; i < T; i++)
        {
          json_array_append_new (tokens, json_string (attn_result_get_token_text (result, i)));
          json_array_append_new (ids, json_integer (attn_result_get_token_id (result, i)));
          json_array_append_new (logprobs, cli_json_number (lp[i]));
        }
      root = json_pack ("{s:s, s:o, s:o, s:i, s:o, s:o}",
                        "model", attn_result_get_model_name (result),
                        "tokens", tokens, "ids", ids, "position", position,
                        "predictions", cli_predictions_json (predictions, 0, predictions->len),
                        "token_logprobs", logprobs);
      if (lens != NULL)
        {
          json_t *layers = json_array ();
          guint k = lens->len / (L + 1);

          for (guint b = 0; b <= L; b++)
            json_array_append_new (layers, json_pack ("{s:i, s:o}", "after_layer", (int) b - 1,
                                                      "predictions", cli_predictions_json (lens, b * k, k)));
          json_object_set_new (root, "lens", layers);
        }
      cli_json_result_ablation (root, result);
      cli_print_json (root, JSON_INDENT (2) | JSON_PRESERVE_ORDER | JSON_REAL_PRECISION (9));
      json_decref (root);
      return CLI_EXIT_OK;
    }

  {
    g_autofree char *quoted = cli_escape_controls (attn_result_get_token_text (result, position));
    g_autofree char *label = attn_result_dup_ablation_label (result);

    printf (_("After token %d \"%s\" (%s):\n"), position, quoted,
            label != NULL ? label : _("intact model"));
  }
  cli_print_predictions (predictions, 0, predictions->len);
  if (lens != NULL)
    {
      guint k = lens->len / (L + 1);

      for (guint b = 0; b <= L; b++)
        {
          if (b == 0)
            printf (_("Logit lens, the embeddings:\n"));
          else
            printf (_("Logit lens, after layer %u:\n"), b - 1);
          cli_print_predictions (lens, b * k, k);
        }
    }
  return CLI_EXIT_OK;
}
