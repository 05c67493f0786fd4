/* cli-walkthrough.c — attention-cli walkthrough: every step of one head's
 * score computation for one (query, key) pair, or the seed's cat/sat sandbox
 *
 * Copyright 2026 The Attention authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <glib/gi18n.h>
#include <jansson.h>

#include "attn-sandbox.h"
#include "attn-steps.h"
#include "cli-common.h"

/* The largest |value| --embedding takes. */
#define MAX_EMBEDDING 1000.0

/* Numbers per line of a vector in the text format. */
#define TEXT_PER_LINE 8
/* Show a head's slices in the text format only up to this many numbers. */
#define TEXT_MATRIX_MAX 64

typedef struct
{
  const char         *model_name;
  const char *const  *tokens;     /* (T,) */
  const AttnSteps      *steps;
  guint               dropped_tokens;  /* left out by --truncate */
  AttnResult         *result;     /* the run, for the tokens' segments; NULL in the sandbox */
} Walkthrough;

/* ----------------------------------------------------------------------------
 * JSON */

static json_t *
json_vector (const float *x,
             size_t       n)
{
  json_t *array = json_array ();

  for (size_t i = 0; i < n; i++)
    json_array_append_new (array, cli_json_number (x[i]));
  return array;
}

/* [rows][cols] of a row-major matrix */
static json_t *
json_matrix (const float *m,
             size_t       rows,
             size_t       cols)
{
  json_t *array = json_array ();

  for (size_t i = 0; i < rows; i++)
    json_array_append_new (array, json_vector (m + i * cols, cols));
  return array;
}

static void
print_json (const Walkthrough *w)
{
  const AttnSteps *s = w->steps;
  size_t T = s->n_tokens, C = s->n_embd, hs = s->head_size;
  json_t *root = json_object ();
  json_t *tokens = json_array ();
  json_t *scores = json_array ();

  for (size_t t = 0; t < T; t++)
    {
      json_array_append_new (tokens, json_string (w->tokens[t]));
      json_array_append_new (scores, attn_steps_is_masked (s, t) ? json_null () : cli_json_number (s->scores[t]));
    }

  json_object_set_new (root, "model", json_string (w->model_name));
  json_object_set_new (root, "tokens", tokens);
  json_object_set_new (root, "dropped_tokens", json_integer (w->dropped_tokens));
  if (w->result != NULL)
    cli_json_segments (root, w->result);
  json_object_set_new (root, "layer", json_integer (s->layer));
  json_object_set_new (root, "head", json_integer (s->head));
  json_object_set_new (root, "query", json_integer (s->query));
  json_object_set_new (root, "key", json_integer (s->key));
  json_object_set_new (root, "d_model", json_integer (C));
  json_object_set_new (root, "d_head", json_integer (hs));
  json_object_set_new (root, "n_head", json_integer (s->n_head));
  json_object_set_new (root, "x", json_vector (s->x, C));
  json_object_set_new (root, "x_key", json_vector (s->x_key, C));
  json_object_set_new (root, "w_q", json_matrix (s->w_q, C, hs));
  json_object_set_new (root, "w_k", json_matrix (s->w_k, C, hs));
  json_object_set_new (root, "w_v", json_matrix (s->w_v, C, hs));
  json_object_set_new (root, "b_q", json_vector (s->b_q, hs));
  json_object_set_new (root, "b_k", json_vector (s->b_k, hs));
  json_object_set_new (root, "b_v", json_vector (s->b_v, hs));
  json_object_set_new (root, "q", json_vector (s->q, hs));
  json_object_set_new (root, "k", json_vector (s->k, hs));
  json_object_set_new (root, "v", json_vector (s->v, hs));
  json_object_set_new (root, "n_kv_head", json_integer (s->n_kv_head));
  json_object_set_new (root, "kv_head", json_integer (s->kv_head));
  json_object_set_new (root, "rotary_dim", json_integer (s->rotary_dim));
  json_object_set_new (root, "freq", json_vector (s->freq, s->rotary_dim / 2));
  json_object_set_new (root, "angle_q", json_vector (s->angle_q, s->rotary_dim / 2));
  json_object_set_new (root, "angle_k", json_vector (s->angle_k, s->rotary_dim / 2));
  json_object_set_new (root, "q_rot", json_vector (s->q_rot, hs));
  json_object_set_new (root, "k_rot", json_vector (s->k_rot, hs));
  json_object_set_new (root, "products", json_vector (s->products, hs));
  json_object_set_new (root, "dot", cli_json_number (s->dot));
  json_object_set_new (root, "scale", cli_json_number (s->scale));
  json_object_set_new (root, "score", s->masked ? json_null () : cli_json_number (s->score));
  json_object_set_new (root, "masked", json_boolean (s->masked));
  json_object_set_new (root, "scores", scores);
  json_object_set_new (root, "weights", json_vector (s->weights, T));
  json_object_set_new (root, "weight", cli_json_number (s->weight));
  json_object_set_new (root, "head_output", json_vector (s->head_output, hs));
  json_object_set_new (root, "share", json_vector (s->share, hs));
  json_object_set_new (root, "heads_joined", s->heads_joined ? json_vector (s->heads_joined, s->n_head * hs) : json_null ());
  json_object_set_new (root, "attn_output", s->attn_output ? json_vector (s->attn_output, C) : json_null ());

  cli_print_json (root, JSON_PRESERVE_ORDER | JSON_REAL_PRECISION (9));
  json_decref (root);
}

