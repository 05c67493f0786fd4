/* attn-head-description.c
 *
 * Copyright 2026 The Attention authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "attn-head-description"

#include "config.h"

#include <glib/gi18n.h>
#include <math.h>

#include "attn-attention-view.h"
#include "attn-document-link.h"
#include "attn-head-description.h"

struct _AttnHeadDescription
{
  GtkWidget     parent_instance;

  GtkWidget    *box;
  GtkWidget    *summary;
  GtkWidget    *details;

  AttnDocumentLink  link;             /* the document shown, its signals */
  AttnHeadScores   *scores;           /* owned; the head detectors, or NULL */
};

G_DEFINE_FINAL_TYPE (AttnHeadDescription, attn_head_description, GTK_TYPE_WIDGET)

static int
percent (double share)
{
  return (int) round (CLAMP (share, 0, 1) * 100);
}

/* The name of the input's [CLS] (@sep FALSE) or first [SEP] token as the
 * model spells it ("[SEP]", "</s>"): special tokens have no span in the
 * text, and [CLS] comes first. */
static char *
dup_special_name (AttnResult *result,
                  gboolean    sep)
{
  guint T = attn_result_get_n_tokens (result);

  for (guint i = sep ? 1 : 0; i < (sep ? T : MIN (T, 1)); i++)
    {
      gsize start, end;

      attn_result_get_token_span (result, i, &start, &end);
      if (start == end)
        return _attn_token_display_name (result, i);
    }
  return g_strdup (sep ? "[SEP]" : "[CLS]");
}

static char *
dup_label_text (const AttnHeadStats *stats,
                AttnHeadLabel        label,
                AttnResult        *result)
{
  switch (label)
    {
    case ATTN_HEAD_LABEL_PREVIOUS:
      return g_strdup (_("Attends to the previous token"));
    case ATTN_HEAD_LABEL_FIRST:
      return g_strdup (_("Attends to the first token — an attention sink"));
    case ATTN_HEAD_LABEL_SELF:
      return g_strdup (_("Attends to the token itself"));
    case ATTN_HEAD_LABEL_NEARBY:
      return g_strdup (_("Attends to nearby tokens — local context patterns"));
    case ATTN_HEAD_LABEL_BROAD:
      return g_strdup (_("Spreads attention broadly over the sentence"));
    case ATTN_HEAD_LABEL_SPECIFIC:
      {
        g_autofree char *name = _attn_token_display_name (result, stats->top_key);

        return g_strdup_printf (_("Attends to a specific token: “%s”"), name);
      }
    case ATTN_HEAD_LABEL_INDUCTION:
      return g_strdup (_("Attends to what followed the same token earlier — an induction head"));
    case ATTN_HEAD_LABEL_SEP:
      {
        g_autofree char *name = dup_special_name (result, TRUE);

        /* Translators: an encoder head's label; %s is "[SEP]" or "</s>" */
        return g_strdup_printf (_("Attends to %s — where BERT parks attention it does not need"), name);
      }
    case ATTN_HEAD_LABEL_CLS:
      {
        g_autofree char *name = dup_special_name (result, FALSE);

        /* Translators: an encoder head's label; %s is "[CLS]" or "<s>" */
        return g_strdup_printf (_("Attends to %s, the token before the text"), name);
      }
    case ATTN_HEAD_LABEL_NEXT:
      return g_strdup (_("Attends to the next token"));
    case ATTN_HEAD_LABEL_SAME_WORD:
      return g_strdup (_("Attends to the other pieces of the same word"));
    case ATTN_HEAD_LABEL_NONE:
    case ATTN_HEAD_LABEL_COUNT:
    default:
      return g_strdup (_("Too few tokens to describe this head"));
    }
}

