/* attn-walkthrough-pages.c
 *
 * Copyright 2026 The Attention authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "attn-walkthrough"

#include "config.h"

#include <math.h>

#include <glib/gi18n.h>

#include "attn-walkthrough-blocks.h"
#include "attn-walkthrough-pages.h"
#include "attn-walkthrough-token-list.h"

static const char *const step_names[ATTN_STEP_COUNT] = {
  N_("Input"),
  N_("Project to Q, K, V"),
  N_("Rotate by position"),
  N_("Dot product"),
  N_("Scale"),
  N_("Mask"),
  N_("Softmax"),
  N_("Weighted sum of values"),
  N_("Heads joined"),
};

/* Where a page puts what it shows. */
typedef struct
{
  GtkBox            *content;   /* the page's widgets go here */
  const char *const *labels;    /* (T,) the steps' tokens, as shown */
} Page;

static gboolean
all_zero (const float *x,
          guint        n)
{
  for (guint i = 0; i < n; i++)
    if (x[i] != 0.0f)
      return FALSE;
  return TRUE;
}

/* printf into @string, escaping the arguments (not the format) for Pango markup */
static void G_GNUC_PRINTF (2, 3)
append_markup (GString    *string,
               const char *format,
               ...)
{
  g_autofree char *text = NULL;
  va_list args;

  va_start (args, format);
  text = g_markup_vprintf_escaped (format, args);
  va_end (args);
  g_string_append (string, text);
}

static const char *
token (const Page *page,
       size_t      index)
{
  return page->labels[index];
}

static void
show_input (const Page      *page,
            const AttnSteps *s,
            GString         *formula,
            GString         *explanation)
{
  g_autofree char *xq = g_markup_printf_escaped ("<b>x</b> — %s “%s”", _("query"), token (page, s->query));
  g_autofree char *xk = g_markup_printf_escaped ("<b>x<sub>key</sub></b> — %s “%s”", _("key"), token (page, s->key));

  if (s->heads_joined != NULL && s->rms_norm)
    {
      append_markup (formula, "x = RMSNorm(h<sub>i</sub>) = h<sub>i</sub> / rms(h<sub>i</sub>) · g");
      append_markup (explanation,
                              _("Attention in layer %zu reads each token's row of the residual stream after RMSNorm, "
                                "which divides the row by its root mean square (no mean is subtracted) and scales each "
                                "number by a learned gain: %zu numbers for the query and %zu for the key. "
                                "Blue is negative, orange positive."),
                              s->layer, s->n_embd, s->n_embd);
    }
  else if (s->heads_joined != NULL)
    {
      append_markup (formula, "x = LayerNorm(h<sub>i</sub>)");
      append_markup (explanation,
                              _("Attention in layer %zu reads each token's row of the residual stream after LayerNorm: "
                                "%zu numbers for the query and %zu for the key. Blue is negative, orange positive."),
                              s->layer, s->n_embd, s->n_embd);
    }
  else
    {
      append_markup (formula, "x = embedding(token)");
      append_markup (explanation, _("Each token starts as a list of numbers, its embedding: move the sliders above to change them. "
                                    "Blue is negative, orange positive."));
    }
  _attn_walkthrough_add_vector (page->content, xq, "x", s->x, s->n_embd, -1);
  _attn_walkthrough_add_vector (page->content, xk, "x_key", s->x_key, s->n_embd, -1);
}

