/* attn-heatmap-view.c
 *
 * Copyright 2026 The Attention authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "attn-heatmap-view"

#include "config.h"

#include <glib/gi18n.h>

#include "attn-display.h"
#include "attn-heatmap-view.h"
#include "attn-learn-glossary.h"
#include "attn-result-vectors.h"

#include <math.h>

/* 1 px: 4,096 tokens are 4,096 px, every cell its own pixel. */
#define MIN_CELL 1.0
#define MAX_CELL 64.0
#define ZOOM_STEP 1.25

struct _AttnHeatmapView
{
  AttnAttentionView parent_instance;

  double            cell_size;    /* 0: fit */
  double            pointer_x;    /* last pointer position; -1 outside */
  double            pointer_y;
  double            drag_x;       /* scroll position when a drag began */
  double            drag_y;
  gboolean          drag_overview;  /* the drag began on the overview */
  double            zoom_start;   /* cell size when a pinch began */
};

G_DEFINE_FINAL_TYPE (AttnHeatmapView, attn_heatmap_view, ATTN_TYPE_ATTENTION_VIEW)

enum {
  PROP_0,
  PROP_ZOOM,
  PROP_ZOOM_LABEL,
  N_PROPS
};

static GParamSpec *properties [N_PROPS];

static double fit_cell_size (AttnHeatmapView *self);

static gboolean
fill_spec (AttnHeatmapView *self,
           AttnHeatmapSpec *spec)
{
  AttnAttentionView *view = ATTN_ATTENTION_VIEW (self);
  AttnDocument *document = attn_attention_view_get_document (view);
  AttnResult *result = _attn_attention_view_get_result (view);

  if (result == NULL)
    return FALSE;

  attn_heatmap_spec_init (spec, result,
                          attn_document_get_layer (document),
                          attn_document_get_head (document));
  spec->query = attn_document_get_view_query (document);
  spec->key = spec->query >= 0 ? attn_document_get_view_key (document) : -1;
  _attn_attention_view_get_hover (view, &spec->hover_query, &spec->hover_key);
  spec->colormap = attn_attention_view_get_colormap (view);
  spec->scale = attn_attention_view_get_scale (view);
  spec->display = *attn_attention_view_get_display (view);
  spec->theme = _attn_attention_view_get_theme (view);
  spec->cell_size = self->cell_size;
  spec->show_values = TRUE;
  spec->show_overview = TRUE;
  spec->cache = _attn_attention_view_get_cache (view);
  _attn_attention_view_get_scroll (view, &spec->scroll_x, &spec->scroll_y);

  return TRUE;
}

static void
attn_heatmap_view_get_content_size (AttnAttentionView *view,
                                    AttnResult        *result,
                                    double            *width,
                                    double            *height)
{
  AttnHeatmapView *self = ATTN_HEATMAP_VIEW (view);
  AttnHeatmapSpec spec;

  /* Fitted, the map is exactly the viewport: nothing to scroll. */
  if (self->cell_size <= 0 || !fill_spec (self, &spec))
    return;

  attn_heatmap_get_natural_size (&spec, width, height);
}

static void
attn_heatmap_view_render (AttnAttentionView *view,
                          cairo_t           *cr,
                          AttnResult        *result,
                          double             width,
                          double             height,
                          double             scroll_x,
                          double             scroll_y)
{
  AttnHeatmapSpec spec;

  if (fill_spec (ATTN_HEATMAP_VIEW (view), &spec))
    attn_render_heatmap (cr, &spec, width, height);
}

static char *
attn_heatmap_view_describe (AttnAttentionView *view,
                            AttnResult        *result)
{
  AttnDocument *document = attn_attention_view_get_document (view);
  guint layer = attn_document_get_layer (document);
  guint head = attn_document_get_head (document);
  int query = attn_document_get_view_query (document);
  g_autofree char *links = NULL;

  links = _attn_describe_strongest_links (result, attn_result_get_weights (result, layer, head),
                                          query, 3);

  /* Translators: accessible description of the heatmap; the last %s lists the strongest links */
  return g_strdup_printf (_("Attention weights of layer %u, head %u over %u tokens. %s"),
                          layer, head, attn_result_get_n_tokens (result), links ? links : "");
}

