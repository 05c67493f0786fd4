/* attn-head-description-scores.c
 *
 * Copyright 2026 The Attention authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * What the head detectors add to a head's description (issue 14): its five
 * scores on the text and on the induction probe, and the name "induction
 * head" when the probe says so.  The text's own label can only call a head
 * an induction head on repeated text; the probe repeats a random sequence
 * whatever was typed, so it names one on any sentence.
 */

#define G_LOG_DOMAIN "attn-head-description"

#include "config.h"

#include <math.h>
#include <string.h>

#include <glib/gi18n.h>

#include "attn-head-description.h"

static void
append_scores (GString         *line,
               AttnHeadScores  *scores,
               AttnScoreSource  source,
               guint            layer,
               guint            head)
{
  for (int d = 0; d < ATTN_DETECTOR_COUNT; d++)
    {
      double x = attn_head_scores_get (scores, source, (AttnDetector) d, layer, head);

      if (d > 0)
        g_string_append (line, " · ");
      if (isnan (x))
        /* Translators: a detector without a score (no token occurs twice): "Induction –" */
        g_string_append_printf (line, _("%s –"), attn_detector_get_title ((AttnDetector) d));
      else
        /* Translators: one detector score in a head's description: "Previous token 0.62" */
        g_string_append_printf (line, _("%s %.2f"), attn_detector_get_title ((AttnDetector) d), x);
    }
}

char *
_attn_head_dup_detector_lines (AttnHeadScores  *scores,
                               guint            layer,
                               guint            head,
                               char           **summary)
{
  g_autoptr(GString) line = g_string_new (NULL);
  double induction = attn_head_scores_get (scores, ATTN_SCORE_PROBE, ATTN_DETECTOR_INDUCTION,
                                           layer, head);

  /* Translators: the start of a head's detector scores on the sentence typed */
  g_string_append (line, _("Detectors on this text: "));
  append_scores (line, scores, ATTN_SCORE_SENTENCE, layer, head);
  if (attn_head_scores_has_probe (scores))
    {
      /* Translators: the head's detector scores on the built-in probe follow */
      g_string_append (line, _("; on the induction probe: "));
      append_scores (line, scores, ATTN_SCORE_PROBE, layer, head);
    }

  if (!isnan (induction) && induction >= ATTN_INDUCTION_PROBE_THRESHOLD && *summary != NULL)
    {
      /* What the text's own rule said stays, after the name the probe gives. */
      const char *own = strstr (*summary, ": ");
      g_autofree char *named = NULL;

      /* Translators: a head the induction probe names; layer, head, the share of weight in %, the score, then what the head does on the sentence typed */
      named = g_strdup_printf (_("Layer %u, head %u: An induction head — on the induction probe (random "
                                 "tokens, then the same again) it puts %d %% of its weight on the token "
                                 "after the earlier copy of the current one (score %.2f). On this text: %s"),
                               layer, head, (int) round (induction * 100), induction,
                               own != NULL ? own + 2 : *summary);
      g_free (*summary);
      *summary = g_steal_pointer (&named);
    }
  return g_string_free (g_steal_pointer (&line), FALSE);
}