static void
show_project (const Page      *page,
              const AttnSteps *s,
              GString         *formula,
              GString         *explanation)
{
  /* side by side: three columns of cells, or three small grids of numbers */
  GtkWidget *matrices = s->n_embd * s->head_size > ATTN_WALKTHROUGH_MATRIX_NUMBERS_MAX ? gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 10)
                                                                      : gtk_flow_box_new ();
  const char *names[] = { "<b>W<sub>Q</sub></b>", "<b>W<sub>K</sub></b>", "<b>W<sub>V</sub></b>" };
  const float *ws[] = { s->w_q, s->w_k, s->w_v };
  const struct { const char *markup, *name; const float *values; } vectors[] = {
    { "<b>q</b>", "q", s->q }, { "<b>k</b>", "k", s->k }, { "<b>v</b>", "v", s->v },
    { "<b>b<sub>Q</sub></b>", "b_Q", s->b_q }, { "<b>b<sub>K</sub></b>", "b_K", s->b_k },
    { "<b>b<sub>V</sub></b>", "b_V", s->b_v },
  };
  gboolean biases = !all_zero (s->b_q, s->head_size) || !all_zero (s->b_k, s->head_size) ||
                    !all_zero (s->b_v, s->head_size);

  /* one formula a line, so none wraps in the middle */
  if (biases)
    append_markup (formula, "q = x·W<sub>Q</sub> + b<sub>Q</sub>\nk = x<sub>key</sub>·W<sub>K</sub> + b<sub>K</sub>\n"
                   "v = x<sub>key</sub>·W<sub>V</sub> + b<sub>V</sub>");
  else
    append_markup (formula, "q = x·W<sub>Q</sub>\nk = x<sub>key</sub>·W<sub>K</sub>\nv = x<sub>key</sub>·W<sub>V</sub>");
  if (s->heads_joined != NULL)
    append_markup (explanation,
                   _("Three learned matrices turn the tokens into a query (what “%s” looks for), a key (what “%s” offers) "
                     "and a value (what it passes on): %zu numbers each for this head."),
                   token (page, s->query), token (page, s->key), s->head_size);
  else
    append_markup (explanation,
                   _("Three fixed matrices, chosen so that the default embeddings give the textbook's numbers, turn the tokens "
                     "into a query (what “%s” looks for), a key (what “%s” offers) and a value (what it passes on): "
                     "%zu numbers each."),
                   token (page, s->query), token (page, s->key), s->head_size);
  if (s->n_kv_head < s->n_head)
    {
      size_t group = s->n_head / s->n_kv_head;

      /* Translators: grouped-query attention, e.g. "k and v from KV head 1, shared by heads 4–7." */
      append_markup (explanation, _(" k and v from KV head %zu, shared by heads %zu–%zu."),
                     s->kv_head, s->kv_head * group, s->kv_head * group + group - 1);
    }

  if (GTK_IS_FLOW_BOX (matrices))
    {
      gtk_flow_box_set_selection_mode (GTK_FLOW_BOX (matrices), GTK_SELECTION_NONE);
      gtk_flow_box_set_column_spacing (GTK_FLOW_BOX (matrices), 12);
      gtk_widget_set_can_focus (matrices, FALSE);
    }
  for (guint i = 0; i < G_N_ELEMENTS (names); i++)
    {
      GtkWidget *matrix = _attn_walkthrough_matrix_new (names[i], ws[i], s->n_embd, s->head_size);

      if (GTK_IS_FLOW_BOX (matrices))
        gtk_flow_box_append (GTK_FLOW_BOX (matrices), matrix);
      else
        gtk_box_append (GTK_BOX (matrices), matrix);
    }
  gtk_box_append (page->content, matrices);

  /* the results, then the biases that were added (when there are any) */
  for (guint i = 0; i < (biases ? G_N_ELEMENTS (vectors) : 3); i++)
    _attn_walkthrough_add_vector (page->content, vectors[i].markup, vectors[i].name, vectors[i].values, s->head_size, -1);
}

/* Rotary positions: q and k before and after, and the angles of the pairs. */
static void
show_rotate (const Page      *page,
             const AttnSteps *s,
             GString         *formula,
             GString         *explanation)
{
  size_t pairs = s->rotary_dim / 2;

  if (s->rotary_dim == 0)
    {
      append_markup (formula, "q′ = q,  k′ = k");
      append_markup (explanation, s->heads_joined != NULL
                                  ? _("Nothing turns here: this model adds a learned position embedding to each token "
                                      "before step 1, so q and k already carry where their tokens stand. Models with "
                                      "rotary positions (Llama, Qwen2, Pythia) rotate q and k at this step instead.")
                                  : _("The sandbox has no positions. Models with rotary positions (Llama, Qwen2, "
                                      "Pythia) rotate q and k here by where their tokens stand."));
      return;
    }

  append_markup (formula, "q′ = R(%zu·θ) q,  k′ = R(%zu·θ) k", s->query, s->key);
  append_markup (explanation,
                 _("Rotary positions: the first %zu of the %zu numbers form %zu pairs (d, d + %zu), and each pair "
                   "turns by its token's position times its own frequency θ<sub>i</sub>. “%s” is at %zu and “%s” at "
                   "%zu, so in q′·k′ only the difference, %zu positions, remains: the score depends on how far apart "
                   "the tokens are."),
                 s->rotary_dim, s->head_size, pairs, pairs, token (page, s->query), s->query,
                 token (page, s->key), s->key, s->query - s->key);
  _attn_walkthrough_add_vector (page->content, "<b>q</b>", "q", s->q, s->head_size, -1);
  _attn_walkthrough_add_vector (page->content, _("<b>q′</b> — q rotated"), "q_rot", s->q_rot, s->head_size, -1);
  _attn_walkthrough_add_vector (page->content, "<b>k</b>", "k", s->k, s->head_size, -1);
  _attn_walkthrough_add_vector (page->content, _("<b>k′</b> — k rotated"), "k_rot", s->k_rot, s->head_size, -1);
  _attn_walkthrough_add_vector (page->content, _("<b>θ<sub>i</sub></b> (radians per position)"), "theta", s->freq, pairs, -1);
  _attn_walkthrough_add_vector (page->content, _("<b>angles of q</b>"), "angle_q", s->angle_q, pairs, -1);
  _attn_walkthrough_add_vector (page->content, _("<b>angles of k</b>"), "angle_k", s->angle_k, pairs, -1);
}