static gboolean
attn_heatmap_view_hit_test (AttnAttentionView *view,
                            double             x,
                            double             y,
                            int               *query,
                            int               *key)
{
  AttnHeatmapSpec spec;

  if (!fill_spec (ATTN_HEATMAP_VIEW (view), &spec))
    return FALSE;

  return attn_heatmap_hit_test (&spec,
                                gtk_widget_get_width (GTK_WIDGET (view)),
                                gtk_widget_get_height (GTK_WIDGET (view)),
                                x, y, query, key);
}

static void
attn_heatmap_view_clicked (AttnAttentionView *view,
                           gboolean           hit,
                           int                query,
                           int                key)
{
  AttnDocument *document = attn_attention_view_get_document (view);

  if (!hit)
    return;

  /* Pins the pair: the query row and the key cell, in every view. */
  attn_document_set_view_query (document, query);
  attn_document_set_view_key (document, key);
}

static char *
attn_heatmap_view_dup_tooltip (AttnAttentionView *view,
                               AttnResult        *result,
                               int                query,
                               int                key)
{
  AttnDocument *document = attn_attention_view_get_document (view);
  g_autofree char *from = NULL;
  g_autofree char *to = NULL;
  const AttnDisplay *display;
  const float *weights;

  weights = attn_result_get_weights (result,
                                     attn_document_get_layer (document),
                                     attn_document_get_head (document));
  if (weights == NULL)
    return NULL;

  from = _attn_token_display_name (result, query);
  to = _attn_token_display_name (result, key);

  if (key > query && !attn_result_is_bidirectional (result))
    {
      g_autofree char *mask = _attn_learn_glossary_dup_tooltip (ATTN_TERM_CAUSAL_MASK);
      /* Translators: tooltip of a masked heatmap cell: query → future key */
      g_autofree char *cell = g_strdup_printf (_("\"%s\" → \"%s\": masked (a later token)"), from, to);

      /* then the Learn tour's definition of the causal mask */
      return g_strdup_printf ("%s\n%s", cell, mask);
    }

  display = attn_attention_view_get_display (view);
  if (!attn_display_is_identity (display))
    {
      guint T = attn_result_get_n_tokens (result);
      g_autofree float *row = g_new (float, T);

      attn_display_result_row (display, result, weights, query, row);
      if (row[key] < 0)
        /* Translators: tooltip of a hidden heatmap cell: query → key: true weight */
        return g_strdup_printf (_("\"%s\" → \"%s\": %.3f (hidden from the colours)"), from, to,
                                weights[(gsize) query * T + key]);
      /* Translators: tooltip of a heatmap cell when tokens are hidden or rows
       * scaled: query → key: true weight, then the value its colour shows */
      return g_strdup_printf (_("\"%s\" → \"%s\": %.3f (coloured as %.3f: %s)"), from, to,
                              weights[(gsize) query * T + key], row[key],
                              display->row_max ? _("share of the row's maximum")
                                               : _("renormalised without the hidden tokens"));
    }

  /* Translators: tooltip of a heatmap cell: query → key: weight */
  return g_strdup_printf (_("\"%s\" → \"%s\": %.3f"), from, to,
                          weights[(gsize) query * attn_result_get_n_tokens (result) + key]);
}

static gboolean
get_viewport (AttnHeatmapView     *self,
              gboolean             unscrolled,
              AttnHeatmapViewport *viewport)
{
  AttnHeatmapSpec spec;

  if (!fill_spec (self, &spec))
    return FALSE;
  if (unscrolled)
    spec.scroll_x = spec.scroll_y = 0;

  return attn_heatmap_get_viewport (&spec,
                                    gtk_widget_get_width (GTK_WIDGET (self)),
                                    gtk_widget_get_height (GTK_WIDGET (self)),
                                    viewport);
}

/* Scrolls so that the fractional matrix position (query, key) is at
 * (x, y) of the widget; zoomed only. */
static void
scroll_position_to (AttnHeatmapView *self,
                    double           query,
                    double           key,
                    double           x,
                    double           y)
{
  AttnHeatmapViewport vp;

  if (self->cell_size <= 0 || !get_viewport (self, TRUE, &vp))
    return;

  _attn_attention_view_scroll_to (ATTN_ATTENTION_VIEW (self),
                                  key * vp.cell - (x - vp.x),
                                  query * vp.cell - (y - vp.y));
}

/* Zooms to @cell_size keeping the cell position under (x, y) there: the
 * pointer for the wheel and a pinch, the middle of the view for keys. */
