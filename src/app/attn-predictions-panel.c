/* attn-predictions-panel.c
 *
 * Copyright 2026 The Attention authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "attn-predictions-panel"

#include "config.h"

#include <glib/gi18n.h>
#include <math.h>

#include "attn-ablation.h"
#include "attn-derived.h"
#include "attn-document-link.h"
#include "attn-learn-glossary.h"
#include "attn-masked.h"
#include "attn-next-tokens.h"
#include "attn-predictions-panel.h"
#include "attn-predictions.h"
#include "attn-sample.h"

#define N_TOP 8
#define N_LENS 3

struct _AttnPredictionsPanel
{
  GtkWidget         parent_instance;

  GtkWidget        *scroller;
  GtkWidget        *title;          /* "After “cat”, the model expects" */
  GtkWidget        *top_grid;       /* token | bar | percent */
  GtkWidget        *other_masks;    /* an encoder's other masks, a line each */
  /* the sections a decoder's next token needs (an encoder's are hidden) */
  GtkWidget        *ablation_box;
  GtkWidget        *tokens_box;     /* each token's probability, the logit lens */
  GtkWidget        *continue_box;
  GtkWidget        *surprise;       /* each token's probability, a bar under each */
  GtkWidget        *lens_grid;
  GtkWidget        *ablation_entry;
  GtkWidget        *ablation_kind;
  GtkWidget        *ablation_note;
  GtkWidget        *temperature;
  GtkWidget        *top_k;
  GtkWidget        *top_p;
  GtkWidget        *seed;
  GtkWidget        *n_tokens;
  GtkWidget        *status;

  AttnDocumentLink  link;
  AttnRng           rng;
  guint             remaining;      /* tokens "Continue" still has to add */
  /* the intact model's top prediction and its log-probability at the
   * position shown, kept while heads are switched off, for the Δ line */
  gint32            intact_id;
  double            intact_logprob;
  int               intact_position;
  char             *intact_text;
  float            *intact_logprobs; /* (T,) each token's, of the intact run of intact_text */
  /* what the surprise row shows: it does not depend on the query */
  AttnResult       *surprise_result; /* owned */
  const float      *surprise_intact;
  guint             intact_n_tokens;
};

G_DEFINE_FINAL_TYPE (AttnPredictionsPanel, attn_predictions_panel, GTK_TYPE_WIDGET)

static GtkWidget *
label_new (const char *text,
           const char *css_class)
{
  GtkWidget *label = gtk_label_new (text);

  gtk_label_set_xalign (GTK_LABEL (label), 0);
  if (css_class != NULL)
    gtk_widget_add_css_class (label, css_class);
  return label;
}

/* A label that wraps at any character if it must: the panel is as wide as
 * the window, down to a 360 px phone. */
static GtkWidget *
wrapping_label_new (const char *text,
                    const char *css_class)
{
  GtkWidget *label = label_new (text, css_class);

  gtk_label_set_wrap (GTK_LABEL (label), TRUE);
  gtk_label_set_wrap_mode (GTK_LABEL (label), PANGO_WRAP_WORD_CHAR);
  return label;
}

/* A button whose label wraps, so a row of them fits a narrow window. */
static GtkWidget *
wrapping_button_new (const char *mnemonic)
{
  GtkWidget *label = gtk_label_new_with_mnemonic (mnemonic);
  GtkWidget *button = gtk_button_new ();

  gtk_label_set_wrap (GTK_LABEL (label), TRUE);
  gtk_label_set_justify (GTK_LABEL (label), GTK_JUSTIFY_CENTER);
  gtk_button_set_child (GTK_BUTTON (button), label);
  gtk_label_set_mnemonic_widget (GTK_LABEL (label), button);
  return button;
}

static void
clear_grid (GtkWidget *grid)
{
  GtkWidget *child;

  while ((child = gtk_widget_get_first_child (grid)) != NULL)
    gtk_grid_remove (GTK_GRID (grid), child);
}

static void
clear_box (GtkWidget *box)
{
  GtkWidget *child;

  while ((child = gtk_widget_get_first_child (box)) != NULL)
    gtk_flow_box_remove (GTK_FLOW_BOX (box), child);
}

/* The position predictions are shown for: the selected token, else the last. */
static int
shown_position (AttnPredictionsPanel *self,
                AttnResult           *result)
{
  int query = attn_document_get_query (self->link.document);
  guint T = attn_result_get_n_tokens (result);

  if (T == 0)
    return -1;
  return query >= 0 && (guint) query < T ? query : (int) T - 1;
}

