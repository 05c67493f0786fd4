/* attn-learn-heads.c
 *
 * Copyright 2026 The Attention authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "attn-learn-heads"

#include "config.h"

#include <glib/gi18n.h>
#include <pango/pangocairo.h>

#include "attn-head-description.h"
#include "attn-learn-glossary.h"
#include "attn-learn-heads.h"

#define THUMB 64.0
#define CELL_W 78.0
#define CELL_H (THUMB + 40.0)

typedef struct
{
  AttnHeadStats stats;
  AttnHeadLabel label;
  char         *summary;   /* what its weights do, in words */
} HeadInfo;

struct _AttnLearnHeads
{
  AttnLearnFigure  parent_instance;

  GtkWidget       *box;
  GtkWidget       *grid;             /* a GtkFlowBox: one focusable thumbnail per head */
  gboolean         syncing;          /* selecting the document's head in the grid */
  GtkWidget       *rows[ATTN_LEARN_N_PATTERNS];
  GtkWidget       *row_areas[ATTN_LEARN_N_PATTERNS];
  GtkWidget       *row_labels[ATTN_LEARN_N_PATTERNS];
  GtkWidget       *row_buttons[ATTN_LEARN_N_PATTERNS];

  HeadInfo        *heads;            /* L × NH, for heads_result */
  AttnResult      *heads_result;     /* owned */
  guint            n_passes;         /* times it went over every head; for tests */
  guint            n_layers, n_heads;
  int              exemplar[ATTN_LEARN_N_PATTERNS][2];   /* layer, head; -1 none */
  gboolean         repeated;         /* the text has a token that occurred 3+ tokens before */
};

G_DEFINE_FINAL_TYPE (AttnLearnHeads, attn_learn_heads, ATTN_TYPE_LEARN_FIGURE)

enum {
  OPEN_HEAD,
  REPEAT_REQUESTED,
  N_SIGNALS
};

static guint signals [N_SIGNALS];

static const AttnHeadLabel pattern_labels[ATTN_LEARN_N_PATTERNS] = {
  ATTN_HEAD_LABEL_PREVIOUS, ATTN_HEAD_LABEL_FIRST, ATTN_HEAD_LABEL_INDUCTION, ATTN_HEAD_LABEL_BROAD,
};

static const char *
short_label (AttnHeadLabel label)
{
  switch (label)
    {
    /* Translators: the short labels under the tour's head thumbnails */
    case ATTN_HEAD_LABEL_PREVIOUS: return C_("head", "previous");
    case ATTN_HEAD_LABEL_FIRST: return C_("head", "sink");
    case ATTN_HEAD_LABEL_SELF: return C_("head", "self");
    case ATTN_HEAD_LABEL_NEARBY: return C_("head", "nearby");
    case ATTN_HEAD_LABEL_BROAD: return C_("head", "broad");
    case ATTN_HEAD_LABEL_SPECIFIC: return C_("head", "one token");
    case ATTN_HEAD_LABEL_INDUCTION: return C_("head", "induction");
    case ATTN_HEAD_LABEL_NONE:
    case ATTN_HEAD_LABEL_COUNT:
    default: return "";
    }
}

/* How strongly a head shows @pattern: the statistic its label rests on. */
static double
strength (const AttnHeadStats *stats,
          AttnLearnPattern   pattern)
{
  switch (pattern)
    {
    case ATTN_LEARN_PATTERN_PREVIOUS: return stats->prev;
    case ATTN_LEARN_PATTERN_SINK: return stats->first;
    case ATTN_LEARN_PATTERN_INDUCTION: return stats->induction;
    case ATTN_LEARN_PATTERN_BROAD: return stats->entropy_norm;
    case ATTN_LEARN_N_PATTERNS:
    default: return 0;
    }
}

static void
free_heads (AttnLearnHeads *self)
{
  for (guint i = 0; self->heads != NULL && i < self->n_layers * self->n_heads; i++)
    g_free (self->heads[i].summary);
  g_clear_pointer (&self->heads, g_free);
  g_clear_pointer (&self->heads_result, attn_result_unref);
}