static void
zoom_at (AttnHeatmapView *self,
         double           cell_size,
         double           x,
         double           y)
{
  AttnHeatmapViewport vp;
  double query, key;
  guint T;

  if (!get_viewport (self, FALSE, &vp))
    {
      attn_heatmap_view_set_zoom (self, cell_size);
      return;
    }

  T = attn_result_get_n_tokens (_attn_attention_view_get_result (ATTN_ATTENTION_VIEW (self)));
  x = CLAMP (x, vp.x, vp.x + vp.width);
  y = CLAMP (y, vp.y, vp.y + vp.height);
  key = CLAMP ((x - vp.origin_x) / vp.cell, 0, T);
  query = CLAMP ((y - vp.origin_y) / vp.cell, 0, T);

  /* Zooming out past the fitted size fits. */
  if (cell_size <= vp.cell && self->cell_size <= 0)
    return;
  if (cell_size <= fit_cell_size (self))
    cell_size = 0;

  attn_heatmap_view_set_zoom (self, cell_size);
  scroll_position_to (self, query, key, x, y);
}

static void
zoom_by (AttnHeatmapView *self,
         double           factor)
{
  AttnHeatmapViewport vp;
  double x, y;

  if (!get_viewport (self, FALSE, &vp))
    return;

  x = self->pointer_x >= 0 ? self->pointer_x : vp.x + vp.width / 2;
  y = self->pointer_y >= 0 ? self->pointer_y : vp.y + vp.height / 2;
  zoom_at (self, MIN (vp.cell * factor, MAX_CELL), x, y);
}

/* Buttons and keys zoom around the selected cell (or query row) when it
 * is in view, so zooming in keeps it there; else around the middle. */
static void
zoom_centred (AttnHeatmapView *self,
              double           factor)
{
  AttnDocument *document = attn_attention_view_get_document (ATTN_ATTENTION_VIEW (self));
  int query = document ? attn_document_get_view_query (document) : -1;
  int key = query >= 0 ? attn_document_get_view_key (document) : -1;
  AttnHeatmapViewport vp;
  double x, y;

  if (!get_viewport (self, FALSE, &vp))
    return;

  x = vp.x + vp.width / 2;
  y = vp.y + vp.height / 2;
  if (query >= vp.query0 && query < vp.query1)
    y = vp.origin_y + (query + 0.5) * vp.cell;
  if (key >= vp.key0 && key < vp.key1)
    x = vp.origin_x + (key + 0.5) * vp.cell;

  zoom_at (self, MIN (MAX (vp.cell * factor, MIN_CELL), MAX_CELL), x, y);
}

/* Scrolls the least that shows cell (query, key) whole; a row or column
 * of -1 keeps its scroll position. */
static void
ensure_visible (AttnHeatmapView *self,
                int              query,
                int              key)
{
  AttnHeatmapViewport vp;
  double sx, sy;

  if (self->cell_size <= 0 || !get_viewport (self, FALSE, &vp))
    return;

  sx = vp.x - vp.origin_x;
  sy = vp.y - vp.origin_y;
  if (key < 0)
    ;
  else if (key * vp.cell < sx)
    sx = key * vp.cell;
  else if ((key + 1) * vp.cell > sx + vp.width)
    sx = (key + 1) * vp.cell - vp.width;
  if (query < 0)
    ;
  else if (query * vp.cell < sy)
    sy = query * vp.cell;
  else if ((query + 1) * vp.cell > sy + vp.height)
    sy = (query + 1) * vp.cell - vp.height;

  _attn_attention_view_scroll_to (ATTN_ATTENTION_VIEW (self), sx, sy);
}

/* Zoomed, a query (and key) chosen anywhere, the token strip or another
 * view, scrolls into sight: the selected row stays in view. */
static void
attn_heatmap_view_follow_selection (AttnAttentionView *view)
{
  AttnHeatmapView *self = ATTN_HEATMAP_VIEW (view);
  AttnDocument *document = attn_attention_view_get_document (view);
  AttnResult *result = _attn_attention_view_get_result (view);
  int query = attn_document_get_view_query (document);
  int key = attn_document_get_view_key (document);
  AttnHeatmapViewport vp;
  guint seen;

  if (query < 0)
    return;
  ensure_visible (self, query, key);
  if (key >= 0 || result == NULL || (guint) query >= attn_result_get_n_tokens (result) ||
      self->cell_size <= 0 || !get_viewport (self, FALSE, &vp))
    return;

  /* The row alone could come into view with only masked cells beside it
   * (a causal query sees only the keys up to itself): when none of the
   * keys it sees is in sight, its diagonal cell comes to the middle. */
  seen = attn_result_get_n_keys_seen (result, (guint) query);
  if (seen > 0 && vp.x - vp.origin_x >= seen * vp.cell)
    _attn_attention_view_scroll_to (view, MAX (0.0, (seen - 0.5) * vp.cell - vp.width / 2),
                                    vp.y - vp.origin_y);
}