/* The list of @top (AttnPrediction, by falling probability; NULL: @why). */
static void
fill_list (AttnPredictionsPanel *self,
           const char           *title,
           const GArray         *top,
           const char           *why)
{
  gtk_label_set_text (GTK_LABEL (self->title), title);
  clear_grid (self->top_grid);
  if (top == NULL)
    {
      gtk_grid_attach (GTK_GRID (self->top_grid), wrapping_label_new (why, "dim-label"), 0, 0, 3, 1);
      return;
    }
  for (guint i = 0; i < MIN (top->len, N_TOP); i++)
    {
      const AttnPrediction *p = &g_array_index (top, AttnPrediction, i);
      g_autofree char *name = _attn_dup_shown_token (p->token);
      g_autofree char *pct = g_strdup_printf ("%.1f %%", 100.0 * p->probability);
      GtkWidget *bar = gtk_level_bar_new_for_interval (0.0, 1.0);

      gtk_level_bar_set_value (GTK_LEVEL_BAR (bar), p->probability);
      gtk_widget_set_hexpand (bar, TRUE);
      gtk_widget_set_valign (bar, GTK_ALIGN_CENTER);
      gtk_grid_attach (GTK_GRID (self->top_grid), label_new (name, NULL), 0, (int) i, 1, 1);
      gtk_grid_attach (GTK_GRID (self->top_grid), bar, 1, (int) i, 1, 1);
      gtk_grid_attach (GTK_GRID (self->top_grid), label_new (pct, "numeric"), 2, (int) i, 1, 1);
    }
}

static void
fill_top (AttnPredictionsPanel *self,
          AttnResult           *result,
          int                   position)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GArray) top = attn_result_predict (result, (guint) position, N_TOP, &error);
  g_autofree char *after = _attn_dup_shown_token (attn_result_get_token_text (result, position));
  g_autofree char *title = g_strdup_printf (_("After %s (token %d) the model expects"), after, position);

  fill_list (self, title, top, error ? error->message : NULL);
}

/* An encoder with a masked-LM head predicts no next token: it fills in
 * each [MASK] / <mask>.  The selected mask's words (else the first
 * mask's), the pass's own top-k, shown without hovering the strip. */
static void
fill_masked (AttnPredictionsPanel *self,
             AttnResult           *result)
{
  int query = attn_document_get_query (self->link.document);
  guint n = attn_result_get_n_masks (result), shown = 0;
  g_autofree char *title = NULL;

  clear_box (self->other_masks);
  if (n == 0)
    {
      AttnEngine *engine = attn_document_get_engine (self->link.document);
      const char *mask = engine ? attn_engine_get_mask_token (engine) : NULL;

      /* One line, nothing under it: an encoder predicts no next token. */
      clear_grid (self->top_grid);
      /* Translators: the Predict view of an encoder without a mask in its
       * text; %s is the model's mask token, "[MASK]" or "<mask>" */
      title = g_strdup_printf (_("Put %s in the sentence to see what the model predicts there"),
                               mask ? mask : "[MASK]");
      gtk_label_set_text (GTK_LABEL (self->title), title);
      return;
    }
  for (guint i = 0; i < n; i++)
    if ((int) attn_result_get_mask_position (result, i) == query)
      shown = i;
  /* Translators: the Predict view of an encoder: mask %u of %u, at token %u */
  title = g_strdup_printf (_("Mask %u of %u (token %u): the model fills in"),
                           shown + 1, n, attn_result_get_mask_position (result, shown));
  fill_list (self, title, attn_result_get_mask_predictions (result, shown), NULL);

  /* each other mask on a line of its own: select it in the strip for its list */
  for (guint i = 0; i < n; i++)
    {
      g_autofree char *words = NULL, *line = NULL;

      if (i == shown)
        continue;
      words = _attn_dup_predicted_words (attn_result_get_mask_predictions (result, i), 3);
      /* Translators: a line for another mask of the text: mask %u of %u,
       * at token %u, then its likeliest words (“cat” 23 % · …) */
      line = g_strdup_printf (_("Mask %u of %u (token %u):%s"), i + 1, n,
                              attn_result_get_mask_position (result, i), words ? words : "");
      gtk_flow_box_append (GTK_FLOW_BOX (self->other_masks), wrapping_label_new (line, "dim-label"));
    }
}

/* The intact run's per-token log-probabilities for @result's text, when
 * @result is an ablated run of the same text; else NULL. */
static const float *
intact_logprobs_for (AttnPredictionsPanel *self,
                     AttnResult           *result)
{
  if (!attn_result_get_ablation_kind (result, NULL) || self->intact_logprobs == NULL ||
      self->intact_n_tokens != attn_result_get_n_tokens (result) ||
      g_strcmp0 (self->intact_text, attn_result_get_text (result)) != 0)
    return NULL;
  return self->intact_logprobs;
}