static void
draw_thumb (AttnLearnHeads *self,
            cairo_t        *cr,
            guint           layer,
            guint           head,
            double          size)
{
  AttnLearnFigure *figure = ATTN_LEARN_FIGURE (self);
  AttnHeatmapSpec spec;

  attn_heatmap_spec_init (&spec, _attn_learn_figure_get_result (figure), layer, head);
  spec.theme = _attn_learn_figure_get_theme (figure);
  spec.query = _attn_learn_figure_get_query (figure);
  spec.show_title = FALSE;
  spec.show_colorbar = FALSE;
  spec.hide_labels = TRUE;
  attn_render_heatmap (cr, &spec, size, size);
}

/* One thumbnail: the head's weights, an outline when it is the selected
 * head, and "L1 H2" over its label underneath. */
static void
thumb_draw (GtkDrawingArea *area,
            cairo_t        *cr,
            int             width,
            int             height,
            gpointer        data)
{
  AttnLearnHeads *self = g_object_get_data (G_OBJECT (area), "figure");
  AttnDocument *document = attn_learn_figure_get_document (ATTN_LEARN_FIGURE (self));
  const AttnTheme *theme = _attn_learn_figure_get_theme (ATTN_LEARN_FIGURE (self));
  guint index = GPOINTER_TO_UINT (data), l, h;
  g_autoptr(PangoLayout) layout = NULL;
  g_autofree char *caption = NULL;
  gboolean selected;

  if (self->heads == NULL || index >= self->n_layers * self->n_heads)
    return;
  l = index / self->n_heads;
  h = index % self->n_heads;
  selected = l == attn_document_get_layer (document) && h == attn_document_get_head (document);

  cairo_save (cr);
  cairo_translate (cr, (width - THUMB) / 2, 4);
  draw_thumb (self, cr, l, h, THUMB);
  if (selected)
    {
      cairo_set_source_rgba (cr, theme->accent.r, theme->accent.g, theme->accent.b, 1);
      cairo_set_line_width (cr, 3);
      cairo_rectangle (cr, -2, -2, THUMB + 4, THUMB + 4);
      cairo_stroke (cr);
    }
  cairo_restore (cr);

  caption = g_strdup_printf ("L%u H%u\n%s", l, h, short_label (self->heads[index].label));
  layout = gtk_widget_create_pango_layout (GTK_WIDGET (area), caption);
  pango_layout_set_width (layout, (width - 4) * PANGO_SCALE);
  pango_layout_set_ellipsize (layout, PANGO_ELLIPSIZE_END);
  pango_layout_set_alignment (layout, PANGO_ALIGN_CENTER);
  cairo_move_to (cr, 2, THUMB + 6);
  cairo_set_source_rgba (cr, theme->foreground.r, theme->foreground.g, theme->foreground.b,
                         selected ? 1 : 0.8);
  pango_cairo_show_layout (cr, layout);
}

static guint
child_index (GtkFlowBoxChild *child)
{
  return GPOINTER_TO_UINT (g_object_get_data (G_OBJECT (child), "index"));
}

/* A click, or the arrow keys, select a head: the tour's figures follow. */
static void
grid_selection_cb (GtkFlowBox     *grid,
                   AttnLearnHeads *self)
{
  AttnDocument *document = attn_learn_figure_get_document (ATTN_LEARN_FIGURE (self));
  g_autoptr(GList) selected = gtk_flow_box_get_selected_children (grid);
  guint index;

  if (self->syncing || selected == NULL || document == NULL || self->heads == NULL)
    return;
  index = child_index (selected->data);
  attn_document_set_layer (document, index / self->n_heads);
  attn_document_set_head (document, index % self->n_heads);
}

/* A double click, Enter or Space opens the head in the heatmap. */
static void
grid_activated_cb (GtkFlowBox      *grid,
                   GtkFlowBoxChild *child,
                   AttnLearnHeads  *self)
{
  guint index = child_index (child);

  if (self->heads == NULL || index >= self->n_layers * self->n_heads)
    return;
  g_signal_emit (self, signals[OPEN_HEAD], 0, index / self->n_heads, index % self->n_heads);
}