/* "The largest terms: d 12 (0.433), …": the dimensions that decide q·k. */
static char *
largest_products (const AttnSteps *s)
{
  g_autoptr(GString) text = g_string_new (_("Largest terms:"));
  guint order[3] = { 0 };
  guint n = MIN (s->head_size, G_N_ELEMENTS (order));

  /* the n largest |q_d k_d|, by selection: n is tiny */
  for (guint r = 0; r < n; r++)
    {
      int best = -1;

      for (guint d = 0; d < s->head_size; d++)
        {
          gboolean taken = FALSE;

          for (guint t = 0; t < r; t++)
            taken |= order[t] == d;
          if (!taken && (best < 0 || fabsf (s->products[d]) > fabsf (s->products[best])))
            best = d;
        }
      order[r] = best;
    }

  for (guint r = 0; r < n; r++)
    {
      g_autofree char *value = _attn_walkthrough_format_number (s->products[order[r]]);

      g_string_append_printf (text, "%s d<sub>%u</sub> = %s", r > 0 ? "," : "", order[r], value);
    }
  g_string_append_printf (text, _(" of %zu, summing to %.3f."), s->head_size, s->dot);
  return g_string_free (g_steal_pointer (&text), FALSE);
}

static void
show_dot (const Page      *page,
          const AttnSteps *s,
          GString         *formula,
          GString         *explanation)
{
  g_autofree char *dot = _attn_walkthrough_format_number (s->dot);
  g_autofree char *largest = largest_products (s);

  append_markup (formula, "q·k = Σ<sub>d</sub> q<sub>d</sub> k<sub>d</sub> = <b>%s</b>", dot);
  append_markup (explanation, _("Multiply q and k number by number and add the products up: "
                                "the sum is large when the query and the key point the same way."));
  if (s->rotary_dim > 0)
    append_markup (explanation, _(" These are q and k as rotated in step 3."));
  _attn_walkthrough_add_vector (page->content, "<b>q</b>", "q", s->q_rot, s->head_size, -1);
  _attn_walkthrough_add_vector (page->content, "<b>k</b>", "k", s->k_rot, s->head_size, -1);
  _attn_walkthrough_add_vector (page->content, "<b>q<sub>d</sub> k<sub>d</sub></b>", "q⊙k", s->products, s->head_size, -1);
  gtk_box_append (page->content, _attn_walkthrough_text_new (largest));
}

static void
show_scale (const Page      *page,
            const AttnSteps *s,
            GString         *formula,
            GString         *explanation)
{
  g_autofree char *dot = _attn_walkthrough_format_number (s->dot);
  g_autofree char *score = _attn_walkthrough_format_number (s->score);
  g_autofree char *details = NULL;

  append_markup (formula, "score = q·k / √d<sub>k</sub> = %s / √%zu = <b>%s</b>", dot, s->head_size, score);
  append_markup (explanation,
                          _("Dividing by √d<sub>k</sub>, the square root of the head size, keeps scores in a range where the softmax "
                            "still compares them, however long the vectors are."));
  details = g_markup_printf_escaped ("d<sub>k</sub> = %zu    √d<sub>k</sub> = %.3f    1/√d<sub>k</sub> = %.3f",
                                     s->head_size, sqrt ((double) s->head_size), s->scale);
  gtk_box_append (page->content, _attn_walkthrough_text_new (details));
}