/* A probability on a log scale from 10⁻⁴ (empty) to 1 (full): the
 * probabilities of a text's tokens span orders of magnitude. */
static double
log_bar (double p)
{
  return CLAMP ((log10 (MAX (p, 1e-12)) + 4.0) / 4.0, 0.0, 1.0);
}

static void
clear_surprise (AttnPredictionsPanel *self)
{
  clear_box (self->surprise);
  g_clear_pointer (&self->surprise_result, attn_result_unref);
  self->surprise_intact = NULL;
}

/* "How surprised was the model": each token with a bar of the probability
 * the model gave it after the tokens before it (log scale); with heads
 * switched off, the tooltip gives the intact model's too. */
static void
fill_surprise (AttnPredictionsPanel *self,
               AttnResult           *result)
{
  const float *lp = attn_result_get_token_logprobs (result);
  const float *intact = intact_logprobs_for (self, result);
  guint T = attn_result_get_n_tokens (result);

  /* Up to 512 boxes, labels and bars: rebuilt on each query change they
   * took ~50 ms of a token click at 1,000 tokens, for the same row. */
  if (result == self->surprise_result && intact == self->surprise_intact)
    return;
  clear_surprise (self);
  self->surprise_result = attn_result_ref (result);
  self->surprise_intact = intact;
  if (lp == NULL)
    return;
  for (guint t = 0; t < T && t < 512; t++)
    {
      GtkWidget *box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 2);
      GtkWidget *bar = gtk_level_bar_new_for_interval (0.0, 1.0);
      g_autofree char *tip = NULL;
      double p = isnan (lp[t]) ? 0.0 : exp (lp[t]);

      gtk_box_append (GTK_BOX (box), label_new (attn_result_get_token_text (result, t), NULL));
      gtk_level_bar_set_value (GTK_LEVEL_BAR (bar), log_bar (p));
      gtk_widget_set_size_request (bar, 24, 4);
      gtk_box_append (GTK_BOX (box), bar);
      if (isnan (lp[t]))
        tip = g_strdup (_("The first token: nothing comes before it"));
      else if (intact != NULL)
        tip = g_strdup_printf (_("Probability of this token after the ones before it: %.3g %% with the heads off, %.3g %% intact"),
                               100.0 * p, 100.0 * exp (intact[t]));
      else
        tip = g_strdup_printf (_("Probability of this token after the ones before it: %.3g %%"), 100.0 * p);
      gtk_widget_set_tooltip_text (box, tip);
      gtk_flow_box_append (GTK_FLOW_BOX (self->surprise), box);
    }
}

static void
fill_lens (AttnPredictionsPanel *self,
           AttnResult           *result,
           int                   position)
{
  g_autoptr(GArray) lens = attn_result_lens (result, (guint) position, N_LENS, NULL);
  guint L = attn_result_get_n_layers (result);

  clear_grid (self->lens_grid);
  if (lens == NULL)
    return;
  for (guint b = 0; b <= L; b++)
    {
      g_autofree char *row = b == 0 ? g_strdup (_("Embeddings"))
                                    : g_strdup_printf (_("After layer %u"), b - 1);

      gtk_grid_attach (GTK_GRID (self->lens_grid), label_new (row, "dim-label"), 0, (int) b, 1, 1);
      for (guint i = 0; i < N_LENS && b * N_LENS + i < lens->len; i++)
        {
          const AttnPrediction *p = &g_array_index (lens, AttnPrediction, b * N_LENS + i);
          g_autofree char *name = _attn_dup_shown_token (p->token);
          g_autofree char *cell = g_strdup_printf ("%s %.0f %%", name, 100.0 * p->probability);

          gtk_grid_attach (GTK_GRID (self->lens_grid), label_new (cell, NULL), 1 + (int) i, (int) b, 1, 1);
        }
    }
}

/* The ablation line: which heads are off and what that did to the top
 * prediction of the intact model (Δ log-probability at the same place). */