/* ----------------------------------------------------------------------------
 * text */

static void
print_vector (const char  *name,
              const float *x,
              size_t       n)
{
  printf ("   %s (%zu):\n", name, n);
  for (size_t i = 0; i < n; i++)
    printf ("%s%8.3f%s", i % TEXT_PER_LINE == 0 ? "     " : " ", x[i],
            (i % TEXT_PER_LINE == TEXT_PER_LINE - 1 || i == n - 1) ? "\n" : "");
}

static void
print_matrix (const char  *name,
              const float *m,
              size_t       rows,
              size_t       cols)
{
  if (rows * cols > TEXT_MATRIX_MAX)
    {
      printf ("   %s: %zu × %zu (in --format json)\n", name, rows, cols);
      return;
    }
  printf ("   %s (%zu × %zu):\n", name, rows, cols);
  for (size_t i = 0; i < rows; i++)
    {
      printf ("     ");
      for (size_t j = 0; j < cols; j++)
        printf ("%8.3f", m[i * cols + j]);
      printf ("\n");
    }
}

static void
print_heading (AttnStep step)
{
  printf ("\n%d  %s\n", step + 1, attn_step_to_string (step));
}

static gboolean
any_nonzero (const float *v,
             size_t       n)
{
  for (size_t i = 0; v != NULL && i < n; i++)
    if (v[i] != 0)
      return TRUE;
  return FALSE;
}

