/* test-stats.c — head statistics and labels on matrices built by hand
 *
 * Copyright 2026 The Attention authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include <glib.h>
#include <math.h>

#include "ae-stats.h"

#define T 6

/* Row q puts @on_target on key target(q) and spreads the rest evenly over
 * the other visible keys, so rows sum to 1 and stay causal. */
static void
fill (float  *w,
      size_t (*target) (size_t q),
      double on_target)
{
  for (size_t q = 0; q < T; q++)
    {
      size_t t = target (q);

      for (size_t k = 0; k < T; k++)
        w[q * T + k] = 0.0f;
      if (q == 0)
        {
          w[0] = 1.0f;
          continue;
        }
      for (size_t k = 0; k <= q; k++)
        w[q * T + k] = (float) ((1.0 - on_target) / q);
      w[q * T + t] = (float) on_target;
    }
}

static size_t target_prev (size_t q) { return q - 1; }
static size_t target_first (size_t q) { return 0; }
static size_t target_self (size_t q) { return q; }

static void
test_previous (void)
{
  float w[T * T];
  AeHeadStats stats;

  fill (w, target_prev, 0.9);
  ae_head_stats_compute (w, T, &stats);

  g_assert_cmpuint (stats.n_rows, ==, T - 1);
  g_assert_cmpfloat_with_epsilon (stats.prev_argmax, 1.0, 1e-9);
  g_assert_cmpfloat (stats.prev, >, 0.89);
  g_assert_cmpint (ae_head_label (&stats), ==, AE_HEAD_LABEL_PREVIOUS);
}

static void
test_first (void)
{
  float w[T * T];
  AeHeadStats stats;

  fill (w, target_first, 0.8);
  ae_head_stats_compute (w, T, &stats);

  g_assert_cmpfloat (stats.first, >=, 0.8);
  g_assert_cmpint (ae_head_label (&stats), ==, AE_HEAD_LABEL_FIRST);
  g_assert_cmpstr (ae_head_label_to_string (AE_HEAD_LABEL_FIRST), ==, "first token (sink)");
}

static void
test_self (void)
{
  float w[T * T];
  AeHeadStats stats;

  fill (w, target_self, 0.7);
  ae_head_stats_compute (w, T, &stats);

  g_assert_cmpint (ae_head_label (&stats), ==, AE_HEAD_LABEL_SELF);
  g_assert_cmpfloat (stats.self, >, 0.69);
}

static void
test_uniform_is_broad (void)
{
  float w[T * T];
  AeHeadStats stats;

  /* Uniform rows: entropy is exactly log(q + 1), so the normalised entropy is 1. */
  fill (w, target_first, 0.0);
  for (size_t q = 1; q < T; q++)
    for (size_t k = 0; k <= q; k++)
      w[q * T + k] = 1.0f / (q + 1);
  ae_head_stats_compute (w, T, &stats);

  g_assert_cmpfloat_with_epsilon (stats.entropy_norm, 1.0, 1e-6);
  /* With six tokens most of a uniform row is still within three tokens. */
  g_assert_cmpint (ae_head_label (&stats), ==, AE_HEAD_LABEL_NEARBY);
}

static void
test_too_short (void)
{
  float w[1] = { 1.0f };
  AeHeadStats stats;

  ae_head_stats_compute (w, 1, &stats);
  g_assert_cmpuint (stats.n_rows, ==, 0);
  g_assert_cmpint (ae_head_label (&stats), ==, AE_HEAD_LABEL_NONE);
  ae_head_stats_compute (NULL, 0, &stats);
  g_assert_cmpint (ae_head_label (&stats), ==, AE_HEAD_LABEL_NONE);
}