static void
fill_ablation_note (AttnPredictionsPanel *self,
                    AttnResult           *result,
                    int                   position)
{
  g_autofree char *label = attn_result_dup_ablation_label (result);
  g_autoptr(GArray) top = NULL;

  if (label == NULL)
    {
      /* intact: remember the top prediction to compare against */
      top = attn_result_predict (result, (guint) position, 1, NULL);
      if (top != NULL && top->len > 0)
        {
          self->intact_id = g_array_index (top, AttnPrediction, 0).id;
          self->intact_logprob = log (g_array_index (top, AttnPrediction, 0).probability);
          self->intact_position = position;
          g_free (self->intact_text);
          self->intact_text = g_strdup (attn_result_get_text (result));
          /* a row built with the old ones is rebuilt next time (not
           * emptied now) */
          if (self->surprise_intact != NULL)
            g_clear_pointer (&self->surprise_result, attn_result_unref);
          g_free (self->intact_logprobs);
          self->intact_n_tokens = attn_result_get_n_tokens (result);
          self->intact_logprobs = g_memdup2 (attn_result_get_token_logprobs (result),
                                             self->intact_n_tokens * sizeof (float));
        }
      gtk_label_set_text (GTK_LABEL (self->ablation_note), _("All heads are on."));
      return;
    }

  if (self->intact_text != NULL && self->intact_position == position &&
      g_strcmp0 (self->intact_text, attn_result_get_text (result)) == 0)
    {
      double logprob = attn_result_logprob_of (result, (guint) position, self->intact_id);
      g_autofree char *note = NULL;
      g_autofree char *token = attn_result_dup_id_text (result, self->intact_id);
      g_autofree char *name = _attn_dup_shown_token (token);

      const float *intact = intact_logprobs_for (self, result);
      const float *lp = attn_result_get_token_logprobs (result);
      double before = 0.0, after = 0.0;
      guint n = 0;

      /* the text's own tokens: mean log-probability intact and ablated */
      for (guint t = 1; intact != NULL && t < self->intact_n_tokens; t++)
        {
          before += intact[t];
          after += lp[t];
          n++;
        }
      if (n > 0)
        note = g_strdup_printf (_("%s. The intact model's top prediction %s: log-probability %.2f → %.2f (Δ %+.2f). "
                                  "The text's tokens: mean log-probability %.2f → %.2f (Δ %+.2f)."),
                                label, name, self->intact_logprob, logprob,
                                logprob - self->intact_logprob, before / n, after / n,
                                (after - before) / n);
      else
        note = g_strdup_printf (_("%s. The intact model's top prediction %s: log-probability %.2f → %.2f (Δ %+.2f)"),
                                label, name, self->intact_logprob, logprob,
                                logprob - self->intact_logprob);
      gtk_label_set_text (GTK_LABEL (self->ablation_note), note);
    }
  else
    gtk_label_set_text (GTK_LABEL (self->ablation_note), label);
}

/* Only what applies to the model: an encoder fills in masks, so the next
 * token's sections (each token's probability, the logit lens, Continue)
 * are hidden rather than left empty under their headings; switching heads
 * off stays while there is something it changes the predictions of. */
static void
show_sections (AttnPredictionsPanel *self,
               AttnResult           *result)
{
  gboolean next = !attn_result_is_bidirectional (result);

  gtk_widget_set_visible (self->tokens_box, next);
  gtk_widget_set_visible (self->continue_box, next);
  gtk_widget_set_visible (self->ablation_box,
                          attn_result_has_predictions (result) || attn_result_has_masked_lm (result));
}

/* With heads off, an encoder's note says which (its words above are the
 * ablated model's). */
static void
fill_masked_ablation_note (AttnPredictionsPanel *self,
                           AttnResult           *result)
{
  g_autofree char *label = attn_result_dup_ablation_label (result);

  gtk_label_set_text (GTK_LABEL (self->ablation_note), label ? label : _("All heads are on."));
}

static void
refresh (AttnPredictionsPanel *self)
{
  AttnResult *result = self->link.document ? attn_document_get_result (self->link.document) : NULL;
  int position;

  if (result != NULL)
    show_sections (self, result);
  if (result != NULL && !attn_result_has_predictions (result) && attn_result_has_masked_lm (result))
    {
      fill_masked (self, result);
      fill_masked_ablation_note (self, result);
      clear_grid (self->lens_grid);
      clear_surprise (self);
      return;
    }
  clear_box (self->other_masks);
  if (result == NULL || !attn_result_has_predictions (result) ||
      (position = shown_position (self, result)) < 0)
    {
      gtk_label_set_text (GTK_LABEL (self->title),
                          result != NULL && attn_result_get_n_tokens (result) > 0
                            ? _("This model cannot predict tokens: it has no output head")
                            : _("Type some text to see what the model predicts"));
      clear_grid (self->top_grid);
      clear_grid (self->lens_grid);
      clear_surprise (self);
      return;
    }
  fill_top (self, result, position);
  fill_surprise (self, result);
  fill_lens (self, result, position);
  fill_ablation_note (self, result, position);
}

/* One step of "Continue": the next token from the current result, appended
 * to the text as an edit; the pass that follows brings the next step. */