/* Ctrl+wheel and Ctrl+two-finger scrolling zoom around the pointer; plain
 * scrolling goes on to the scrolled window, which pans. */
static gboolean
scroll_cb (AttnHeatmapView          *self,
           double                    dx,
           double                    dy,
           GtkEventControllerScroll *scroll)
{
  GdkModifierType state;

  state = gtk_event_controller_get_current_event_state (GTK_EVENT_CONTROLLER (scroll));
  if ((state & GDK_CONTROL_MASK) == 0 || dy == 0)
    return FALSE;

  if (gtk_event_controller_scroll_get_unit (scroll) == GDK_SCROLL_UNIT_WHEEL)
    zoom_by (self, pow (ZOOM_STEP, -dy));
  else
    zoom_by (self, exp (-dy / 200.0));   /* touchpad: pixels of movement */

  return TRUE;
}

static void
motion_cb (AttnHeatmapView *self,
           double           x,
           double           y)
{
  self->pointer_x = x;
  self->pointer_y = y;
}

static void
leave_cb (AttnHeatmapView *self)
{
  self->pointer_x = self->pointer_y = -1;
}

static gboolean
overview_hit (AttnHeatmapView *self,
              double           x,
              double           y,
              double          *query,
              double          *key)
{
  AttnHeatmapSpec spec;

  return fill_spec (self, &spec)
         && attn_heatmap_overview_hit_test (&spec,
                                            gtk_widget_get_width (GTK_WIDGET (self)),
                                            gtk_widget_get_height (GTK_WIDGET (self)),
                                            x, y, query, key);
}

/* The view centred on the overview's point (x, y). */
static void
overview_jump (AttnHeatmapView *self,
               double           x,
               double           y)
{
  AttnHeatmapViewport vp;
  double query, key;

  if (!overview_hit (self, x, y, &query, &key) || !get_viewport (self, FALSE, &vp))
    return;

  scroll_position_to (self, query, key, vp.x + vp.width / 2, vp.y + vp.height / 2);
}

/* Dragging pans the zoomed map; on the overview it moves the visible
 * region. */
static void
drag_begin_cb (AttnHeatmapView *self,
               double           x,
               double           y,
               GtkGestureDrag  *gesture)
{
  if (self->cell_size <= 0)
    {
      gtk_gesture_set_state (GTK_GESTURE (gesture), GTK_EVENT_SEQUENCE_DENIED);
      return;
    }

  self->drag_overview = overview_hit (self, x, y, NULL, NULL);
  if (self->drag_overview)
    overview_jump (self, x, y);
  _attn_attention_view_get_scroll (ATTN_ATTENTION_VIEW (self), &self->drag_x, &self->drag_y);
}

static void
drag_update_cb (AttnHeatmapView *self,
                double           offset_x,
                double           offset_y,
                GtkGestureDrag  *gesture)
{
  double x, y;

  if (self->drag_overview)
    {
      gtk_gesture_drag_get_start_point (gesture, &x, &y);
      overview_jump (self, x + offset_x, y + offset_y);
      return;
    }

  if (gtk_drag_check_threshold (GTK_WIDGET (self), 0, 0, offset_x, offset_y))
    gtk_widget_set_cursor_from_name (GTK_WIDGET (self), "grabbing");
  _attn_attention_view_scroll_to (ATTN_ATTENTION_VIEW (self), self->drag_x - offset_x, self->drag_y - offset_y);
}

static void
drag_end_cb (AttnHeatmapView *self)
{
  gtk_widget_set_cursor (GTK_WIDGET (self), NULL);
}

static void
zoom_begin_cb (AttnHeatmapView *self)
{
  AttnHeatmapViewport vp;

  self->zoom_start = get_viewport (self, FALSE, &vp) ? vp.cell : 0;
}

/* A touchpad or touchscreen pinch, around the fingers' centre. */
static void
zoom_scale_changed_cb (AttnHeatmapView *self,
                       double           scale,
                       GtkGestureZoom  *gesture)
{
  double x, y;

  if (self->zoom_start <= 0 || !gtk_gesture_get_bounding_box_center (GTK_GESTURE (gesture), &x, &y))
    return;

  zoom_at (self, MIN (self->zoom_start * scale, MAX_CELL), x, y);
}