static void
test_specific_key (void)
{
  float w[T * T] = { 0 };
  AeHeadStats stats;

  /* Every row from 2 on looks at token 2 ("a specific token"), rows 0-1 at themselves. */
  w[0] = 1.0f;
  w[1 * T + 1] = 1.0f;
  for (size_t q = 2; q < T; q++)
    w[q * T + 2] = 1.0f;
  ae_head_stats_compute (w, T, &stats);

  g_assert_cmpuint (stats.top_key, ==, 2);
  g_assert_cmpfloat_with_epsilon (stats.top_key_weight, 1.0, 1e-9);
  g_assert_cmpfloat_with_epsilon (stats.mean_distance, (0.0 + 0.0 + 1.0 + 2.0 + 3.0) / 5.0, 1e-9);
}

/* BOS + five words + the same five words: rows 6..10 are the second copy. */
#define N_WORDS 5
#define T_REP (2 * N_WORDS + 1)

static const int32_t repeated_ids[T_REP] = { 8191, 11, 12, 13, 14, 15, 11, 12, 13, 14, 15 };
static const int32_t distinct_ids[T_REP] = { 8191, 11, 12, 13, 14, 15, 16, 17, 18, 19, 20 };

/* Rows of the second copy put @on_next on the token after the earlier
 * occurrence (key q - N_WORDS + 1), the other rows @on_next on the previous
 * token; the rest is spread evenly over the visible keys. */
static void
fill_induction (float *w,
                double on_next)
{
  for (size_t q = 0; q < T_REP; q++)
    {
      size_t t = q > N_WORDS ? q - N_WORDS + 1 : (q > 0 ? q - 1 : 0);

      for (size_t k = 0; k < T_REP; k++)
        w[q * T_REP + k] = k <= q ? (float) ((1.0 - on_next) / (double) (q + 1)) : 0.0f;
      w[q * T_REP + t] += (float) on_next;
    }
}

static void
test_induction (void)
{
  float w[T_REP * T_REP];
  AeHeadStats stats;

  fill_induction (w, 0.6);
  ae_head_stats_compute_tokens (w, repeated_ids, T_REP, &stats);

  /* Rows 6..10 repeat a token 5 back: all five count (j <= q - 3). */
  g_assert_cmpuint (stats.n_repeat_rows, ==, N_WORDS);
  g_assert_cmpfloat (stats.induction, >, 0.6);
  g_assert_cmpfloat (stats.induction, <, 0.7);
  g_assert_cmpint (ae_head_label (&stats), ==, AE_HEAD_LABEL_INDUCTION);
  g_assert_cmpstr (ae_head_label_to_string (AE_HEAD_LABEL_INDUCTION), ==, "induction");

  /* Without ids, or on text that does not repeat, the same matrix is no
   * induction head: the label needs the repetition, not just the shape. */
  ae_head_stats_compute (w, T_REP, &stats);
  g_assert_cmpuint (stats.n_repeat_rows, ==, 0);
  g_assert_cmpint (ae_head_label (&stats), !=, AE_HEAD_LABEL_INDUCTION);
  ae_head_stats_compute_tokens (w, distinct_ids, T_REP, &stats);
  g_assert_cmpuint (stats.n_repeat_rows, ==, 0);
  g_assert_cmpint (ae_head_label (&stats), !=, AE_HEAD_LABEL_INDUCTION);
}

static void
test_induction_weak_or_rare (void)
{
  float w[T_REP * T_REP];
  int32_t few[T_REP];
  AeHeadStats stats;

  /* Under the 30 % bar: the head is described by what else it does. */
  fill_induction (w, 0.2);
  ae_head_stats_compute_tokens (w, repeated_ids, T_REP, &stats);
  g_assert_cmpfloat (stats.induction, <, 0.3);
  g_assert_cmpint (ae_head_label (&stats), !=, AE_HEAD_LABEL_INDUCTION);

  /* Only three repeated tokens: too few to call it, however strong. */
  fill_induction (w, 0.9);
  for (size_t i = 0; i < T_REP; i++)
    few[i] = i < 9 ? repeated_ids[i] : 100 + (int32_t) i;
  ae_head_stats_compute_tokens (w, few, T_REP, &stats);
  g_assert_cmpuint (stats.n_repeat_rows, ==, 3);
  g_assert_cmpint (ae_head_label (&stats), !=, AE_HEAD_LABEL_INDUCTION);
}