/* One child per head, made again only when the model's shape changes;
 * each says which head it is and what its weights do, for screen readers. */
static void
update_grid (AttnLearnHeads *self,
             AttnResult     *result)
{
  AttnDocument *document = attn_learn_figure_get_document (ATTN_LEARN_FIGURE (self));
  guint n = self->n_layers * self->n_heads, have = 0;
  GtkWidget *child;

  for (child = gtk_widget_get_first_child (self->grid); child; child = gtk_widget_get_next_sibling (child))
    have++;
  if (have != n || (n > 0 && gtk_flow_box_get_max_children_per_line (GTK_FLOW_BOX (self->grid)) != self->n_heads))
    {
      while ((child = gtk_widget_get_first_child (self->grid)) != NULL)
        gtk_flow_box_remove (GTK_FLOW_BOX (self->grid), child);
      gtk_flow_box_set_max_children_per_line (GTK_FLOW_BOX (self->grid), MAX (self->n_heads, 1));
      for (guint index = 0; index < n; index++)
        {
          GtkWidget *area = gtk_drawing_area_new ();

          gtk_drawing_area_set_content_width (GTK_DRAWING_AREA (area), (int) CELL_W);
          gtk_drawing_area_set_content_height (GTK_DRAWING_AREA (area), (int) CELL_H);
          g_object_set_data (G_OBJECT (area), "figure", self);
          gtk_drawing_area_set_draw_func (GTK_DRAWING_AREA (area), thumb_draw, GUINT_TO_POINTER (index), NULL);
          child = gtk_flow_box_child_new ();
          gtk_flow_box_child_set_child (GTK_FLOW_BOX_CHILD (child), area);
          g_object_set_data (G_OBJECT (child), "index", GUINT_TO_POINTER (index));
          gtk_flow_box_append (GTK_FLOW_BOX (self->grid), child);
        }
    }

  self->syncing = TRUE;
  gtk_flow_box_unselect_all (GTK_FLOW_BOX (self->grid));
  for (child = gtk_widget_get_first_child (self->grid); child; child = gtk_widget_get_next_sibling (child))
    {
      guint index = child_index (GTK_FLOW_BOX_CHILD (child)), l = index / self->n_heads, h = index % self->n_heads;
      g_autofree char *label = NULL;
      const char *summary = self->heads[index].summary;
      const char *pattern = short_label (self->heads[index].label);

      label = pattern[0] != '\0'
              /* Translators: a head thumbnail's name for screen readers: layer, head, its pattern */
              ? g_strdup_printf (_("Layer %u, head %u: %s"), l, h, pattern)
              : g_strdup_printf (_("Layer %u, head %u"), l, h);
      gtk_accessible_update_property (GTK_ACCESSIBLE (child),
                                      GTK_ACCESSIBLE_PROPERTY_LABEL, label,
                                      GTK_ACCESSIBLE_PROPERTY_DESCRIPTION, summary,
                                      -1);
      gtk_widget_set_tooltip_text (child, summary);
      if (l == attn_document_get_layer (document) && h == attn_document_get_head (document))
        gtk_flow_box_select_child (GTK_FLOW_BOX (self->grid), GTK_FLOW_BOX_CHILD (child));
      gtk_widget_queue_draw (gtk_flow_box_child_get_child (GTK_FLOW_BOX_CHILD (child)));
    }
  self->syncing = FALSE;
}

static void
row_draw (GtkDrawingArea *area,
          cairo_t        *cr,
          int             width,
          int             height,
          gpointer        data)
{
  AttnLearnHeads *self = g_object_get_data (G_OBJECT (area), "figure");
  AttnLearnPattern pattern = GPOINTER_TO_UINT (data);

  if (self->heads != NULL && self->exemplar[pattern][0] >= 0)
    draw_thumb (self, cr, self->exemplar[pattern][0], self->exemplar[pattern][1], MIN (width, height));
}