static void
print_text (const Walkthrough *w)
{
  const AttnSteps *s = w->steps;
  size_t T = s->n_tokens, C = s->n_embd, hs = s->head_size;
  const char *q_tok = w->tokens[s->query], *k_tok = w->tokens[s->key];

  printf (_("%s, layer %zu, head %zu (d_model %zu, d_head %zu)\n"), w->model_name, s->layer, s->head, C, hs);
  printf (_("query %zu “%s” → key %zu “%s”\n"), s->query, q_tok, s->key, k_tok);

  print_heading (ATTN_STEP_INPUT);
  if (s->heads_joined == NULL)
    printf ("   %s\n", _("The query's and the key's embeddings."));
  else if (s->rms_norm)
    printf ("   %s\n", _("The query's and the key's rows of the residual stream, after RMSNorm."));
  else
    printf ("   %s\n", _("The query's and the key's rows of the residual stream, after LayerNorm."));
  print_vector ("x", s->x, C);
  print_vector ("x_key", s->x_key, C);

  print_heading (ATTN_STEP_PROJECT);
  /* The sandbox (and models without biases: their bias rows are zero)
   * computes q = x·W_Q: say so rather than show a b_Q that is not there. */
  if (any_nonzero (s->b_q, hs) || any_nonzero (s->b_k, hs) || any_nonzero (s->b_v, hs))
    printf ("   q = x·W_Q + b_Q,  k = x_key·W_K + b_K,  v = x_key·W_V + b_V\n");
  else
    printf ("   q = x·W_Q,  k = x_key·W_K,  v = x_key·W_V\n");
  print_matrix ("W_Q", s->w_q, C, hs);
  print_matrix ("W_K", s->w_k, C, hs);
  print_matrix ("W_V", s->w_v, C, hs);
  print_vector ("q", s->q, hs);
  print_vector ("k", s->k, hs);
  print_vector ("v", s->v, hs);
  if (s->n_kv_head < s->n_head)
    {
      size_t group = s->n_head / s->n_kv_head;

      printf (_("   k and v from KV head %zu, shared by heads %zu–%zu\n"), s->kv_head,
              s->kv_head * group, s->kv_head * group + group - 1);
    }

  print_heading (ATTN_STEP_ROTATE);
  if (s->rotary_dim == 0)
    printf ("   %s\n", _("No rotation: this model added learned position embeddings to x before step 1."));
  else
    {
      printf (_("   pairs (d, d + %zu) of the first %zu dimensions turn by position·θ_i: "
                "query %zu, key %zu\n"), s->rotary_dim / 2, s->rotary_dim, s->query, s->key);
      print_vector ("θ_i", s->freq, s->rotary_dim / 2);
      print_vector (_("query angles"), s->angle_q, s->rotary_dim / 2);
      print_vector (_("key angles"), s->angle_k, s->rotary_dim / 2);
      print_vector (_("q rotated"), s->q_rot, hs);
      print_vector (_("k rotated"), s->k_rot, hs);
    }

  print_heading (ATTN_STEP_DOT);
  printf ("   q·k = Σ_d q_d·k_d\n");
  print_vector ("q_d·k_d", s->products, hs);
  printf ("   q·k = %.3f\n", s->dot);

  print_heading (ATTN_STEP_SCALE);
  printf ("   score = q·k / √d_k,  d_k = %zu,  1/√d_k = %.3f\n", hs, s->scale);
  printf ("   score = %.3f\n", s->score);

  print_heading (ATTN_STEP_MASK);
  if (s->masked && s->key < s->query)
    printf (_("   key %zu is %zu or more tokens before query %zu, outside the sliding window: its score becomes −∞\n"),
            s->key, s->window, s->query);
  else if (s->masked)
    printf (_("   key %zu comes after query %zu: it is in the future, so its score becomes −∞\n"), s->key, s->query);
  else
    printf (_("   key %zu is not after query %zu: it is visible, the score stays %.3f\n"), s->key, s->query, s->score);

  print_heading (ATTN_STEP_SOFTMAX);
  printf ("   w_j = exp(score_j) / Σ_i exp(score_i)\n");
  printf ("   %5s  %-16s %8s %8s\n", "j", _("token"), _("score"), _("weight"));
  for (size_t t = 0; t < T; t++)
    {
      if (attn_steps_is_masked (s, t))
        /* "−∞" is two columns but six bytes: pad by columns, not bytes. */
        printf ("   %5zu  %-16s %6s−∞ %8.3f%s\n", t, w->tokens[t], "", s->weights[t], t == s->key ? "  ◀" : "");
      else
        printf ("   %5zu  %-16s %8.3f %8.3f%s\n", t, w->tokens[t], s->scores[t], s->weights[t], t == s->key ? "  ◀" : "");
    }
  printf ("   weight = %.3f\n", s->weight);

  print_heading (ATTN_STEP_VALUES);
  printf ("   head output = Σ_j w_j·v_j\n");
  print_vector ("head output", s->head_output, hs);
  print_vector (_("this key's share w·v"), s->share, hs);

  if (s->heads_joined != NULL)
    {
      print_heading (ATTN_STEP_HEADS);
      printf ("   attention output = concat(head_0 … head_%zu)·W_O + b_O\n", s->n_head - 1);
      print_vector (_("heads joined"), s->heads_joined, s->n_head * hs);
      print_vector (_("attention output (added to the residual stream)"), s->attn_output, C);
      /* the rest of the block, as the app's step summarises it */
      if (s->swiglu)
        printf ("   %s\n", _("Then the block's MLP, a SwiGLU (down(silu(gate·x) ⊙ up·x)), adds its own part."));
      else
        printf ("   %s\n", _("Then the block's MLP (a GELU layer) adds its own part."));
    }
}

/* ----------------------------------------------------------------------------
 * the command */

/* An index, or in the sandbox also a token's name; -1 when invalid. */
static int
parse_position (const char *arg,
                gboolean    sandbox)
{
  char *end = NULL;
  long value;

  if (sandbox && attn_sandbox_token_from_name (arg) >= 0)
    return attn_sandbox_token_from_name (arg);

  value = strtol (arg, &end, 10);
  if (end == arg || *end != '\0' || value < 0 || value > G_MAXINT)
    return -1;
  return (int) value;
}

