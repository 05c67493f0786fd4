/* attn-learn-glossary.c
 *
 * Copyright 2026 The Attention authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "attn-learn-glossary"

#include "config.h"

#include <glib/gi18n.h>
#include <string.h>

#include "attn-learn-glossary.h"

static const struct
{
  const char *term;
  const char *definition;
} glossary[ATTN_TERM_COUNT] = {
  [ATTN_TERM_TOKEN] = {
    N_("Token"),
    N_("The unit a model reads: a word, a piece of a word or a punctuation mark, "
       "each turned into a vector of numbers (its embedding).") },
  [ATTN_TERM_SELF_ATTENTION] = {
    N_("Self-attention"),
    N_("Attention of a sentence to itself: every token collects information from the tokens of the "
       "same text, weighted by how relevant each one is to it.") },
  [ATTN_TERM_QUERY] = {
    N_("Query (Q)"),
    N_("What a token is looking for: a vector made from the token by a learned matrix W_Q. "
       "It is compared with every key.") },
  [ATTN_TERM_KEY] = {
    N_("Key (K)"),
    N_("What a token offers to be found by: a vector made by W_K. A query that points the same way "
       "as a key gives a high score.") },
  [ATTN_TERM_VALUE] = {
    N_("Value (V)"),
    N_("What a token passes on when it is attended to: a vector made by W_V. The head's output is a "
       "weighted sum of values.") },
  [ATTN_TERM_SCORE] = {
    N_("Attention score"),
    N_("The dot product of a query and a key, divided by the square root of the head size so that "
       "large heads do not produce extreme numbers.") },
  [ATTN_TERM_SOFTMAX] = {
    N_("Softmax"),
    N_("Turns a row of scores into weights: each score is exponentiated and divided by the sum, so "
       "the weights are positive and add up to 1.") },
  [ATTN_TERM_WEIGHTS] = {
    N_("Attention weights"),
    N_("How much one token takes from each other token, from 0 to 1, each row adding up to 1. "
       "The heatmap shows them: one row per query, one column per key.") },
  [ATTN_TERM_CAUSAL_MASK] = {
    N_("Causal mask"),
    N_("In a model that writes left to right, a token may not look at the tokens after it: their "
       "scores are set to minus infinity before the softmax, so their weights are exactly 0.") },
  [ATTN_TERM_HEAD] = {
    N_("Attention head"),
    N_("One complete attention computation with its own W_Q, W_K and W_V. Each head learns its "
       "own pattern, such as looking at the previous token.") },
  [ATTN_TERM_MULTI_HEAD] = {
    N_("Multi-head attention"),
    N_("Several heads side by side in one layer, each working on a smaller slice of the vector; "
       "their outputs are joined and mixed by W_O.") },
  [ATTN_TERM_OUTPUT_PROJECTION] = {
    N_("Output projection (W_O)"),
    N_("The matrix that turns all heads' joined outputs back into one vector of the model's width, "
       "which is then added to the residual stream.") },
  [ATTN_TERM_LAYER] = {
    N_("Layer (block)"),
    N_("One attention step followed by one feed-forward step. Models stack many; later layers work "
       "on what earlier ones wrote.") },
  [ATTN_TERM_RESIDUAL_STREAM] = {
    N_("Residual stream"),
    N_("The vector each token carries through the model. Every attention and feed-forward step reads "
       "it and adds its result to it, rather than replacing it.") },
  [ATTN_TERM_LAYER_NORM] = {
    N_("Layer normalization"),
    N_("Rescales a vector to a standard size before attention or the feed-forward layer reads it "
       "(LayerNorm, or RMSNorm in Llama-family models).") },
  [ATTN_TERM_FEED_FORWARD] = {
    N_("Feed-forward layer (MLP)"),
    N_("The other half of a block: a small two-layer network applied to each token on its own. "
       "Attention moves information between tokens; the MLP transforms it within one.") },
  [ATTN_TERM_ATTENTION_SINK] = {
    N_("Attention sink"),
    N_("A token, usually the first, that many heads give most of their weight when nothing else is "
       "relevant; its value is small, so the head then adds little.") },
  [ATTN_TERM_INDUCTION_HEAD] = {
    N_("Induction head"),
    N_("A head that finds an earlier occurrence of the current token and looks at the token that "
       "followed it, so that a repeated sequence can be continued.") },
  [ATTN_TERM_ABLATION] = {
    N_("Ablation"),
    N_("Switching a part of the model off (here: setting a head's output to zero) and running it "
       "again, to measure what that part contributes.") },
};

const char *
_attn_learn_glossary_get_term (AttnTerm term)
{
  g_return_val_if_fail (term < ATTN_TERM_COUNT, NULL);
  return _(glossary[term].term);
}

const char *
_attn_learn_glossary_get_definition (AttnTerm term)
{
  g_return_val_if_fail (term < ATTN_TERM_COUNT, NULL);
  return _(glossary[term].definition);
}

char *
_attn_learn_glossary_dup_tooltip (AttnTerm term)
{
  g_return_val_if_fail (term < ATTN_TERM_COUNT, NULL);
  /* Translators: a glossary entry as a tooltip: "Term: definition" */
  return g_strdup_printf (_("%s: %s"), _attn_learn_glossary_get_term (term),
                          _attn_learn_glossary_get_definition (term));
}