static void
row_button_cb (GtkButton      *button,
               AttnLearnHeads *self)
{
  AttnLearnPattern pattern = GPOINTER_TO_UINT (g_object_get_data (G_OBJECT (button), "pattern"));

  if (self->exemplar[pattern][0] >= 0)
    g_signal_emit (self, signals[OPEN_HEAD], 0, (guint) self->exemplar[pattern][0],
                   (guint) self->exemplar[pattern][1]);
  else if (pattern == ATTN_LEARN_PATTERN_INDUCTION && !self->repeated)
    g_signal_emit (self, signals[REPEAT_REQUESTED], 0);
  else
    gtk_widget_activate_action (GTK_WIDGET (self), "win.download-model", NULL);
}

static void
attn_learn_heads_update (AttnLearnFigure *figure)
{
  AttnLearnHeads *self = ATTN_LEARN_HEADS (figure);
  AttnResult *result = _attn_learn_figure_get_result (figure);
  static const char *names[ATTN_LEARN_N_PATTERNS] = {
    N_("Previous token"), N_("Attention sink"), N_("Induction"), N_("Broad"),
  };
  g_autoptr(GString) description = g_string_new (NULL);
  const gint32 *ids;
  guint T;

  /* What the heads do depends on the result only, yet the figure hears
   * every query, layer and head change: at 1,000 tokens going over all 144
   * heads of GPT-2 small again took ~0.3 s of each token click. */
  if (result != NULL && result == self->heads_result)
    goto describe;

  free_heads (self);
  self->n_layers = self->n_heads = 0;
  for (guint p = 0; p < ATTN_LEARN_N_PATTERNS; p++)
    self->exemplar[p][0] = self->exemplar[p][1] = -1;

  if (result == NULL)
    {
      update_grid (self, NULL);
      _attn_learn_figure_set_description (figure, _("No sentence has been computed yet."));
      return;
    }

  self->n_layers = attn_result_get_n_layers (result);
  self->n_heads = attn_result_get_n_heads (result);
  self->heads = g_new0 (HeadInfo, self->n_layers * self->n_heads);
  self->heads_result = attn_result_ref (result);
  self->n_passes++;
  for (guint l = 0; l < self->n_layers; l++)
    for (guint h = 0; h < self->n_heads; h++)
      {
        HeadInfo *info = &self->heads[l * self->n_heads + h];

        info->summary = _attn_head_dup_summary (result, l, h, &info->stats, &info->label);

        for (guint p = 0; p < ATTN_LEARN_N_PATTERNS; p++)
          if (info->label == pattern_labels[p]
              && (self->exemplar[p][0] < 0
                  || strength (&info->stats, p)
                     > strength (&self->heads[self->exemplar[p][0] * self->n_heads + self->exemplar[p][1]].stats, p)))
            {
              self->exemplar[p][0] = l;
              self->exemplar[p][1] = h;
            }
      }

  /* Whether an induction head would have anything to do here. */
  T = attn_result_get_n_tokens (result);
  ids = attn_result_get_token_ids (result);
  self->repeated = FALSE;
  for (guint q = 3; q < T && !self->repeated; q++)
    for (guint j = 0; j + 3 <= q && !self->repeated; j++)
      self->repeated = ids[j] == ids[q];

describe:
  g_string_append_printf (description, _("All %u heads of the model on the sentence, each labelled by its "
                                         "pattern."), self->n_layers * self->n_heads);
  for (guint p = 0; p < ATTN_LEARN_N_PATTERNS; p++)
    {
      int l = self->exemplar[p][0], h = self->exemplar[p][1];
      g_autofree char *text = NULL;
      const char *button;

      if (l >= 0)
        {
          /* The summary has its own "Layer 2, head 3: …" colon, and may quote
           * a token such as "<|endoftext|>": escaped. */
          /* Translators: a pattern's name, then one head's description, e.g. "Previous token — Layer 2, head 3: Attends to the previous token (…)" */
          text = g_markup_printf_escaped (_("<b>%s</b> — %s"), _(names[p]), self->heads[l * self->n_heads + h].summary);
          button = _("Show");
        }
      else if (p == ATTN_LEARN_PATTERN_INDUCTION && !self->repeated)
        {
          text = g_strdup_printf (_("<b>%s</b>: nothing repeats in this sentence, so no head can look "
                                    "for what followed last time."), _(names[p]));
          button = _("Try a Repeated Sequence");
        }
      else
        {
          text = g_strdup_printf (_("<b>%s</b>: no head of this model shows this pattern on this "
                                    "sentence. A larger trained model such as GPT-2 small has clear "
                                    "ones."), _(names[p]));
          button = _("Download a Model…");
        }
      gtk_label_set_markup (GTK_LABEL (self->row_labels[p]), text);
      gtk_button_set_label (GTK_BUTTON (self->row_buttons[p]), button);
      gtk_widget_set_visible (self->row_areas[p], l >= 0);
      gtk_widget_queue_draw (self->row_areas[p]);
      g_string_append_c (description, ' ');
      g_string_append (description, gtk_label_get_text (GTK_LABEL (self->row_labels[p])));
      g_string_append_c (description, '.');
    }
  update_grid (self, result);
  _attn_learn_figure_set_description (figure, description->str);
}