/* "cat=a,b,c,d" into the matching row of @embeddings. */
static gboolean
parse_embedding (const char *arg,
                 float       embeddings[ATTN_SANDBOX_N_TOKENS][ATTN_SANDBOX_DIM])
{
  g_auto(GStrv) name_values = g_strsplit (arg, "=", 2);
  g_auto(GStrv) values = NULL;
  int token;

  if (g_strv_length (name_values) != 2 || (token = attn_sandbox_token_from_name (name_values[0])) < 0)
    {
      cli_usage (_("--embedding “%s”: write cat=a,b,c,d or sat=a,b,c,d"), arg);
      return FALSE;
    }

  values = g_strsplit (name_values[1], ",", -1);
  if (g_strv_length (values) != ATTN_SANDBOX_DIM)
    {
      cli_usage (_("--embedding “%s”: give %d numbers"), arg, ATTN_SANDBOX_DIM);
      return FALSE;
    }

  for (int i = 0; i < ATTN_SANDBOX_DIM; i++)
    {
      char *end = NULL;
      double value = g_ascii_strtod (values[i], &end);

      if (end == values[i] || *end != '\0' || !isfinite (value))
        {
          cli_usage (_("--embedding “%s”: “%s” is not a number"), arg, values[i]);
          return FALSE;
        }
      /* The app's sliders go from -1 to 1; far past that, q·k overflows
       * float32 and every later step is inf or NaN. */
      if (fabs (value) > MAX_EMBEDDING)
        {
          cli_usage (_("--embedding “%s”: “%s” is out of range: use numbers from %g to %g"),
                    arg, values[i], -MAX_EMBEDDING, MAX_EMBEDDING);
          return FALSE;
        }
      embeddings[token][i] = (float) value;
    }
  return TRUE;
}

static int
run_sandbox (char       **embedding_args,
             const char  *query_arg,
             const char  *key_arg,
             gboolean     json)
{
  static const char *const tokens[ATTN_SANDBOX_N_TOKENS] = { "sat", "cat" };
  float embeddings[ATTN_SANDBOX_N_TOKENS][ATTN_SANDBOX_DIM];
  int query = ATTN_SANDBOX_CAT, key = ATTN_SANDBOX_SAT;
  g_autoptr(AttnSteps) steps = NULL;
  g_autoptr(GError) error = NULL;
  Walkthrough w = { "sandbox", tokens, NULL };

  for (int t = 0; t < ATTN_SANDBOX_N_TOKENS; t++)
    memcpy (embeddings[t], attn_sandbox_default_embedding (t), sizeof embeddings[t]);
  for (guint i = 0; embedding_args != NULL && embedding_args[i] != NULL; i++)
    if (!parse_embedding (embedding_args[i], embeddings))
      return CLI_EXIT_USAGE;

  if (query_arg != NULL && ((query = parse_position (query_arg, TRUE)) < 0 || query >= ATTN_SANDBOX_N_TOKENS))
    return cli_usage (_("--query “%s” is out of range: the sandbox has 0 (sat) and 1 (cat)"), query_arg);
  if (key_arg != NULL && ((key = parse_position (key_arg, TRUE)) < 0 || key >= ATTN_SANDBOX_N_TOKENS))
    return cli_usage (_("--key “%s” is out of range: the sandbox has 0 (sat) and 1 (cat)"), key_arg);

  steps = attn_sandbox_run (embeddings[ATTN_SANDBOX_CAT], embeddings[ATTN_SANDBOX_SAT],
                            query, key, &error);
  if (steps == NULL)
    return cli_fail ("%s", error->message);

  w.steps = steps;
  json ? print_json (&w) : print_text (&w);
  return CLI_EXIT_OK;
}