static void
continue_step (AttnPredictionsPanel *self)
{
  AttnResult *result = attn_document_get_result (self->link.document);
  AttnSampleParams params = {
    gtk_spin_button_get_value (GTK_SPIN_BUTTON (self->temperature)),
    (guint) gtk_spin_button_get_value_as_int (GTK_SPIN_BUTTON (self->top_k)),
    gtk_spin_button_get_value (GTK_SPIN_BUTTON (self->top_p)),
  };
  g_autoptr(GError) error = NULL;
  g_autofree char *piece = NULL, *text = NULL;
  gint32 id;
  gsize n_read;

  if (result == NULL || self->remaining == 0)
    return;
  if (attn_result_get_truncated (result, &n_read))
    {
      self->remaining = 0;
      gtk_label_set_text (GTK_LABEL (self->status), _("The context is full: nothing more can be added"));
      return;
    }
  id = attn_result_sample_next (result, &params, &self->rng, &error);
  if (id < 0)
    {
      self->remaining = 0;
      gtk_label_set_text (GTK_LABEL (self->status), error->message);
      return;
    }
  self->remaining--;
  piece = attn_result_dup_id_text (result, id);
  text = g_strconcat (attn_document_get_text (self->link.document), piece, NULL);
  attn_document_set_text (self->link.document, text);
}

void
attn_predictions_panel_continue (AttnPredictionsPanel *self,
                                 guint                 n)
{
  g_return_if_fail (ATTN_IS_PREDICTIONS_PANEL (self));

  if (self->link.document == NULL)
    return;
  /* a new run re-seeds, so the same settings give the same continuation */
  attn_rng_seed (&self->rng, (guint64) gtk_spin_button_get_value (GTK_SPIN_BUTTON (self->seed)));
  self->remaining = n;
  gtk_label_set_text (GTK_LABEL (self->status), "");
  if (!attn_document_get_busy (self->link.document))
    continue_step (self);
}

static void
result_changed (AttnPredictionsPanel *self)
{
  refresh (self);
  if (self->remaining > 0 && self->link.document != NULL &&
      !attn_document_get_busy (self->link.document))
    continue_step (self);
}

static void
continue_one_cb (AttnPredictionsPanel *self)
{
  attn_predictions_panel_continue (self, 1);
}

static void
continue_n_cb (AttnPredictionsPanel *self)
{
  attn_predictions_panel_continue (self, (guint) gtk_spin_button_get_value_as_int (GTK_SPIN_BUTTON (self->n_tokens)));
}

static void
ablate_cb (AttnPredictionsPanel *self)
{
  AttnEngine *engine = self->link.document ? attn_document_get_engine (self->link.document) : NULL;
  const char *spec = gtk_editable_get_text (GTK_EDITABLE (self->ablation_entry));
  g_autofree char *stripped = g_strstrip (g_strdup (spec));
  g_autoptr(AttnAblation) ablation = NULL;
  g_autoptr(GError) error = NULL;

  if (engine == NULL)
    return;
  if (stripped[0] == '\0')
    {
      attn_document_set_heads_off (self->link.document, NULL);
      return;
    }
  ablation = attn_ablation_parse (spec, gtk_drop_down_get_selected (GTK_DROP_DOWN (self->ablation_kind)) == 1
                                        ? ATTN_ABLATION_MEAN : ATTN_ABLATION_ZERO,
                                  attn_engine_get_n_layers (engine), attn_engine_get_n_heads (engine), &error);
  if (ablation == NULL)
    {
      gtk_label_set_text (GTK_LABEL (self->ablation_note), error->message);
      gtk_widget_add_css_class (self->ablation_entry, "error");
      return;
    }
  gtk_widget_remove_css_class (self->ablation_entry, "error");
  attn_document_set_heads_off (self->link.document, ablation);
}

/* "Switch off this head": adds the selected head to the list. */
static void
ablate_selected_cb (AttnPredictionsPanel *self)
{
  const char *spec = gtk_editable_get_text (GTK_EDITABLE (self->ablation_entry));
  g_autofree char *item = NULL, *joined = NULL;

  if (self->link.document == NULL)
    return;
  item = g_strdup_printf ("%u.%u", attn_document_get_layer (self->link.document),
                          attn_document_get_head (self->link.document));
  joined = spec[0] ? g_strdup_printf ("%s,%s", spec, item) : g_strdup (item);
  gtk_editable_set_text (GTK_EDITABLE (self->ablation_entry), joined);
  ablate_cb (self);
}

/* The list follows the document, whoever switched the heads off (the
 * all-heads grid's Ctrl+click or menu too), so both always agree. */
static void
ablation_changed (AttnPredictionsPanel *self)
{
  g_autofree char *list = attn_document_dup_ablation_list (self->link.document);
  AttnAblationKind kind;

  gtk_editable_set_text (GTK_EDITABLE (self->ablation_entry), list ? list : "");
  gtk_widget_remove_css_class (self->ablation_entry, "error");
  if (attn_document_get_ablation_kind (self->link.document, &kind))
    gtk_drop_down_set_selected (GTK_DROP_DOWN (self->ablation_kind), kind == ATTN_ABLATION_MEAN ? 1 : 0);
}

