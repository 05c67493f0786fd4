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
#include "attn-learn-heads.h"

#define THUMB 64.0
#define CELL_W 78.0
#define CELL_H (THUMB + 40.0)

typedef struct
{
  AttnHeadStats stats;
  AttnHeadLabel label;
} HeadInfo;

struct _AttnLearnHeads
{
  AttnLearnFigure  parent_instance;

  GtkWidget       *box;
  GtkWidget       *grid_area;
  GtkWidget       *rows[ATTN_LEARN_N_PATTERNS];
  GtkWidget       *row_areas[ATTN_LEARN_N_PATTERNS];
  GtkWidget       *row_labels[ATTN_LEARN_N_PATTERNS];
  GtkWidget       *row_buttons[ATTN_LEARN_N_PATTERNS];

  HeadInfo        *heads;            /* L × NH, for the current result */
  guint            n_layers, n_heads;
  int              exemplar[ATTN_LEARN_N_PATTERNS][2];   /* layer, head; -1 none */
  gboolean         repeated;         /* the text has a token that occurred 3+ tokens before */
};

G_DEFINE_FINAL_TYPE (AttnLearnHeads, attn_learn_heads, ATTN_TYPE_LEARN_FIGURE)

/* The grid of thumbnails: as many columns as fit, as many rows as that
 * takes (height for width). */
#define ATTN_TYPE_LEARN_HEADS_CANVAS (attn_learn_heads_canvas_get_type ())
G_DECLARE_FINAL_TYPE (AttnLearnHeadsCanvas, attn_learn_heads_canvas, ATTN, LEARN_HEADS_CANVAS, GtkWidget)

struct _AttnLearnHeadsCanvas
{
  GtkWidget       parent_instance;
  AttnLearnHeads *figure;   /* borrowed: the canvas is its child */
};

G_DEFINE_FINAL_TYPE (AttnLearnHeadsCanvas, attn_learn_heads_canvas, GTK_TYPE_WIDGET)

static guint n_columns (AttnLearnHeads *self, int width);
static void grid_draw (GtkWidget *canvas, cairo_t *cr, int width, int height, AttnLearnHeads *self);

static GtkSizeRequestMode
canvas_get_request_mode (GtkWidget *widget)
{
  return GTK_SIZE_REQUEST_HEIGHT_FOR_WIDTH;
}

static void
canvas_measure (GtkWidget      *widget,
                GtkOrientation  orientation,
                int             for_size,
                int            *minimum,
                int            *natural,
                int            *minimum_baseline,
                int            *natural_baseline)
{
  AttnLearnHeads *self = ((AttnLearnHeadsCanvas *) widget)->figure;
  guint n = self->n_layers * self->n_heads;

  if (orientation == GTK_ORIENTATION_HORIZONTAL)
    {
      *minimum = (int) CELL_W;
      *natural = (int) (CELL_W * MAX (1, self->n_heads));
    }
  else
    {
      guint columns = n_columns (self, for_size > 0 ? for_size : (int) (CELL_W * MAX (1, self->n_heads)));

      *minimum = *natural = (int) (CELL_H * MAX (1, (n + columns - 1) / columns));
    }
}

static void
canvas_snapshot (GtkWidget   *widget,
                 GtkSnapshot *snapshot)
{
  int width = gtk_widget_get_width (widget), height = gtk_widget_get_height (widget);
  cairo_t *cr = gtk_snapshot_append_cairo (snapshot, &GRAPHENE_RECT_INIT (0, 0, width, height));

  grid_draw (widget, cr, width, height, ((AttnLearnHeadsCanvas *) widget)->figure);
  cairo_destroy (cr);
}

static void
attn_learn_heads_canvas_class_init (AttnLearnHeadsCanvasClass *klass)
{
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  widget_class->get_request_mode = canvas_get_request_mode;
  widget_class->measure = canvas_measure;
  widget_class->snapshot = canvas_snapshot;
  gtk_widget_class_set_accessible_role (widget_class, GTK_ACCESSIBLE_ROLE_IMG);
}

static void
attn_learn_heads_canvas_init (AttnLearnHeadsCanvas *self)
{
}

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