static void
test_previous_on_repeat (void)
{
  float w[T_REP * T_REP];
  AeHeadStats stats;

  /* A previous-token head on repeated text stays a previous-token head:
   * the previous token is never counted as the induction target. */
  for (size_t q = 0; q < T_REP; q++)
    for (size_t k = 0; k < T_REP; k++)
      w[q * T_REP + k] = (q == 0 && k == 0) || (q > 0 && k == q - 1) ? 1.0f : 0.0f;
  ae_head_stats_compute_tokens (w, repeated_ids, T_REP, &stats);
  g_assert_cmpfloat_with_epsilon (stats.induction, 0.0, 1e-9);
  g_assert_cmpint (ae_head_label (&stats), ==, AE_HEAD_LABEL_PREVIOUS);
}

/* An encoder's input, [CLS] the cat play ##ing [SEP]: tokens 3 and 4 are
 * one word. */
static const uint8_t enc_roles[T] = {
  AE_TOKEN_ROLE_CLS, AE_TOKEN_ROLE_WORD, AE_TOKEN_ROLE_WORD, AE_TOKEN_ROLE_WORD, AE_TOKEN_ROLE_WORD,
  AE_TOKEN_ROLE_SEP
};
static const uint32_t enc_words[T] = { 0, 1, 2, 3, 3, 4 };

/* Every row puts @on_target on key target(q) (clamped into the input) and
 * spreads the rest evenly over all T keys, both ways. */
static void
fill_both_ways (float  *w,
                int   (*target) (int q),
                double on_target)
{
  for (int q = 0; q < T; q++)
    {
      int t = CLAMP (target (q), 0, T - 1);

      for (int k = 0; k < T; k++)
        w[q * T + k] = (float) ((1.0 - on_target) / T);
      w[q * T + t] += (float) on_target;
    }
}

static int enc_next (int q) { return q + 1; }
static int enc_prev (int q) { return q - 1; }
static int enc_sep (int q) { return T - 1; }
static int enc_cls (int q) { return 0; }
static int enc_self (int q) { return q; }
/* the other piece of "play ##ing", itself elsewhere */
static int enc_piece (int q) { return q == 3 ? 4 : q == 4 ? 3 : q; }

static void
test_encoder_labels (void)
{
  static const struct {
    int        (*target) (int q);
    AeHeadLabel  label;
    size_t       figure;   /* offset of the figure that earns it */
  } cases[] = {
    { enc_next, AE_HEAD_LABEL_NEXT, G_STRUCT_OFFSET (AeEncoderHeadStats, next) },
    { enc_prev, AE_HEAD_LABEL_PREVIOUS, G_STRUCT_OFFSET (AeEncoderHeadStats, prev) },
    { enc_sep, AE_HEAD_LABEL_SEP, G_STRUCT_OFFSET (AeEncoderHeadStats, sep) },
    { enc_cls, AE_HEAD_LABEL_CLS, G_STRUCT_OFFSET (AeEncoderHeadStats, cls) },
    { enc_self, AE_HEAD_LABEL_SELF, G_STRUCT_OFFSET (AeEncoderHeadStats, self) },
  };
  float w[T * T];
  AeEncoderHeadStats stats;

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      fill_both_ways (w, cases[i].target, 0.8);
      ae_encoder_head_stats_compute (w, enc_roles, enc_words, T, &stats);
      g_assert_cmpuint (stats.n_rows, ==, T);
      g_assert_cmpint (ae_encoder_head_label (&stats), ==, cases[i].label);
      /* 0.8 on the target plus its share of the even 0.2 (next and
       * previous miss it once, at the edge where the target is clamped) */
      g_assert_cmpfloat (G_STRUCT_MEMBER (double, &stats, cases[i].figure), >=, 0.8);
    }

  /* the next-token head's figures, exactly: rows 0..4 put 0.8 + 0.2/6 on
   * the next token */
  fill_both_ways (w, enc_next, 0.8);
  ae_encoder_head_stats_compute (w, enc_roles, enc_words, T, &stats);
  g_assert_cmpfloat_with_epsilon (stats.next, 0.8 + 0.2 / T, 1e-6);
  /* [SEP] is row 4's next token and row 5's clamped target, and gets
   * every row's even share */
  g_assert_cmpfloat_with_epsilon (stats.sep, (2 * 0.8 + 0.2) / T, 1e-6);

  /* even rows: broad, entropy at its maximum over all T keys */
  fill_both_ways (w, enc_self, 0.0);
  ae_encoder_head_stats_compute (w, enc_roles, enc_words, T, &stats);
  g_assert_cmpfloat_with_epsilon (stats.entropy_norm, 1.0, 1e-6);
  g_assert_cmpint (ae_encoder_head_label (&stats), ==, AE_HEAD_LABEL_BROAD);
}