static char *
dup_label_figure (const AttnHeadStats *stats,
                  AttnHeadLabel        label,
                  AttnResult        *result)
{
  switch (label)
    {
    case ATTN_HEAD_LABEL_PREVIOUS:
      return g_strdup_printf (_("%d %% of weight on the previous token"), percent (stats->prev));
    case ATTN_HEAD_LABEL_FIRST:
      return g_strdup_printf (_("%d %% of weight on the first token"), percent (stats->first));
    case ATTN_HEAD_LABEL_SELF:
      return g_strdup_printf (_("%d %% of weight on the token itself"), percent (stats->self));
    case ATTN_HEAD_LABEL_NEARBY:
      return g_strdup_printf (_("%d %% of weight within the last three tokens"),
                              percent (stats->local));
    case ATTN_HEAD_LABEL_BROAD:
      return g_strdup_printf (_("Entropy at %d %% of its maximum"), percent (stats->entropy_norm));
    case ATTN_HEAD_LABEL_SPECIFIC:
      {
        g_autofree char *name = _attn_token_display_name (result, stats->top_key);

        /* The label rule (ae-stats.c, shared with the model card) may name
         * a token while the first token, a sink, gets more: say so, or the
         * label reads as if the named token were the head's main target.
         * (An encoder's first token is [CLS], with figures of its own.) */
        if (!stats->bidirectional && percent (stats->first) > percent (stats->top_key_weight))
          /* Translators: "25 % of weight on “money”; the first token gets 41 %" */
          return g_strdup_printf (_("%d %% of weight on “%s”; the first token gets %d %%"),
                                  percent (stats->top_key_weight), name, percent (stats->first));

        return g_strdup_printf (_("%d %% of weight on “%s”"),
                                percent (stats->top_key_weight), name);
      }
    case ATTN_HEAD_LABEL_INDUCTION:
      return g_strdup_printf (_("%d %% of weight on the token after an earlier occurrence"),
                              percent (stats->induction));
    case ATTN_HEAD_LABEL_SEP:
      {
        g_autofree char *name = dup_special_name (result, TRUE);

        return g_strdup_printf (_("%d %% of weight on %s"), percent (stats->sep), name);
      }
    case ATTN_HEAD_LABEL_CLS:
      {
        g_autofree char *name = dup_special_name (result, FALSE);

        return g_strdup_printf (_("%d %% of weight on %s"), percent (stats->cls), name);
      }
    case ATTN_HEAD_LABEL_NEXT:
      return g_strdup_printf (_("%d %% of weight on the next token"), percent (stats->next));
    case ATTN_HEAD_LABEL_SAME_WORD:
      /* Translators: "%d %% of weight on its word's other pieces, over 6 tokens of split words" */
      return g_strdup_printf (ngettext ("%d %% of weight on its word’s other pieces, over %zu token of split words",
                                        "%d %% of weight on its word’s other pieces, over %zu tokens of split words",
                                        stats->n_piece_rows),
                              percent (stats->same_word), stats->n_piece_rows);
    case ATTN_HEAD_LABEL_NONE:
    case ATTN_HEAD_LABEL_COUNT:
    default:
      return g_strdup (_("Type a longer sentence"));
    }
}

char *
_attn_head_dup_summary (AttnResult    *result,
                        guint          layer,
                        guint          head,
                        AttnHeadStats *stats,
                        AttnHeadLabel *label)
{
  g_autofree char *text = NULL;
  g_autofree char *figure = NULL;
  AttnHeadStats local_stats;
  AttnHeadLabel local_label;

  if (stats == NULL)
    stats = &local_stats;
  if (label == NULL)
    label = &local_label;
  /* Statistics are the model's own: on its tokens, even when views show
   * merged words (the description says so). */
  if (attn_result_get_pieces (result) != NULL)
    result = attn_result_get_pieces (result);

  if (!attn_result_get_head_stats (result, layer, head, stats))
    return NULL;
  *label = stats->label;

  if (attn_result_get_n_tokens (result) < ATTN_HEAD_DESCRIPTION_MIN_TOKENS)
    {
      guint T = attn_result_get_n_tokens (result);

      *label = ATTN_HEAD_LABEL_NONE;
      /* Translators: a head's line on a text of fewer than five tokens: layer, head, tokens, minimum */
      return g_strdup_printf (ngettext ("Layer %u, head %u: the text is too short to tell what this head does "
                                        "(%u token; type at least %u)",
                                        "Layer %u, head %u: the text is too short to tell what this head does "
                                        "(%u tokens; type at least %u)", T),
                              layer, head, T, (guint) ATTN_HEAD_DESCRIPTION_MIN_TOKENS);
    }
  text = dup_label_text (stats, *label, result);
  figure = dup_label_figure (stats, *label, result);

  /* Translators: "Layer 2, head 5: Attends to the previous token (62 % of weight on the previous token)" */
  return g_strdup_printf (_("Layer %u, head %u: %s (%s)"), layer, head, text, figure);
}