static void
restore_cb (AttnPredictionsPanel *self)
{
  gtk_editable_set_text (GTK_EDITABLE (self->ablation_entry), "");
  gtk_widget_remove_css_class (self->ablation_entry, "error");
  if (self->link.document != NULL)
    attn_document_set_heads_off (self->link.document, NULL);
}

static GtkWidget *
spin_new (double      min,
          double      max,
          double      step,
          double      value,
          guint       digits,
          const char *tooltip)
{
  GtkWidget *spin = gtk_spin_button_new_with_range (min, max, step);

  gtk_spin_button_set_digits (GTK_SPIN_BUTTON (spin), digits);
  gtk_spin_button_set_value (GTK_SPIN_BUTTON (spin), value);
  gtk_widget_set_tooltip_text (spin, tooltip);
  return spin;
}

static GtkWidget *
section (GtkWidget  *box,
         const char *heading)
{
  gtk_box_append (GTK_BOX (box), wrapping_label_new (heading, "heading"));
  return box;
}

static void
attn_predictions_panel_dispose (GObject *object)
{
  AttnPredictionsPanel *self = ATTN_PREDICTIONS_PANEL (object);

  _attn_document_link_clear (&self->link);
  g_clear_pointer (&self->scroller, gtk_widget_unparent);
  g_clear_pointer (&self->intact_text, g_free);
  g_clear_pointer (&self->intact_logprobs, g_free);
  g_clear_pointer (&self->surprise_result, attn_result_unref);
  G_OBJECT_CLASS (attn_predictions_panel_parent_class)->dispose (object);
}

static void
attn_predictions_panel_class_init (AttnPredictionsPanelClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = attn_predictions_panel_dispose;
  _attn_document_link_install (object_class, G_STRUCT_OFFSET (AttnPredictionsPanel, link),
                               G_CALLBACK (attn_predictions_panel_set_document));
  gtk_widget_class_set_layout_manager_type (widget_class, GTK_TYPE_BIN_LAYOUT);
  gtk_widget_class_set_css_name (widget_class, "predictionspanel");
}