static void
test_encoder_same_word (void)
{
  float w[T * T];
  AeEncoderHeadStats stats;

  /* Rows 3 and 4 look at each other, the rest at themselves. */
  for (int q = 0; q < T; q++)
    for (int k = 0; k < T; k++)
      w[q * T + k] = k == enc_piece (q) ? 1.0f : 0.0f;
  ae_encoder_head_stats_compute (w, enc_roles, enc_words, T, &stats);
  g_assert_cmpuint (stats.n_piece_rows, ==, 2);
  g_assert_cmpfloat_with_epsilon (stats.same_word, 1.0, 1e-9);
  g_assert_cmpint (ae_encoder_head_label (&stats), ==, AE_HEAD_LABEL_SAME_WORD);

  /* Without word numbers there are no pieces to speak of: self (4 of 6
   * rows), never "same word". */
  ae_encoder_head_stats_compute (w, enc_roles, NULL, T, &stats);
  g_assert_cmpuint (stats.n_piece_rows, ==, 0);
  g_assert_cmpint (ae_encoder_head_label (&stats), !=, AE_HEAD_LABEL_SAME_WORD);

  g_assert_cmpstr (ae_head_label_to_string (AE_HEAD_LABEL_SAME_WORD), ==, "same word");
  g_assert_cmpstr (ae_head_label_to_string (AE_HEAD_LABEL_NEXT), ==, "next token");
}

/* A decoder's rule never says what only a head that looks ahead could do,
 * whatever its matrix. */
static void
test_decoder_never_looks_ahead (void)
{
  size_t (*targets[]) (size_t) = { target_prev, target_first, target_self };
  float w[T * T];
  AeHeadStats stats;

  for (guint i = 0; i < G_N_ELEMENTS (targets); i++)
    for (double on = 0.0; on <= 1.0; on += 0.25)
      {
        AeHeadLabel label;

        fill (w, targets[i], on);
        ae_head_stats_compute (w, T, &stats);
        label = ae_head_label (&stats);
        g_assert_true (label != AE_HEAD_LABEL_NEXT && label != AE_HEAD_LABEL_SAME_WORD &&
                       label != AE_HEAD_LABEL_SEP && label != AE_HEAD_LABEL_CLS);
      }
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, G_TEST_OPTION_ISOLATE_DIRS, NULL);

  g_test_add_func ("/attention/stats/previous", test_previous);
  g_test_add_func ("/attention/stats/first", test_first);
  g_test_add_func ("/attention/stats/self", test_self);
  g_test_add_func ("/attention/stats/uniform", test_uniform_is_broad);
  g_test_add_func ("/attention/stats/too-short", test_too_short);
  g_test_add_func ("/attention/stats/specific", test_specific_key);
  g_test_add_func ("/attention/stats/induction", test_induction);
  g_test_add_func ("/attention/stats/induction-weak-or-rare", test_induction_weak_or_rare);
  g_test_add_func ("/attention/stats/previous-on-repeat", test_previous_on_repeat);
  g_test_add_func ("/attention/stats/encoder-labels", test_encoder_labels);
  g_test_add_func ("/attention/stats/encoder-same-word", test_encoder_same_word);
  g_test_add_func ("/attention/stats/decoder-never-looks-ahead", test_decoder_never_looks_ahead);

  return g_test_run ();
}