/* Up and Down move the query row, Left and Right the key: a cell cursor. */
static gboolean
key_pressed_cb (AttnHeatmapView       *self,
                guint                  keyval,
                guint                  keycode,
                GdkModifierType        state,
                GtkEventControllerKey *controller)
{
  AttnAttentionView *view = ATTN_ATTENTION_VIEW (self);
  AttnDocument *document = attn_attention_view_get_document (view);
  AttnResult *result = _attn_attention_view_get_result (view);
  int T, query, key;

  if (result == NULL || (state & (GDK_CONTROL_MASK | GDK_ALT_MASK)) != 0)
    return FALSE;

  T = attn_result_get_n_tokens (result);
  query = attn_document_get_view_query (document);
  key = attn_document_get_view_key (document);
  if (query < 0)
    query = 0;
  if (key < 0)
    key = 0;

  if (keyval == GDK_KEY_Page_Up || keyval == GDK_KEY_Page_Down)
    {
      AttnHeatmapViewport vp;
      int page = get_viewport (self, FALSE, &vp) ? MAX (1, (int) (vp.height / vp.cell) - 1) : 10;

      query = CLAMP (query + (keyval == GDK_KEY_Page_Up ? -page : page), 0, T - 1);
    }
  else if (!_attn_arrow_key_move (keyval, &query, &key, T, T))
    return FALSE;

  key = MIN (key, query);
  attn_document_set_view_query (document, query);
  attn_document_set_view_key (document, key);
  /* Zoomed, the view follows the cursor: the keyboard's way to pan. */
  ensure_visible (self, query, key);
  return TRUE;
}

static double
fit_cell_size (AttnHeatmapView *self)
{
  AttnHeatmapSpec spec;
  double width, height;
  guint T;

  if (!fill_spec (self, &spec))
    return 0;

  T = attn_result_get_n_tokens (spec.result);
  spec.cell_size = 10;
  attn_heatmap_get_natural_size (&spec, &width, &height);

  /* Natural size is margins + T × cell, so the margins are what is left. */
  return MIN ((gtk_widget_get_width (GTK_WIDGET (self)) - (width - 10.0 * T)) / T,
              (gtk_widget_get_height (GTK_WIDGET (self)) - (height - 10.0 * T)) / T);
}