static void
attn_predictions_panel_init (AttnPredictionsPanel *self)
{
  GtkWidget *columns = gtk_box_new (GTK_ORIENTATION_VERTICAL, 16);
  GtkWidget *left = gtk_box_new (GTK_ORIENTATION_VERTICAL, 8);   /* the next token */
  GtkWidget *abl = gtk_box_new (GTK_ORIENTATION_VERTICAL, 8);    /* switching heads off */
  GtkWidget *mid = gtk_box_new (GTK_ORIENTATION_VERTICAL, 8);    /* each token, the lens */
  GtkWidget *box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 8);    /* continue */
  GtkWidget *row, *button, *grid, *lens_scroller;
  const char *kinds[] = { N_("Zero"), N_("Mean"), NULL };
  const char *translated[3] = { _(kinds[0]), _(kinds[1]), NULL };

  /* Only down: the controls wrap to the window's width, down to a 360 px
   * phone (tests/test-learner.c check_width, in English and German); only
   * the logit lens's table scrolls sideways, in its own scroller.  (It
   * scrolled sideways as a whole, and at 360 px cut its heading and
   * buttons at the window's edge.) */
  self->scroller = gtk_scrolled_window_new ();
  gtk_scrolled_window_set_policy (GTK_SCROLLED_WINDOW (self->scroller), GTK_POLICY_NEVER,
                                  GTK_POLICY_AUTOMATIC);
  gtk_widget_set_parent (self->scroller, GTK_WIDGET (self));
  /* the prediction, then what switching heads off did to it, then the
   * text's tokens and the lens, then Continue */
  gtk_widget_set_margin_start (columns, 12);
  gtk_widget_set_margin_end (columns, 12);
  gtk_widget_set_margin_top (columns, 12);
  gtk_widget_set_margin_bottom (columns, 12);
  gtk_box_append (GTK_BOX (columns), left);
  gtk_box_append (GTK_BOX (columns), abl);
  gtk_box_append (GTK_BOX (columns), mid);
  gtk_box_append (GTK_BOX (columns), box);
  gtk_scrolled_window_set_child (GTK_SCROLLED_WINDOW (self->scroller), columns);

  /* the next token */
  self->title = label_new ("", "heading");
  gtk_label_set_wrap (GTK_LABEL (self->title), TRUE);
  gtk_box_append (GTK_BOX (left), self->title);
  self->top_grid = gtk_grid_new ();
  gtk_grid_set_column_spacing (GTK_GRID (self->top_grid), 8);
  gtk_grid_set_row_spacing (GTK_GRID (self->top_grid), 2);
  gtk_box_append (GTK_BOX (left), self->top_grid);
  self->other_masks = gtk_flow_box_new ();
  gtk_flow_box_set_selection_mode (GTK_FLOW_BOX (self->other_masks), GTK_SELECTION_NONE);
  gtk_flow_box_set_max_children_per_line (GTK_FLOW_BOX (self->other_masks), 1);
  gtk_box_append (GTK_BOX (left), self->other_masks);
  self->ablation_box = abl;
  self->tokens_box = mid;
  self->continue_box = box;

  /* continue */
  section (box, _("Continue the text"));
  row = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 6);
  button = wrapping_button_new (_("_Continue"));
  gtk_widget_set_tooltip_text (button, _("Append the model's next token to the text"));
  g_signal_connect_swapped (button, "clicked", G_CALLBACK (continue_one_cb), self);
  gtk_widget_set_halign (button, GTK_ALIGN_START);
  gtk_box_append (GTK_BOX (box), button);
  /* N and "Continue N" on a row of their own: with "Continue" they did not
   * fit 360 px in German */
  self->n_tokens = spin_new (1, 100, 1, 10, 0, _("How many tokens “Continue N” adds"));
  gtk_box_append (GTK_BOX (row), self->n_tokens);
  button = wrapping_button_new (_("Continue N"));
  g_signal_connect_swapped (button, "clicked", G_CALLBACK (continue_n_cb), self);
  gtk_box_append (GTK_BOX (row), button);
  gtk_box_append (GTK_BOX (box), row);
  grid = gtk_grid_new ();
  gtk_grid_set_column_spacing (GTK_GRID (grid), 6);
  gtk_grid_set_row_spacing (GTK_GRID (grid), 4);
  self->temperature = spin_new (0, 5, 0.1, 0, 2, _("0 is greedy: always the most probable token"));
  self->top_k = spin_new (0, 1000, 1, 0, 0, _("Sample only from the K most probable tokens (0: all)"));
  self->top_p = spin_new (0.01, 1, 0.05, 1, 2, _("Sample only from the fewest tokens whose probability reaches P"));
  self->seed = spin_new (0, 1e9, 1, 0, 0, _("The same seed gives the same tokens"));
  /* one setting a row: two a row did not fit 360 px */
  gtk_grid_attach (GTK_GRID (grid), label_new (_("Temperature"), "dim-label"), 0, 0, 1, 1);
  gtk_grid_attach (GTK_GRID (grid), self->temperature, 1, 0, 1, 1);
  gtk_grid_attach (GTK_GRID (grid), label_new (_("Top-k"), "dim-label"), 0, 1, 1, 1);
  gtk_grid_attach (GTK_GRID (grid), self->top_k, 1, 1, 1, 1);
  gtk_grid_attach (GTK_GRID (grid), label_new (_("Top-p"), "dim-label"), 0, 2, 1, 1);
  gtk_grid_attach (GTK_GRID (grid), self->top_p, 1, 2, 1, 1);
  gtk_grid_attach (GTK_GRID (grid), label_new (_("Seed"), "dim-label"), 0, 3, 1, 1);
  gtk_grid_attach (GTK_GRID (grid), self->seed, 1, 3, 1, 1);
  gtk_box_append (GTK_BOX (box), grid);
  self->status = wrapping_label_new ("", "dim-label");
  gtk_box_append (GTK_BOX (box), self->status);

  /* switching heads off */
  section (abl, _("Switch heads off"));
  _attn_learn_glossary_add_tooltip (gtk_widget_get_last_child (abl), ATTN_TERM_ABLATION);
  row = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 6);
  self->ablation_entry = gtk_entry_new ();
  gtk_entry_set_placeholder_text (GTK_ENTRY (self->ablation_entry), _("layer.head, e.g. 1.3,2.0"));
  gtk_widget_set_hexpand (self->ablation_entry, TRUE);
  g_signal_connect_swapped (self->ablation_entry, "activate", G_CALLBACK (ablate_cb), self);
  gtk_box_append (GTK_BOX (row), self->ablation_entry);
  self->ablation_kind = gtk_drop_down_new_from_strings (translated);
  gtk_widget_set_tooltip_text (self->ablation_kind,
                               _("Zero: the head's output becomes 0. Mean: its mean over the text's positions."));
  gtk_box_append (GTK_BOX (row), self->ablation_kind);
  gtk_box_append (GTK_BOX (abl), row);
  row = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 6);
  button = wrapping_button_new (_("Switch Off"));
  g_signal_connect_swapped (button, "clicked", G_CALLBACK (ablate_cb), self);
  gtk_box_append (GTK_BOX (row), button);
  button = wrapping_button_new (_("Add This Head"));
  gtk_widget_set_tooltip_text (button, _("Add the selected layer and head to the list and switch them off"));
  g_signal_connect_swapped (button, "clicked", G_CALLBACK (ablate_selected_cb), self);
  gtk_box_append (GTK_BOX (row), button);
  gtk_box_append (GTK_BOX (abl), row);
  /* Reset on a row of its own: three buttons did not fit 360 px in German */
  button = wrapping_button_new (_("Reset"));
  gtk_widget_set_halign (button, GTK_ALIGN_START);
  gtk_widget_set_tooltip_text (button, _("Switch every head back on"));
  g_signal_connect_swapped (button, "clicked", G_CALLBACK (restore_cb), self);
  gtk_box_append (GTK_BOX (abl), button);
  self->ablation_note = label_new (_("All heads are on."), "dim-label");
  gtk_label_set_wrap (GTK_LABEL (self->ablation_note), TRUE);
  gtk_box_append (GTK_BOX (abl), self->ablation_note);

  /* each token's probability */
  section (mid, _("How probable each token was (log scale, 0.01 % to 100 %)"));
  self->surprise = gtk_flow_box_new ();
  gtk_flow_box_set_selection_mode (GTK_FLOW_BOX (self->surprise), GTK_SELECTION_NONE);
  gtk_flow_box_set_max_children_per_line (GTK_FLOW_BOX (self->surprise), 40);
  gtk_box_append (GTK_BOX (mid), self->surprise);

  /* the logit lens */
  section (mid, _("Logit lens: the top predictions read from each layer"));
  _attn_learn_glossary_add_tooltip (gtk_widget_get_last_child (mid), ATTN_TERM_RESIDUAL_STREAM);
  self->lens_grid = gtk_grid_new ();
  gtk_grid_set_column_spacing (GTK_GRID (self->lens_grid), 12);
  gtk_grid_set_row_spacing (GTK_GRID (self->lens_grid), 2);
  lens_scroller = gtk_scrolled_window_new ();
  gtk_scrolled_window_set_policy (GTK_SCROLLED_WINDOW (lens_scroller), GTK_POLICY_AUTOMATIC, GTK_POLICY_NEVER);
  gtk_scrolled_window_set_child (GTK_SCROLLED_WINDOW (lens_scroller), self->lens_grid);
  gtk_box_append (GTK_BOX (mid), lens_scroller);

  _attn_document_link_init (&self->link, self,
                            "notify::result", G_CALLBACK (result_changed),
                            "notify::query", G_CALLBACK (refresh),
                            "ablation-changed", G_CALLBACK (ablation_changed),
                            NULL);
  attn_rng_seed (&self->rng, 0);
  self->intact_position = -1;
}

