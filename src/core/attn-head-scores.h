/* attn-head-scores.h
 *
 * Copyright 2026 The Attention authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The standard head detectors (issue 14) for every head of a model, on a
 * result's own text and on the built-in induction probe: the GObject
 * face's view of ae-detectors.h.  Previous token, duplicate token,
 * induction, first token (sink) and self, each a score from 0 to 1 (the
 * mean weight on what the detector looks for).  The probe is BOS, 25
 * distinct random ordinary tokens and the same 25 again (Olsson et al.
 * 2022), run through the same engine with the result's own ablation; on it
 * an induction head puts its weight on the token right after the earlier
 * copy of the current one.
 *
 * An AttnHeadScores is immutable once computed, so a worker thread makes it
 * and every view shares it by reference.  One head costs O(T²), all of
 * them L·NH·T² plus a forward pass of the probe: compute them off the main
 * thread (attn_head_scores_compute_async ()).
 */
#pragma once

#include <gio/gio.h>

#include "attn-result.h"
#include "attn-values.h"

G_BEGIN_DECLS

/* The same order and meaning as the engine's AeDetector. */
typedef enum
{
  ATTN_DETECTOR_PREVIOUS,    /* weight on the previous token */
  ATTN_DETECTOR_DUPLICATE,   /* on earlier copies of the query's token */
  ATTN_DETECTOR_INDUCTION,   /* on the token after the latest earlier copy */
  ATTN_DETECTOR_FIRST,       /* on token 0: an attention sink */
  ATTN_DETECTOR_SELF,        /* on the query itself */
  ATTN_DETECTOR_COUNT
} AttnDetector;

typedef enum
{
  ATTN_SCORE_SENTENCE,       /* on the result's own text */
  ATTN_SCORE_PROBE,          /* on the induction probe */
  ATTN_SCORE_SOURCE_COUNT
} AttnScoreSource;

/* The induction probe's half length and seed; attention-cli heads --probe
 * induction uses the same. */
#define ATTN_PROBE_HALF 25
#define ATTN_PROBE_SEED 2022

/* A head whose induction score on the probe reaches this is named an
 * induction head.  On the probe's second copy a head spreading its weight
 * evenly over what it sees gives the right token 1/26 … 1/51, under 0.04;
 * 0.15 is four times that at least, and the built-in model's two induction
 * heads pass it while no other head of it comes near (README). */
#define ATTN_INDUCTION_PROBE_THRESHOLD 0.15

typedef struct _AttnHeadScores AttnHeadScores;

#define ATTN_TYPE_HEAD_SCORES (attn_head_scores_get_type ())

GType           attn_head_scores_get_type    (void) G_GNUC_CONST;
AttnHeadScores *attn_head_scores_ref         (AttnHeadScores  *self);
void            attn_head_scores_unref       (AttnHeadScores  *self);

/* Every head's scores on @result's text and, with @probe, on the induction
 * probe (run by the engine that made @result, with its ablation), in the
 * calling thread.  ATTN_ENGINE_ERROR_INVALID without a trace;
 * ATTN_ENGINE_ERROR_CANCELLED when @cancellable fires. */
AttnHeadScores *attn_head_scores_compute     (AttnResult          *result,
                                              gboolean             probe,
                                              GCancellable        *cancellable,
                                              GError             **error);
void            attn_head_scores_compute_async  (AttnResult          *result,
                                                 gboolean             probe,
                                                 GCancellable        *cancellable,
                                                 GAsyncReadyCallback  callback,
                                                 gpointer             user_data);
AttnHeadScores *attn_head_scores_compute_finish (GAsyncResult        *async_result,
                                                 GError             **error);

/* The result the sentence's scores were computed on (borrowed). */
AttnResult     *attn_head_scores_get_result  (AttnHeadScores  *self);
guint           attn_head_scores_get_n_layers (AttnHeadScores *self);
guint           attn_head_scores_get_n_heads (AttnHeadScores  *self);
gboolean        attn_head_scores_has_probe   (AttnHeadScores  *self);

/* One score of one head; NaN when it does not exist (no query qualifies:
 * a text without repeated tokens has no duplicate or induction score, and
 * scores without the probe have no probe column). */
double          attn_head_scores_get         (AttnHeadScores  *self,
                                              AttnScoreSource  source,
                                              AttnDetector     detector,
                                              guint            layer,
                                              guint            head);
/* The L × NH scores of one detector, layer-major; borrowed. */
const double   *attn_head_scores_get_all     (AttnHeadScores  *self,
                                              AttnScoreSource  source,
                                              AttnDetector     detector);
/* How many query rows the duplicate and induction scores average: those
 * whose token occurred earlier in the text (or the probe). */
gsize           attn_head_scores_get_n_repeated (AttnHeadScores *self,
                                                 AttnScoreSource source);
/* The probe's token ids, borrowed; NULL without the probe. */
const gint32   *attn_head_scores_get_probe_ids (AttnHeadScores *self,
                                                guint          *n_ids);

/* "previous", "duplicate", "induction", "first", "self": the names of the
 * CLI's and the exports' JSON. */
const char     *attn_detector_to_string      (AttnDetector     detector);
gboolean        attn_detector_from_string    (const char      *name,
                                              AttnDetector    *detector);
/* Translated, for the chooser and column titles: "Previous token"… */
const char     *attn_detector_get_title      (AttnDetector     detector);

/* "Induction on the probe", "Previous token on this text": what an
 * overlay shows.  (transfer full) */
char           *attn_detector_dup_label      (AttnDetector     detector,
                                              AttnScoreSource  source);

/* Every head by one score, highest first (ties: lower layer, then lower
 * head, first; NaN last).  (transfer full) (array length L × NH) of
 * layer * NH + head indices. */
guint          *attn_head_scores_rank        (AttnHeadScores  *self,
                                              AttnScoreSource  source,
                                              AttnDetector     detector);

/* The table as CSV (a row per head: layer, head, the five scores on the
 * text, then probe_… the five on the probe) or JSON (model, text, tokens,
 * probe_ids, heads[{layer, head, sentence{…}, probe{…}}]); a missing
 * score is empty (CSV) or null (JSON).  (attn-head-scores-export.c) */
char           *attn_head_scores_dup_values  (AttnHeadScores   *self,
                                              AttnValuesFormat  format,
                                              GError          **error);
/* Writes the table to @path (.csv or .json), atomically. */
gboolean        attn_head_scores_write_file  (AttnHeadScores   *self,
                                              const char       *path,
                                              GCancellable     *cancellable,
                                              GError          **error);

/* The same, taking the probe's scores from @previous when it ran the same
 * model with the same heads off (a new text need not rerun the probe). */
AttnHeadScores *_attn_head_scores_compute_reusing (AttnResult          *result,
                                                   gboolean             probe,
                                                   AttnHeadScores      *previous,
                                                   GCancellable        *cancellable,
                                                   GError             **error);
void            _attn_head_scores_compute_reusing_async (AttnResult          *result,
                                                         gboolean             probe,
                                                         AttnHeadScores      *previous,
                                                         GCancellable        *cancellable,
                                                         GAsyncReadyCallback  callback,
                                                         gpointer             user_data);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (AttnHeadScores, attn_head_scores_unref)

G_END_DECLS