static void
attn_heatmap_view_get_property (GObject    *object,
                                guint       prop_id,
                                GValue     *value,
                                GParamSpec *pspec)
{
  AttnHeatmapView *self = ATTN_HEATMAP_VIEW (object);

  switch (prop_id)
    {
    case PROP_ZOOM:
      g_value_set_double (value, self->cell_size);
      break;
    case PROP_ZOOM_LABEL:
      g_value_take_string (value, attn_heatmap_view_dup_zoom_label (self));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
attn_heatmap_view_set_property (GObject      *object,
                                guint         prop_id,
                                const GValue *value,
                                GParamSpec   *pspec)
{
  AttnHeatmapView *self = ATTN_HEATMAP_VIEW (object);

  switch (prop_id)
    {
    case PROP_ZOOM:
      attn_heatmap_view_set_zoom (self, g_value_get_double (value));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
attn_heatmap_view_class_init (AttnHeatmapViewClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);
  AttnAttentionViewClass *view_class = ATTN_ATTENTION_VIEW_CLASS (klass);

  object_class->get_property = attn_heatmap_view_get_property;
  object_class->set_property = attn_heatmap_view_set_property;

  view_class->get_content_size = attn_heatmap_view_get_content_size;
  view_class->render = attn_heatmap_view_render;
  view_class->describe = attn_heatmap_view_describe;
  view_class->hit_test = attn_heatmap_view_hit_test;
  view_class->clicked = attn_heatmap_view_clicked;
  view_class->dup_tooltip = attn_heatmap_view_dup_tooltip;
  view_class->follow_selection = attn_heatmap_view_follow_selection;

  properties [PROP_ZOOM] =
    g_param_spec_double ("zoom", NULL, NULL, 0, MAX_CELL, 0,
                         (G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS));
  /* "Fit" or "8 px" (a cell's edge), for the zoom menu's button. */
  properties [PROP_ZOOM_LABEL] =
    g_param_spec_string ("zoom-label", NULL, NULL, NULL,
                         (G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS));
  g_object_class_install_properties (object_class, N_PROPS, properties);

  gtk_widget_class_set_css_name (widget_class, "attnheatmap");
  gtk_widget_class_set_accessible_role (widget_class, GTK_ACCESSIBLE_ROLE_IMG);
}

static void
attn_heatmap_view_init (AttnHeatmapView *self)
{
  GtkEventController *controller;
  GtkGesture *gesture;

  controller = gtk_event_controller_scroll_new (GTK_EVENT_CONTROLLER_SCROLL_VERTICAL);
  g_signal_connect_swapped (controller, "scroll", G_CALLBACK (scroll_cb), self);
  gtk_widget_add_controller (GTK_WIDGET (self), controller);

  controller = gtk_event_controller_key_new ();
  g_signal_connect_swapped (controller, "key-pressed", G_CALLBACK (key_pressed_cb), self);
  gtk_widget_add_controller (GTK_WIDGET (self), controller);

  controller = gtk_event_controller_motion_new ();
  g_signal_connect_swapped (controller, "enter", G_CALLBACK (motion_cb), self);
  g_signal_connect_swapped (controller, "motion", G_CALLBACK (motion_cb), self);
  g_signal_connect_swapped (controller, "leave", G_CALLBACK (leave_cb), self);
  gtk_widget_add_controller (GTK_WIDGET (self), controller);

  gesture = gtk_gesture_drag_new ();
  g_signal_connect_swapped (gesture, "drag-begin", G_CALLBACK (drag_begin_cb), self);
  g_signal_connect_swapped (gesture, "drag-update", G_CALLBACK (drag_update_cb), self);
  g_signal_connect_swapped (gesture, "drag-end", G_CALLBACK (drag_end_cb), self);
  gtk_widget_add_controller (GTK_WIDGET (self), GTK_EVENT_CONTROLLER (gesture));

  gesture = gtk_gesture_zoom_new ();
  g_signal_connect_swapped (gesture, "begin", G_CALLBACK (zoom_begin_cb), self);
  g_signal_connect_swapped (gesture, "scale-changed", G_CALLBACK (zoom_scale_changed_cb), self);
  gtk_widget_add_controller (GTK_WIDGET (self), GTK_EVENT_CONTROLLER (gesture));

  self->pointer_x = self->pointer_y = -1;

  gtk_accessible_update_property (GTK_ACCESSIBLE (self),
                                  GTK_ACCESSIBLE_PROPERTY_LABEL, _("Attention heatmap"),
                                  -1);
}

GtkWidget *
attn_heatmap_view_new (void)
{
  return g_object_new (ATTN_TYPE_HEATMAP_VIEW, NULL);
}

double
attn_heatmap_view_get_zoom (AttnHeatmapView *self)
{
  g_return_val_if_fail (ATTN_IS_HEATMAP_VIEW (self), 0);
  return self->cell_size;
}

void
attn_heatmap_view_set_zoom (AttnHeatmapView *self,
                            double           cell_size)
{
  g_return_if_fail (ATTN_IS_HEATMAP_VIEW (self));

  cell_size = cell_size <= 0 ? 0 : CLAMP (cell_size, MIN_CELL, MAX_CELL);
  if (self->cell_size == cell_size)
    return;

  self->cell_size = cell_size;
  _attn_attention_view_content_changed (ATTN_ATTENTION_VIEW (self));
  g_object_notify_by_pspec (G_OBJECT (self), properties [PROP_ZOOM]);
  g_object_notify_by_pspec (G_OBJECT (self), properties [PROP_ZOOM_LABEL]);
}

char *
attn_heatmap_view_dup_zoom_label (AttnHeatmapView *self)
{
  g_return_val_if_fail (ATTN_IS_HEATMAP_VIEW (self), NULL);

  if (self->cell_size <= 0)
    /* Translators: the heatmap's zoom: every cell fits the view */
    return g_strdup (C_("zoom", "Fit"));
  /* Translators: the heatmap's zoom: a cell's edge in pixels */
  return g_strdup_printf (C_("zoom", "%.3g px"), self->cell_size);
}

void
attn_heatmap_view_zoom_in (AttnHeatmapView *self)
{
  g_return_if_fail (ATTN_IS_HEATMAP_VIEW (self));

  /* Buttons and keys zoom around the selection, not the pointer. */
  zoom_centred (self, ZOOM_STEP);
}

void
attn_heatmap_view_zoom_out (AttnHeatmapView *self)
{
  g_return_if_fail (ATTN_IS_HEATMAP_VIEW (self));

  if (self->cell_size > 0)
    zoom_centred (self, 1 / ZOOM_STEP);
}