GtkWidget *
attn_predictions_panel_new (void)
{
  return g_object_new (ATTN_TYPE_PREDICTIONS_PANEL, NULL);
}

AttnDocument *
attn_predictions_panel_get_document (AttnPredictionsPanel *self)
{
  g_return_val_if_fail (ATTN_IS_PREDICTIONS_PANEL (self), NULL);
  return self->link.document;
}

void
attn_predictions_panel_set_document (AttnPredictionsPanel *self,
                                     AttnDocument         *document)
{
  g_return_if_fail (ATTN_IS_PREDICTIONS_PANEL (self));
  if (_attn_document_link_set (&self->link, self, document))
    refresh (self);
}

char *
attn_predictions_panel_dup_top (AttnPredictionsPanel *self)
{
  GtkWidget *first, *pct;

  g_return_val_if_fail (ATTN_IS_PREDICTIONS_PANEL (self), NULL);
  first = gtk_grid_get_child_at (GTK_GRID (self->top_grid), 0, 0);
  pct = gtk_grid_get_child_at (GTK_GRID (self->top_grid), 2, 0);
  if (first == NULL || pct == NULL || !GTK_IS_LABEL (first) || !GTK_IS_LABEL (pct))
    return NULL;
  return g_strdup_printf ("%s (%s)", gtk_label_get_text (GTK_LABEL (first)),
                          gtk_label_get_text (GTK_LABEL (pct)));
}

const char *
attn_predictions_panel_get_ablation_list (AttnPredictionsPanel *self)
{
  g_return_val_if_fail (ATTN_IS_PREDICTIONS_PANEL (self), NULL);
  return gtk_editable_get_text (GTK_EDITABLE (self->ablation_entry));
}

GtkWidget *
_attn_predictions_panel_get_surprise (AttnPredictionsPanel *self)
{
  g_return_val_if_fail (ATTN_IS_PREDICTIONS_PANEL (self), NULL);

  return self->surprise;
}