static void
attn_learn_heads_dispose (GObject *object)
{
  AttnLearnHeads *self = ATTN_LEARN_HEADS (object);

  g_clear_pointer (&self->box, gtk_widget_unparent);
  free_heads (self);

  G_OBJECT_CLASS (attn_learn_heads_parent_class)->dispose (object);
}

static void
attn_learn_heads_class_init (AttnLearnHeadsClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = attn_learn_heads_dispose;
  ATTN_LEARN_FIGURE_CLASS (klass)->update = attn_learn_heads_update;

  /**
   * AttnLearnHeads::open-head:
   *
   * A "Show" button asks for that head in a full view.
   */
  signals [OPEN_HEAD] =
    g_signal_new ("open-head", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL, G_TYPE_NONE, 2, G_TYPE_UINT, G_TYPE_UINT);
  /**
   * AttnLearnHeads::repeat-requested:
   *
   * The induction row asks for a sentence that repeats itself.
   */
  signals [REPEAT_REQUESTED] =
    g_signal_new ("repeat-requested", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL, G_TYPE_NONE, 0);

  gtk_widget_class_set_layout_manager_type (widget_class, GTK_TYPE_BIN_LAYOUT);
  gtk_widget_class_set_accessible_role (widget_class, GTK_ACCESSIBLE_ROLE_GROUP);
}