static void
update (AttnHeadDescription *self)
{
  AttnResult *result = self->link.document ? attn_document_get_result (self->link.document) : NULL;
  g_autofree char *summary = NULL;
  g_autofree char *details = NULL;
  AttnHeadStats stats;
  AttnHeadLabel label = ATTN_HEAD_LABEL_NONE;

  if (result != NULL)
    summary = _attn_head_dup_summary (result,
                                      attn_document_get_layer (self->link.document),
                                      attn_document_get_head (self->link.document),
                                      &stats, &label);

  /* The shares are averages over the rows and overlap (for the second
   * token the previous token is the first), so the line says both.  Texts
   * too short to label have no figures either. */
  if (summary != NULL && label != ATTN_HEAD_LABEL_NONE && stats.bidirectional)
    {
      g_autofree char *cls = dup_special_name (result, FALSE);
      g_autofree char *sep = dup_special_name (result, TRUE);

      /* Translators: the figures behind an encoder head's label, over the
       * current sentence; the first two %s are "[CLS]" and "[SEP]" */
      details = g_strdup_printf (_("Of each token’s attention, on average: %s %d %% · %s %d %% · "
                                   "next token %d %% · previous token %d %% · itself %d %% · "
                                   "other pieces of its word %d %% (over %zu tokens of split words) · "
                                   "entropy %d %% of maximum. An encoder looks both ways, so every "
                                   "token sees the whole input."),
                                 cls, percent (stats.cls), sep, percent (stats.sep),
                                 percent (stats.next), percent (stats.prev), percent (stats.self),
                                 percent (stats.same_word), stats.n_piece_rows,
                                 percent (stats.entropy_norm));
    }
  else if (summary != NULL && label != ATTN_HEAD_LABEL_NONE)
    /* Translators: the figures behind a head's label, over the current sentence */
    details = g_strdup_printf (_("Of each token’s attention, on average: previous token %d %% · "
                                 "first token %d %% · itself %d %% · last three tokens %d %% "
                                 "(these overlap: the second token’s previous token is the first) · "
                                 "mean distance %.1f tokens · entropy %d %% of maximum"),
                               percent (stats.prev), percent (stats.first),
                               percent (stats.self), percent (stats.local),
                               stats.mean_distance, percent (stats.entropy_norm));

  if (label == ATTN_HEAD_LABEL_INDUCTION)
    {
      /* The one sentence that says why this matters (issue 18). */
      g_autofree char *figures = g_steal_pointer (&details);

      details = g_strdup_printf ("%s\n%s",
                                 _("When a token has occurred before, an induction head looks at the "
                                   "token that came after it then, so the model can predict that the "
                                   "text repeats itself."),
                                 figures ? figures : "");
    }

  if (summary != NULL && self->scores != NULL && attn_head_scores_get_result (self->scores) == result)
    {
      g_autofree char *line = _attn_head_dup_detector_lines (self->scores,
                                                             attn_document_get_layer (self->link.document),
                                                             attn_document_get_head (self->link.document),
                                                             &summary);
      g_autofree char *figures = g_steal_pointer (&details);

      details = figures ? g_strdup_printf ("%s\n%s", figures, line) : g_steal_pointer (&line);
    }

  if (details != NULL && attn_document_get_merge_words (self->link.document))
    {
      g_autofree char *figures = g_steal_pointer (&details);

      details = g_strdup_printf ("%s\n%s", figures,
                                 /* Translators: under a head's figures while views merge word pieces */
                                 _("Measured on the model’s tokens: the views show merged words, "
                                   "but the model reads pieces."));
    }

  gtk_label_set_text (GTK_LABEL (self->summary), summary ? summary : "");
  gtk_label_set_text (GTK_LABEL (self->details), details ? details : "");
}