void
_attn_learn_glossary_add_tooltip (GtkWidget *widget,
                                  AttnTerm   term)
{
  const char *own = gtk_widget_get_tooltip_text (widget);
  g_autofree char *definition = _attn_learn_glossary_dup_tooltip (term);
  g_autofree char *tooltip = NULL;

  g_return_if_fail (GTK_IS_WIDGET (widget));

  /* already there: a second call (a page drawn again) adds nothing */
  if (own != NULL && strstr (own, definition) != NULL)
    return;
  tooltip = own != NULL && own[0] != '\0' ? g_strdup_printf ("%s\n%s", own, definition)
                                           : g_steal_pointer (&definition);
  gtk_widget_set_tooltip_text (widget, tooltip);
}

int
_attn_learn_glossary_term_for_step (AttnStep step)
{
  switch (step)
    {
    case ATTN_STEP_INPUT: return ATTN_TERM_TOKEN;
    case ATTN_STEP_PROJECT: return ATTN_TERM_QUERY;
    case ATTN_STEP_DOT:
    case ATTN_STEP_SCALE: return ATTN_TERM_SCORE;
    case ATTN_STEP_MASK: return ATTN_TERM_CAUSAL_MASK;
    case ATTN_STEP_SOFTMAX: return ATTN_TERM_SOFTMAX;
    case ATTN_STEP_VALUES: return ATTN_TERM_VALUE;
    case ATTN_STEP_HEADS: return ATTN_TERM_OUTPUT_PROJECTION;
    case ATTN_STEP_ROTATE:   /* positions, not a term of the tour */
    case ATTN_STEP_COUNT:
    default: return -1;
    }
}

GtkWidget *
_attn_learn_glossary_new (void)
{
  GtkWidget *list = gtk_list_box_new ();

  gtk_list_box_set_selection_mode (GTK_LIST_BOX (list), GTK_SELECTION_NONE);
  gtk_widget_add_css_class (list, "boxed-list");
  gtk_accessible_update_property (GTK_ACCESSIBLE (list),
                                  GTK_ACCESSIBLE_PROPERTY_LABEL, _("Key terms"), -1);

  for (guint i = 0; i < ATTN_TERM_COUNT; i++)
    {
      GtkWidget *box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 2);
      GtkWidget *term = gtk_label_new (_attn_learn_glossary_get_term (i));
      GtkWidget *definition = gtk_label_new (_attn_learn_glossary_get_definition (i));
      GtkWidget *row;

      gtk_widget_set_margin_top (box, 8);
      gtk_widget_set_margin_bottom (box, 8);
      gtk_widget_set_margin_start (box, 12);
      gtk_widget_set_margin_end (box, 12);
      gtk_label_set_xalign (GTK_LABEL (term), 0);
      gtk_widget_add_css_class (term, "heading");
      gtk_label_set_xalign (GTK_LABEL (definition), 0);
      gtk_label_set_wrap (GTK_LABEL (definition), TRUE);
      gtk_box_append (GTK_BOX (box), term);
      gtk_box_append (GTK_BOX (box), definition);
      row = gtk_list_box_row_new ();
      gtk_list_box_row_set_child (GTK_LIST_BOX_ROW (row), box);
      gtk_list_box_row_set_activatable (GTK_LIST_BOX_ROW (row), FALSE);
      gtk_list_box_append (GTK_LIST_BOX (list), row);
    }

  return list;
}