static int
run_model (const CliCommon *common,
           int              argc,
           char           **argv,
           int              layer,
           int              head,
           const char      *query_arg,
           const char      *key_arg,
           gboolean         json)
{
  g_autofree char *text = NULL;
  g_autoptr(AttnEngine) engine = NULL;
  g_autoptr(AttnResult) result = NULL;
  g_autoptr(AttnSteps) steps = NULL;
  g_autoptr(GError) error = NULL;
  int query, key;
  guint T;
  Walkthrough w = { 0 };

  if (query_arg == NULL || key_arg == NULL)
    return cli_usage (_("give the pair with --query I and --key J (or use --sandbox)"));
  if ((query = parse_position (query_arg, FALSE)) < 0)
    return cli_usage (_("--query “%s” is not a token index"), query_arg);
  if ((key = parse_position (key_arg, FALSE)) < 0)
    return cli_usage (_("--key “%s” is not a token index"), key_arg);

  if ((text = cli_text_argument (argc, argv)) == NULL)
    return CLI_EXIT_USAGE;
  if ((engine = cli_load_engine (common)) == NULL)
    return CLI_EXIT_FAILURE;

  if (!cli_check_layer_head (engine, layer, head) || !cli_check_pair (engine, common))
    return CLI_EXIT_USAGE;

  /* Layer l's steps need no later layer: stop after the one asked for. */
  if ((result = cli_run (engine, common, text, (guint) layer + 1)) == NULL)
    return CLI_EXIT_FAILURE;

  T = attn_result_get_n_tokens (result);
  if ((guint) query >= T)
    return cli_token_out_of_range ("query", query, T);
  if ((guint) key >= T)
    return cli_token_out_of_range ("key", key, T);

  steps = attn_steps_new (result, layer, head, query, key, &error);
  if (steps == NULL)
    return cli_fail ("%s", error->message);

  w.model_name = attn_engine_get_name (engine);
  w.tokens = attn_result_get_token_texts (result);
  w.dropped_tokens = attn_result_get_n_dropped (result);
  w.result = result;
  w.steps = steps;
  json ? print_json (&w) : print_text (&w);
  return CLI_EXIT_OK;
}

int
cli_walkthrough (int    argc,
                 char **argv)
{
  g_auto(CliCommon) common = { 0 };
  g_autofree char *format = NULL;
  g_autofree char *query = NULL;
  g_autofree char *key = NULL;
  g_auto(GStrv) embeddings = NULL;
  gboolean sandbox = FALSE, json;
  g_autofree char *layer_arg = NULL, *head_arg = NULL;
  int layer, head;
  const GOptionEntry entries[] = {
    { "sandbox", 's', 0, G_OPTION_ARG_NONE, &sandbox, N_("The seed's two-token example instead of a model"), NULL },
    { "layer", 'l', 0, G_OPTION_ARG_STRING, &layer_arg, N_("Layer (default: 0)"), N_("L") },
    { "head", 'H', 0, G_OPTION_ARG_STRING, &head_arg, N_("Head (default: 0)"), N_("H") },
    { "query", 'q', 0, G_OPTION_ARG_STRING, &query, N_("Query token index (sandbox: cat or sat; default cat)"), N_("I") },
    { "key", 'k', 0, G_OPTION_ARG_STRING, &key, N_("Key token index (sandbox: cat or sat; default sat)"), N_("J") },
    { "embedding", 'e', 0, G_OPTION_ARG_STRING_ARRAY, &embeddings, N_("Sandbox: a token's embedding, e.g. cat=0.7,-0.3,0.5,0.1"), N_("TOKEN=a,b,c,d") },
    { "format", 'f', 0, G_OPTION_ARG_STRING, &format, N_("text or json (default: text)"), N_("FORMAT") },
    G_OPTION_ENTRY_NULL
  };

  if (!cli_parse ("walkthrough", "[TEXT]", _("Every step of one head's attention score for one query and key"),
                  entries, CLI_PARSE_RUNS_MODEL | CLI_PARSE_PAIRS, &common, &argc, &argv))
    return CLI_EXIT_USAGE;

  if (!cli_text_or_json (format, &json) ||
      !cli_parse_index ("layer", layer_arg, 0, &layer) ||
      !cli_parse_index ("head", head_arg, 0, &head))
    return CLI_EXIT_USAGE;

  if (sandbox)
    {
      if (common.model_dir != NULL)
        return cli_usage (_("--sandbox and --model exclude each other"));
      if (common.pair != NULL)
        return cli_usage (_("--sandbox takes no --pair: its two tokens are one text"));
      if (argc > 1)
        return cli_usage (_("--sandbox takes no TEXT: its tokens are “sat” and “cat”"));
      if (layer != 0 || head != 0)
        return cli_usage (_("the sandbox has one layer and one head"));
      return run_sandbox (embeddings, query, key, json);
    }

  if (embeddings != NULL)
    return cli_usage (_("--embedding needs --sandbox"));
  return run_model (&common, argc, argv, layer, head, query, key, json);
}