static void
show_mask (const Page      *page,
           const AttnSteps *s,
           GString         *formula,
           GString         *explanation)
{
  g_autofree char *score = _attn_walkthrough_format_number (s->score);
  g_autofree char *verdict = NULL;

  if (s->bidirectional)
    {
      append_markup (formula, _("no mask: score<sub>ij</sub> stays as it is"));
      append_markup (explanation, _("Here there is no mask, as in the article: every token sees every other, the "
                                    "ones after it too. A GPT reads left to right and masks the future; switch on "
                                    "the causal mask to see what that changes."));
      gtk_box_append (page->content, _attn_walkthrough_token_list_new (s, page->labels, s->scores, "−∞"));
      return;
    }

  append_markup (formula, "j &gt; i  ⇒  score<sub>ij</sub> = −∞");
  append_markup (explanation, _("GPT-2 reads left to right: a token may look only at itself and at tokens before it. "
                                "Keys in the query's future get −∞, which the softmax turns into a weight of 0."));
  if (s->masked)
    verdict = g_markup_printf_escaped (_("Key %zu “%s” comes after query %zu “%s”: it is in the future, "
                                         "so its score %s becomes <b>−∞</b>."),
                                       s->key, token (page, s->key), s->query, token (page, s->query), score);
  else
    verdict = g_markup_printf_escaped (_("Key %zu “%s” is not after query %zu “%s”: it is visible, "
                                         "so its score stays <b>%s</b>."),
                                       s->key, token (page, s->key), s->query, token (page, s->query), score);
  gtk_box_append (page->content, _attn_walkthrough_text_new (verdict));
  gtk_box_append (page->content, _attn_walkthrough_token_list_new (s, page->labels, s->scores, "−∞"));
}

const char *
_attn_walkthrough_mask_skipped_text (void)
{
  return _("This model has no mask step: an encoder such as BERT lets each token attend to every token, "
           "before and after it, so no score is set to −∞.");
}

static void
show_softmax (const Page      *page,
              const AttnSteps *s,
              GString         *formula,
              GString         *explanation)
{
  GtkWidget *bars = attn_walkthrough_strip_new (ATTN_WALKTHROUGH_STRIP_BARS, _("Softmax row"));
  g_autofree char *weight = _attn_walkthrough_format_number (s->weight);
  g_autofree char *summary = NULL;
  double sum = 0.0, max = 0.0;

  for (size_t j = 0; j < s->n_tokens; j++)
    {
      sum += s->weights[j];
      max = MAX (max, s->weights[j]);
    }

  append_markup (formula, "w<sub>j</sub> = e<sup>score<sub>j</sub></sup> / Σ<sub>i</sub> e<sup>score<sub>i</sub></sup>"
                 "\nw<sub>%zu</sub> = <b>%s</b>", s->key, weight);
  if (s->bidirectional && s->heads_joined != NULL)
    {
      append_markup (explanation, "%s", _attn_walkthrough_mask_skipped_text ());
      g_string_append_c (explanation, ' ');
    }
  append_markup (explanation, _("The softmax turns the query's whole row of scores into weights that are positive "
                                "and sum to 1. The marked bar is “%s”."), token (page, s->key));

  attn_walkthrough_strip_set_values (ATTN_WALKTHROUGH_STRIP (bars), s->weights, 1, s->n_tokens);
  attn_walkthrough_strip_set_labels (ATTN_WALKTHROUGH_STRIP (bars), page->labels,
                                     s->scores, _("score"));
  attn_walkthrough_strip_set_marked (ATTN_WALKTHROUGH_STRIP (bars), s->key);
  attn_walkthrough_strip_set_first_masked (ATTN_WALKTHROUGH_STRIP (bars), _attn_walkthrough_n_visible (s));
  {
    /* what the bars show, for screen readers: this key's weight */
    g_autofree char *description = g_strdup_printf (_("“%s” gets weight %.3f of the %zu visible tokens; the largest is %.3f"),
                                                    token (page, s->key), s->weight, _attn_walkthrough_n_visible (s), max);

    gtk_accessible_update_property (GTK_ACCESSIBLE (bars), GTK_ACCESSIBLE_PROPERTY_DESCRIPTION, description, -1);
  }
  gtk_box_append (page->content, bars);

  if (s->bidirectional)
    summary = g_markup_printf_escaped (_("Σ<sub>j</sub> w<sub>j</sub> = %.3f over all %zu tokens, before and after the query. "
                                         "The tallest bar is %.3f. Hover a bar for its token, weight and score."),
                                       sum, s->n_tokens, max);
  else
    summary = g_markup_printf_escaped (_("Σ<sub>j</sub> w<sub>j</sub> = %.3f over %zu visible tokens; %zu after the query are masked. "
                                         "The tallest bar is %.3f. Hover a bar for its token, weight and score."),
                                       sum, _attn_walkthrough_n_visible (s), s->n_tokens - _attn_walkthrough_n_visible (s), max);
  gtk_box_append (page->content, _attn_walkthrough_text_new (summary));
  gtk_box_append (page->content, _attn_walkthrough_token_list_new (s, page->labels, s->weights, "0"));
}