static void
attn_learn_heads_init (AttnLearnHeads *self)
{
  self->box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 12);
  gtk_widget_set_parent (self->box, GTK_WIDGET (self));

  /* as many columns as fit, up to a layer per row */
  self->grid = gtk_flow_box_new ();
  gtk_widget_set_name (self->grid, "heads-grid");
  gtk_flow_box_set_homogeneous (GTK_FLOW_BOX (self->grid), TRUE);
  gtk_flow_box_set_selection_mode (GTK_FLOW_BOX (self->grid), GTK_SELECTION_SINGLE);
  gtk_flow_box_set_activate_on_single_click (GTK_FLOW_BOX (self->grid), FALSE);
  gtk_flow_box_set_min_children_per_line (GTK_FLOW_BOX (self->grid), 1);
  gtk_accessible_update_property (GTK_ACCESSIBLE (self->grid), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                  _("Every head's weights, labelled by pattern"), -1);
  g_signal_connect (self->grid, "selected-children-changed", G_CALLBACK (grid_selection_cb), self);
  g_signal_connect (self->grid, "child-activated", G_CALLBACK (grid_activated_cb), self);
  gtk_box_append (GTK_BOX (self->box), self->grid);

  for (guint p = 0; p < ATTN_LEARN_N_PATTERNS; p++)
    {
      GtkWidget *text = gtk_box_new (GTK_ORIENTATION_VERTICAL, 6);
      g_autofree char *name = g_strdup_printf ("pattern-%u", p);

      self->rows[p] = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 12);
      self->row_areas[p] = gtk_drawing_area_new ();
      gtk_drawing_area_set_content_width (GTK_DRAWING_AREA (self->row_areas[p]), (int) THUMB);
      gtk_drawing_area_set_content_height (GTK_DRAWING_AREA (self->row_areas[p]), (int) THUMB);
      gtk_widget_set_valign (self->row_areas[p], GTK_ALIGN_START);
      g_object_set_data (G_OBJECT (self->row_areas[p]), "figure", self);
      gtk_drawing_area_set_draw_func (GTK_DRAWING_AREA (self->row_areas[p]), row_draw, GUINT_TO_POINTER (p), NULL);
      gtk_accessible_update_property (GTK_ACCESSIBLE (self->row_areas[p]), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                      _("The head's weights"), -1);
      self->row_labels[p] = gtk_label_new (NULL);
      gtk_label_set_wrap (GTK_LABEL (self->row_labels[p]), TRUE);
      gtk_label_set_xalign (GTK_LABEL (self->row_labels[p]), 0);
      self->row_buttons[p] = gtk_button_new_with_label ("");
      /* "Try a Repeated Sequence" in German alone widened a 360 px window. */
      gtk_label_set_wrap (GTK_LABEL (gtk_button_get_child (GTK_BUTTON (self->row_buttons[p]))), TRUE);
      gtk_widget_set_name (self->row_buttons[p], name);
      gtk_widget_set_halign (self->row_buttons[p], GTK_ALIGN_START);
      g_object_set_data (G_OBJECT (self->row_buttons[p]), "pattern", GUINT_TO_POINTER (p));
      g_signal_connect (self->row_buttons[p], "clicked", G_CALLBACK (row_button_cb), self);
      gtk_widget_set_hexpand (text, TRUE);
      if (p == ATTN_LEARN_PATTERN_SINK)
        _attn_learn_glossary_add_tooltip (self->row_labels[p], ATTN_TERM_ATTENTION_SINK);
      else if (p == ATTN_LEARN_PATTERN_INDUCTION)
        _attn_learn_glossary_add_tooltip (self->row_labels[p], ATTN_TERM_INDUCTION_HEAD);
      gtk_box_append (GTK_BOX (text), self->row_labels[p]);
      gtk_box_append (GTK_BOX (text), self->row_buttons[p]);
      gtk_box_append (GTK_BOX (self->rows[p]), self->row_areas[p]);
      gtk_box_append (GTK_BOX (self->rows[p]), text);
      gtk_box_append (GTK_BOX (self->box), self->rows[p]);
    }
}

GtkWidget *
attn_learn_heads_new (void)
{
  return g_object_new (ATTN_TYPE_LEARN_HEADS, NULL);
}

gboolean
attn_learn_heads_get_exemplar (AttnLearnHeads   *self,
                               AttnLearnPattern  pattern,
                               guint            *layer,
                               guint            *head)
{
  g_return_val_if_fail (ATTN_IS_LEARN_HEADS (self), FALSE);
  g_return_val_if_fail (pattern < ATTN_LEARN_N_PATTERNS, FALSE);

  if (self->exemplar[pattern][0] < 0)
    return FALSE;
  *layer = self->exemplar[pattern][0];
  *head = self->exemplar[pattern][1];
  return TRUE;
}

const char *
_attn_learn_heads_get_caption (AttnLearnHeads *self,
                               guint           layer,
                               guint           head)
{
  g_return_val_if_fail (ATTN_IS_LEARN_HEADS (self), NULL);

  if (self->heads == NULL || layer >= self->n_layers || head >= self->n_heads)
    return NULL;
  return short_label (self->heads[layer * self->n_heads + head].label);
}

guint
_attn_learn_heads_get_n_passes (AttnLearnHeads *self)
{
  g_return_val_if_fail (ATTN_IS_LEARN_HEADS (self), 0);

  return self->n_passes;
}

GtkWidget *
_attn_learn_heads_get_thumbnail (AttnLearnHeads *self,
                                 guint           layer,
                                 guint           head)
{
  g_return_val_if_fail (ATTN_IS_LEARN_HEADS (self), NULL);

  if (layer >= self->n_layers || head >= self->n_heads)
    return NULL;
  return GTK_WIDGET (gtk_flow_box_get_child_at_index (GTK_FLOW_BOX (self->grid),
                                                      (int) (layer * self->n_heads + head)));
}