static guint
n_columns (AttnLearnHeads *self,
           int             width)
{
  guint fit = MAX (1, (guint) (width / CELL_W));

  return MIN (MAX (self->n_heads, 1), fit);
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

static void
grid_draw (GtkWidget      *area,
           cairo_t        *cr,
           int             width,
           int             height,
           AttnLearnHeads *self)
{
  AttnDocument *document = attn_learn_figure_get_document (ATTN_LEARN_FIGURE (self));
  const AttnTheme *theme = _attn_learn_figure_get_theme (ATTN_LEARN_FIGURE (self));
  g_autoptr(PangoLayout) layout = NULL;
  guint columns;

  if (self->heads == NULL)
    return;
  columns = n_columns (self, width);
  layout = gtk_widget_create_pango_layout (area, NULL);
  pango_layout_set_width (layout, (int) (CELL_W - 4) * PANGO_SCALE);
  pango_layout_set_ellipsize (layout, PANGO_ELLIPSIZE_END);
  pango_layout_set_alignment (layout, PANGO_ALIGN_CENTER);

  for (guint l = 0; l < self->n_layers; l++)
    for (guint h = 0; h < self->n_heads; h++)
      {
        guint index = l * self->n_heads + h;
        double x = (index % columns) * CELL_W, y = (index / columns) * CELL_H;
        g_autofree char *caption = g_strdup_printf ("L%u H%u\n%s", l, h,
                                                    short_label (self->heads[index].label));
        gboolean selected = l == attn_document_get_layer (document) && h == attn_document_get_head (document);

        cairo_save (cr);
        cairo_translate (cr, x + (CELL_W - THUMB) / 2, y);
        draw_thumb (self, cr, l, h, THUMB);
        if (selected)
          {
            cairo_set_source_rgba (cr, theme->accent.r, theme->accent.g, theme->accent.b, 1);
            cairo_set_line_width (cr, 3);
            cairo_rectangle (cr, -2, -2, THUMB + 4, THUMB + 4);
            cairo_stroke (cr);
          }
        cairo_restore (cr);

        pango_layout_set_text (layout, caption, -1);
        cairo_move_to (cr, x + 2, y + THUMB + 2);
        cairo_set_source_rgba (cr, theme->foreground.r, theme->foreground.g, theme->foreground.b,
                               selected ? 1 : 0.8);
        pango_cairo_show_layout (cr, layout);
      }
}

static void
grid_pressed_cb (GtkGestureClick *gesture,
                 int              n_press,
                 double           x,
                 double           y,
                 AttnLearnHeads  *self)
{
  guint columns = n_columns (self, gtk_widget_get_width (self->grid_area));
  guint index = (guint) (y / CELL_H) * columns + (guint) (x / CELL_W);
  AttnDocument *document = attn_learn_figure_get_document (ATTN_LEARN_FIGURE (self));

  if (self->heads == NULL || x >= columns * CELL_W || index >= self->n_layers * self->n_heads)
    return;
  attn_document_set_layer (document, index / self->n_heads);
  attn_document_set_head (document, index % self->n_heads);
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

  g_clear_pointer (&self->heads, g_free);
  self->n_layers = self->n_heads = 0;
  for (guint p = 0; p < ATTN_LEARN_N_PATTERNS; p++)
    self->exemplar[p][0] = self->exemplar[p][1] = -1;
  gtk_widget_queue_draw (self->grid_area);

  if (result == NULL)
    {
      _attn_learn_figure_set_description (figure, _("No sentence has been computed yet."));
      return;
    }

  self->n_layers = attn_result_get_n_layers (result);
  self->n_heads = attn_result_get_n_heads (result);
  self->heads = g_new0 (HeadInfo, self->n_layers * self->n_heads);
  for (guint l = 0; l < self->n_layers; l++)
    for (guint h = 0; h < self->n_heads; h++)
      {
        HeadInfo *info = &self->heads[l * self->n_heads + h];
        g_autofree char *summary = _attn_head_dup_summary (result, l, h, &info->stats, &info->label);

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

  g_string_append_printf (description, _("All %u heads of the model on the sentence, each labelled by its "
                                         "pattern."), self->n_layers * self->n_heads);
  for (guint p = 0; p < ATTN_LEARN_N_PATTERNS; p++)
    {
      int l = self->exemplar[p][0], h = self->exemplar[p][1];
      g_autofree char *text = NULL;
      const char *button;

      if (l >= 0)
        {
          g_autofree char *summary = _attn_head_dup_summary (result, l, h, NULL, NULL);

          text = g_strdup_printf ("<b>%s</b>: %s", _(names[p]), summary);
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
  gtk_widget_queue_resize (self->grid_area);
  _attn_learn_figure_set_description (figure, description->str);
}

static void
attn_learn_heads_dispose (GObject *object)
{
  AttnLearnHeads *self = ATTN_LEARN_HEADS (object);

  g_clear_pointer (&self->box, gtk_widget_unparent);
  g_clear_pointer (&self->heads, g_free);

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
  GtkGesture *click = gtk_gesture_click_new ();

  self->box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 12);
  gtk_widget_set_parent (self->box, GTK_WIDGET (self));

  self->grid_area = g_object_new (ATTN_TYPE_LEARN_HEADS_CANVAS, NULL);
  ((AttnLearnHeadsCanvas *) self->grid_area)->figure = self;
  gtk_accessible_update_property (GTK_ACCESSIBLE (self->grid_area), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                  _("Every head's weights, labelled by pattern"), -1);
  g_signal_connect (click, "pressed", G_CALLBACK (grid_pressed_cb), self);
  gtk_widget_add_controller (self->grid_area, GTK_EVENT_CONTROLLER (click));
  gtk_box_append (GTK_BOX (self->box), self->grid_area);

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
      gtk_widget_set_name (self->row_buttons[p], name);
      gtk_widget_set_halign (self->row_buttons[p], GTK_ALIGN_START);
      g_object_set_data (G_OBJECT (self->row_buttons[p]), "pattern", GUINT_TO_POINTER (p));
      g_signal_connect (self->row_buttons[p], "clicked", G_CALLBACK (row_button_cb), self);
      gtk_widget_set_hexpand (text, TRUE);
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