static void
show_values (const Page      *page,
             const AttnSteps *s,
             GString         *formula,
             GString         *explanation)
{
  g_autofree char *weight = _attn_walkthrough_format_number (s->weight);
  g_autofree char *share = g_markup_printf_escaped ("<b>w·v</b> — %s “%s”", _("this key's share"), token (page, s->key));

  append_markup (formula, "out = Σ<sub>j</sub> w<sub>j</sub> v<sub>j</sub>");
  if (s->masked)
    {
      append_markup (explanation, _("The head's output for the query is the average of the visible tokens' values, "
                                    "weighted by attention. “%s” is in the query's future, so it contributes nothing."),
                     token (page, s->key));
    }
  else
    {
      g_string_append_c (formula, '\n');
      append_markup (formula, _("share of “%s” = %s · v"), token (page, s->key), weight);
      append_markup (explanation, _("The head's output for the query is the average of the visible tokens' values, "
                                    "weighted by attention; this key contributes its weight times its value."));
    }
  _attn_walkthrough_add_vector (page->content, "<b>v</b>", "v", s->v, s->head_size, -1);
  if (!s->masked)
    _attn_walkthrough_add_vector (page->content, share, "w·v", s->share, s->head_size, -1);
  _attn_walkthrough_add_vector (page->content, "<b>out</b> = Σ<sub>j</sub> w<sub>j</sub> v<sub>j</sub>", "head output",
                                s->head_output, s->head_size, -1);
}

static void
show_heads (const Page      *page,
            const AttnSteps *s,
            GString         *formula,
            GString         *explanation)
{
  AttnWalkthroughStrip *joined;

  if (s->heads_joined == NULL)
    {
      append_markup (formula, "attn = [head<sub>0</sub> ‖ … ‖ head<sub>H−1</sub>]·W<sub>O</sub> + b<sub>O</sub>");
      append_markup (explanation, _("The sandbox has a single head, so there is nothing to join. In the model, every "
                                    "head's output is laid side by side and projected back to the model's width by W<sub>O</sub>; "
                                    "switch to Model to see it."));
      return;
    }

  append_markup (formula, "attn = [head<sub>0</sub> ‖ … ‖ head<sub>%zu</sub>]·W<sub>O</sub> + b<sub>O</sub>",
                 s->n_head - 1);
  append_markup (explanation,
                          _("All %zu heads' outputs for “%s” are laid side by side (%zu numbers; this head's part, "
                            "%zu to %zu, is outlined) and projected by W<sub>O</sub>. The result is added to the residual stream."),
                          s->n_head, token (page, s->query), s->n_head * s->head_size, s->head * s->head_size,
                          (s->head + 1) * s->head_size - 1);
  /* the rest of the block, where it is summarised */
  if (s->swiglu)
    append_markup (explanation, _(" Then the block's MLP, a SwiGLU (down(silu(gate·x) ⊙ up·x)), adds its own part."));
  else
    append_markup (explanation, _(" Then the block's MLP (a GELU layer) adds its own part."));
  joined = _attn_walkthrough_add_vector (page->content, "<b>[head<sub>0</sub> ‖ … ‖ head<sub>H−1</sub>]</b>", "heads joined",
                                         s->heads_joined, s->n_head * s->head_size, -1);
  attn_walkthrough_strip_set_marked_range (joined, s->head * s->head_size, s->head_size);
  _attn_walkthrough_add_vector (page->content, "<b>attn</b> = […]·W<sub>O</sub> + b<sub>O</sub>", "attention output",
                                s->attn_output, s->n_embd, -1);
}

const char *
_attn_walkthrough_step_name (int step)
{
  g_return_val_if_fail (step >= 0 && step < ATTN_STEP_COUNT, NULL);

  return _(step_names[step]);
}

void
_attn_walkthrough_show_page (int                step,
                             const AttnSteps   *steps,
                             const char *const *token_labels,
                             GtkBox            *content,
                             GString           *formula,
                             GString           *explanation)
{
  static void (*const pages[ATTN_STEP_COUNT]) (const Page *, const AttnSteps *, GString *, GString *) = {
    show_input, show_project, show_rotate, show_dot, show_scale, show_mask, show_softmax, show_values, show_heads,
  };
  Page page = { content, token_labels };

  g_return_if_fail (step >= 0 && step < ATTN_STEP_COUNT);

  pages[step] (&page, steps, formula, explanation);
}