static void
attn_head_description_dispose (GObject *object)
{
  AttnHeadDescription *self = (AttnHeadDescription *)object;

  _attn_document_link_clear (&self->link);
  g_clear_pointer (&self->box, gtk_widget_unparent);
  g_clear_pointer (&self->scores, attn_head_scores_unref);

  G_OBJECT_CLASS (attn_head_description_parent_class)->dispose (object);
}

static void
attn_head_description_class_init (AttnHeadDescriptionClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = attn_head_description_dispose;

  _attn_document_link_install (object_class, G_STRUCT_OFFSET (AttnHeadDescription, link),
                               G_CALLBACK (attn_head_description_set_document));

  gtk_widget_class_set_layout_manager_type (widget_class, GTK_TYPE_BIN_LAYOUT);
  gtk_widget_class_set_css_name (widget_class, "attnheaddescription");
}

static GtkWidget *
make_label (const char *style_class)
{
  GtkWidget *label = gtk_label_new (NULL);

  gtk_label_set_xalign (GTK_LABEL (label), 0);
  gtk_label_set_wrap (GTK_LABEL (label), TRUE);
  gtk_label_set_selectable (GTK_LABEL (label), TRUE);
  /* Selectable with the pointer, but no Tab stop: focus would select the
   * whole text and hold the keyboard on a paragraph nobody edits.  Not
   * focusable alone was a trap: a selectable label's focus () still said
   * it took the focus, so Tab stayed on the widget before it. */
  gtk_widget_set_focusable (label, FALSE);
  gtk_widget_set_can_focus (label, FALSE);
  gtk_widget_add_css_class (label, style_class);
  return label;
}

static void
attn_head_description_init (AttnHeadDescription *self)
{
  self->box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 2);
  gtk_widget_set_parent (self->box, GTK_WIDGET (self));

  self->summary = make_label ("heading");
  self->details = make_label ("dim-label");
  gtk_widget_add_css_class (self->details, "caption");
  gtk_box_append (GTK_BOX (self->box), self->summary);
  gtk_box_append (GTK_BOX (self->box), self->details);

  _attn_document_link_init (&self->link, self,
                            "notify::result", G_CALLBACK (update),
                            "notify::merge-words", G_CALLBACK (update),
                            "notify::layer", G_CALLBACK (update),
                            "notify::head", G_CALLBACK (update),
                            NULL);
}

GtkWidget *
attn_head_description_new (void)
{
  return g_object_new (ATTN_TYPE_HEAD_DESCRIPTION, NULL);
}

AttnDocument *
attn_head_description_get_document (AttnHeadDescription *self)
{
  g_return_val_if_fail (ATTN_IS_HEAD_DESCRIPTION (self), NULL);
  return self->link.document;
}

void
attn_head_description_set_document (AttnHeadDescription *self,
                                    AttnDocument        *document)
{
  g_return_if_fail (ATTN_IS_HEAD_DESCRIPTION (self));
  g_return_if_fail (!document || ATTN_IS_DOCUMENT (document));

  if (!_attn_document_link_set (&self->link, self, document))
    return;

  update (self);
}

const char *
attn_head_description_get_summary (AttnHeadDescription *self)
{
  g_return_val_if_fail (ATTN_IS_HEAD_DESCRIPTION (self), NULL);
  return gtk_label_get_text (GTK_LABEL (self->summary));
}

void
attn_head_description_set_scores (AttnHeadDescription *self,
                                  AttnHeadScores      *scores)
{
  g_return_if_fail (ATTN_IS_HEAD_DESCRIPTION (self));

  if (scores != NULL)
    attn_head_scores_ref (scores);
  g_clear_pointer (&self->scores, attn_head_scores_unref);
  self->scores = scores;
  update (self);
}

const char *
attn_head_description_get_details (AttnHeadDescription *self)
{
  g_return_val_if_fail (ATTN_IS_HEAD_DESCRIPTION (self), NULL);
  return gtk_label_get_text (GTK_LABEL (self->details));
}
