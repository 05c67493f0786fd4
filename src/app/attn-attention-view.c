/* attn-attention-view.c
 *
 * Copyright 2026 The Attention authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "attn-attention-view"

#include "config.h"

#include <adwaita.h>
#include <glib/gi18n.h>

#include "attn-attention-view.h"
#include "attn-scrollable.h"
#include "attn-display.h"
#include "attn-result-vectors.h"

typedef struct
{
  AttnDocument    *document;        /* owned */
  GSignalGroup    *document_signals; /* owned */
  AttnColormap     colormap;
  AttnScale        scale;
  AttnDisplay      display;
  AttnTheme        theme;           /* a copy of the light or dark default */
  AttnRenderCache *cache;           /* owned */

  GtkAdjustment   *hadjustment;     /* owned */
  GtkAdjustment   *vadjustment;     /* owned */
  guint            hscroll_policy : 1;
  guint            vscroll_policy : 1;

  int              hover_a;
  int              hover_b;
  guint            n_draws;
} AttnAttentionViewPrivate;

static void attn_attention_view_scrollable_init (GtkScrollableInterface *iface);

G_DEFINE_ABSTRACT_TYPE_WITH_CODE (AttnAttentionView, attn_attention_view, GTK_TYPE_WIDGET,
                                  G_ADD_PRIVATE (AttnAttentionView)
                                  G_IMPLEMENT_INTERFACE (GTK_TYPE_SCROLLABLE,
                                                         attn_attention_view_scrollable_init))

enum {
  PROP_0,
  PROP_DOCUMENT,
  PROP_COLORMAP,
  PROP_SCALE,
  N_PROPS,

  /* GtkScrollable */
  PROP_HADJUSTMENT = N_PROPS,
  PROP_VADJUSTMENT,
  PROP_HSCROLL_POLICY,
  PROP_VSCROLL_POLICY,
};

static GParamSpec *properties [N_PROPS];

enum {
  HEAD_ACTIVATED,
  N_SIGNALS
};

static guint signals [N_SIGNALS];

static void
attn_attention_view_scrollable_init (GtkScrollableInterface *iface)
{
}

static void
update_description (AttnAttentionView *self)
{
  AttnResult *result = _attn_attention_view_get_result (self);
  g_autofree char *description = NULL;

  if (result != NULL)
    description = ATTN_ATTENTION_VIEW_GET_CLASS (self)->describe (self, result);

  gtk_accessible_update_property (GTK_ACCESSIBLE (self),
                                  GTK_ACCESSIBLE_PROPERTY_DESCRIPTION,
                                  description ? description : _("No attention weights yet."),
                                  -1);
}

void
_attn_attention_view_redraw (AttnAttentionView *self)
{
  g_return_if_fail (ATTN_IS_ATTENTION_VIEW (self));

  update_description (self);
  gtk_widget_queue_draw (GTK_WIDGET (self));
}

void
_attn_attention_view_content_changed (AttnAttentionView *self)
{
  g_return_if_fail (ATTN_IS_ATTENTION_VIEW (self));

  gtk_widget_queue_resize (GTK_WIDGET (self));
  _attn_attention_view_redraw (self);
}

static void
document_result_changed_cb (AttnAttentionView *self)
{
  _attn_attention_view_content_changed (self);
}

static void
document_selection_changed_cb (AttnAttentionView *self)
{
  _attn_attention_view_redraw (self);
}

static void
document_query_changed_cb (AttnAttentionView *self)
{
  AttnAttentionViewClass *klass = ATTN_ATTENTION_VIEW_GET_CLASS (self);

  /* Heads drawn in an order of their own are drawn in a new one: the
   * keyboard starts again from the first (the new top-ranked head). */
  if (klass->dup_head_order != NULL)
    _attn_attention_view_set_hover (self, -1, -1);

  if (klass->follow_selection != NULL && _attn_attention_view_get_result (self) != NULL)
    klass->follow_selection (self);
  _attn_attention_view_redraw (self);
}

static void
style_manager_dark_changed_cb (AttnAttentionView *self,
                               GParamSpec        *pspec,
                               AdwStyleManager   *style_manager)
{
  AttnAttentionViewPrivate *priv = attn_attention_view_get_instance_private (self);

  priv->theme = *attn_theme_get_default (adw_style_manager_get_dark (style_manager));
  gtk_widget_queue_draw (GTK_WIDGET (self));
}

static gboolean
hit_test (AttnAttentionView *self,
          double             x,
          double             y,
          int               *a,
          int               *b)
{
  *a = *b = -1;

  if (_attn_attention_view_get_result (self) == NULL)
    return FALSE;

  return ATTN_ATTENTION_VIEW_GET_CLASS (self)->hit_test (self, x, y, a, b);
}

static void
motion_cb (AttnAttentionView        *self,
           double                    x,
           double                    y,
           GtkEventControllerMotion *motion)
{
  int a, b;

  if (hit_test (self, x, y, &a, &b))
    _attn_attention_view_set_hover (self, a, b);
  else
    _attn_attention_view_set_hover (self, -1, -1);
}

static void
leave_cb (AttnAttentionView *self)
{
  _attn_attention_view_set_hover (self, -1, -1);
}

static void
pressed_cb (AttnAttentionView *self,
            int                n_press,
            double             x,
            double             y,
            GtkGestureClick   *gesture)
{
  AttnAttentionViewPrivate *priv = attn_attention_view_get_instance_private (self);
  gboolean hit;
  int a, b;

  gtk_widget_grab_focus (GTK_WIDGET (self));

  if (priv->document == NULL || _attn_attention_view_get_result (self) == NULL)
    return;

  hit = hit_test (self, x, y, &a, &b);
  if (ATTN_ATTENTION_VIEW_GET_CLASS (self)->clicked != NULL)
    ATTN_ATTENTION_VIEW_GET_CLASS (self)->clicked (self, hit, a, b);
  else if (hit && ATTN_ATTENTION_VIEW_GET_CLASS (self)->activates_heads)
    attn_attention_view_activate_head (self, a, b);
}

static gboolean
query_tooltip_cb (AttnAttentionView *self,
                  int                x,
                  int                y,
                  gboolean           keyboard_mode,
                  GtkTooltip        *tooltip)
{
  g_autofree char *text = NULL;
  int a, b;

  /* The accessible description speaks for keyboard users. */
  if (keyboard_mode || !hit_test (self, x, y, &a, &b))
    return FALSE;

  text = ATTN_ATTENTION_VIEW_GET_CLASS (self)->dup_tooltip (self,
                                                            _attn_attention_view_get_result (self),
                                                            a, b);
  if (text == NULL)
    return FALSE;

  gtk_tooltip_set_text (tooltip, text);
  return TRUE;
}

static void
adjustment_value_changed_cb (AttnAttentionView *self)
{
  gtk_widget_queue_draw (GTK_WIDGET (self));
}

static void
set_adjustment (AttnAttentionView  *self,
                GtkAdjustment     **slot,
                GtkAdjustment      *adjustment)
{
  _attn_scrollable_set_adjustment (GTK_WIDGET (self), slot, adjustment,
                                   G_CALLBACK (adjustment_value_changed_cb));
}

static void
get_content_size (AttnAttentionView *self,
                  double            *width,
                  double            *height)
{
  AttnResult *result = _attn_attention_view_get_result (self);

  *width = *height = 0;
  if (result != NULL)
    ATTN_ATTENTION_VIEW_GET_CLASS (self)->get_content_size (self, result, width, height);
}

static void
attn_attention_view_measure (GtkWidget      *widget,
                             GtkOrientation  orientation,
                             int             for_size,
                             int            *minimum,
                             int            *natural,
                             int            *minimum_baseline,
                             int            *natural_baseline)
{
  AttnAttentionView *self = ATTN_ATTENTION_VIEW (widget);
  double width, height;

  get_content_size (self, &width, &height);

  *minimum = 64;
  *natural = MAX (64, ceil (orientation == GTK_ORIENTATION_HORIZONTAL ? width : height));
}

static void
attn_attention_view_size_allocate (GtkWidget *widget,
                                   int        width,
                                   int        height,
                                   int        baseline)
{
  AttnAttentionView *self = ATTN_ATTENTION_VIEW (widget);
  AttnAttentionViewPrivate *priv = attn_attention_view_get_instance_private (self);
  double content_width, content_height;

  get_content_size (self, &content_width, &content_height);
  _attn_scrollable_configure (priv->hadjustment, content_width, width, 0);
  _attn_scrollable_configure (priv->vadjustment, content_height, height, 0);
}

void
_attn_attention_view_scroll_to (AttnAttentionView *self,
                                double             x,
                                double             y)
{
  AttnAttentionViewPrivate *priv = attn_attention_view_get_instance_private (self);
  double content_width, content_height;

  g_return_if_fail (ATTN_IS_ATTENTION_VIEW (self));

  /* The adjustments' bounds first, so a zoom's new extent is not clamped
   * to the old one. */
  get_content_size (self, &content_width, &content_height);
  _attn_scrollable_configure (priv->hadjustment, content_width, gtk_widget_get_width (GTK_WIDGET (self)), 0);
  _attn_scrollable_configure (priv->vadjustment, content_height, gtk_widget_get_height (GTK_WIDGET (self)), 0);
  gtk_adjustment_set_value (priv->hadjustment, x);
  gtk_adjustment_set_value (priv->vadjustment, y);
}

static void
attn_attention_view_snapshot (GtkWidget   *widget,
                              GtkSnapshot *snapshot)
{
  AttnAttentionView *self = ATTN_ATTENTION_VIEW (widget);
  AttnAttentionViewPrivate *priv = attn_attention_view_get_instance_private (self);
  AttnResult *result = _attn_attention_view_get_result (self);
  int width = gtk_widget_get_width (widget);
  int height = gtk_widget_get_height (widget);
  cairo_t *cr;

  if (width <= 0 || height <= 0 || result == NULL)
    return;

  cr = gtk_snapshot_append_cairo (snapshot, &GRAPHENE_RECT_INIT (0, 0, width, height));
  ATTN_ATTENTION_VIEW_GET_CLASS (self)->render (self, cr, result, width, height,
                                                gtk_adjustment_get_value (priv->hadjustment),
                                                gtk_adjustment_get_value (priv->vadjustment));
  cairo_destroy (cr);
  priv->n_draws++;
}

static void
attn_attention_view_dispose (GObject *object)
{
  AttnAttentionView *self = (AttnAttentionView *)object;
  AttnAttentionViewPrivate *priv = attn_attention_view_get_instance_private (self);

  if (priv->document_signals != NULL)
    g_signal_group_set_target (priv->document_signals, NULL);
  g_clear_object (&priv->document_signals);
  g_clear_object (&priv->document);
  _attn_scrollable_clear_adjustment (GTK_WIDGET (self), &priv->hadjustment,
                                     G_CALLBACK (adjustment_value_changed_cb));
  _attn_scrollable_clear_adjustment (GTK_WIDGET (self), &priv->vadjustment,
                                     G_CALLBACK (adjustment_value_changed_cb));
  g_clear_pointer (&priv->cache, attn_render_cache_free);

  G_OBJECT_CLASS (attn_attention_view_parent_class)->dispose (object);
}

static void
attn_attention_view_get_property (GObject    *object,
                                  guint       prop_id,
                                  GValue     *value,
                                  GParamSpec *pspec)
{
  AttnAttentionView *self = ATTN_ATTENTION_VIEW (object);
  AttnAttentionViewPrivate *priv = attn_attention_view_get_instance_private (self);

  switch (prop_id)
    {
    case PROP_DOCUMENT:
      g_value_set_object (value, priv->document);
      break;
    case PROP_COLORMAP:
      g_value_set_int (value, priv->colormap);
      break;
    case PROP_SCALE:
      g_value_set_int (value, priv->scale);
      break;
    case PROP_HADJUSTMENT:
      g_value_set_object (value, priv->hadjustment);
      break;
    case PROP_VADJUSTMENT:
      g_value_set_object (value, priv->vadjustment);
      break;
    case PROP_HSCROLL_POLICY:
      g_value_set_enum (value, priv->hscroll_policy);
      break;
    case PROP_VSCROLL_POLICY:
      g_value_set_enum (value, priv->vscroll_policy);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
attn_attention_view_set_property (GObject      *object,
                                  guint         prop_id,
                                  const GValue *value,
                                  GParamSpec   *pspec)
{
  AttnAttentionView *self = ATTN_ATTENTION_VIEW (object);
  AttnAttentionViewPrivate *priv = attn_attention_view_get_instance_private (self);

  switch (prop_id)
    {
    case PROP_DOCUMENT:
      attn_attention_view_set_document (self, g_value_get_object (value));
      break;
    case PROP_COLORMAP:
      attn_attention_view_set_colormap (self, g_value_get_int (value));
      break;
    case PROP_SCALE:
      attn_attention_view_set_scale (self, g_value_get_int (value));
      break;
    case PROP_HADJUSTMENT:
      set_adjustment (self, &priv->hadjustment, g_value_get_object (value));
      break;
    case PROP_VADJUSTMENT:
      set_adjustment (self, &priv->vadjustment, g_value_get_object (value));
      break;
    case PROP_HSCROLL_POLICY:
      if (priv->hscroll_policy != (guint) g_value_get_enum (value))
        {
          priv->hscroll_policy = g_value_get_enum (value);
          gtk_widget_queue_resize (GTK_WIDGET (self));
          g_object_notify_by_pspec (object, pspec);
        }
      break;
    case PROP_VSCROLL_POLICY:
      if (priv->vscroll_policy != (guint) g_value_get_enum (value))
        {
          priv->vscroll_policy = g_value_get_enum (value);
          gtk_widget_queue_resize (GTK_WIDGET (self));
          g_object_notify_by_pspec (object, pspec);
        }
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

/* The L × H heads as drawn, in reading order. */
static AttnHeadRank *
dup_head_order (AttnAttentionView *self,
                AttnResult        *result)
{
  AttnAttentionViewClass *klass = ATTN_ATTENTION_VIEW_GET_CLASS (self);
  guint L = attn_result_get_n_layers (result), H = attn_result_get_n_heads (result);
  AttnHeadRank *order = klass->dup_head_order != NULL ? klass->dup_head_order (self, result) : NULL;

  if (order == NULL)
    {
      order = g_new (AttnHeadRank, (gsize) L * H);
      for (guint i = 0; i < L * H; i++)
        order[i] = (AttnHeadRank) { i / H, i % H, -1 };
    }
  return order;
}

void
_attn_attention_view_get_head_cursor (AttnAttentionView *self,
                                      int               *layer,
                                      int               *head)
{
  AttnAttentionViewPrivate *priv = attn_attention_view_get_instance_private (self);
  AttnResult *result = _attn_attention_view_get_result (self);
  g_autofree AttnHeadRank *order = NULL;

  *layer = priv->hover_a;
  *head = priv->hover_b;
  if (result == NULL || (*layer >= 0 && *head >= 0))
    return;

  if (ATTN_ATTENTION_VIEW_GET_CLASS (self)->dup_head_order != NULL
      && (order = ATTN_ATTENTION_VIEW_GET_CLASS (self)->dup_head_order (self, result)) != NULL)
    {
      *layer = order[0].layer;
      *head = order[0].head;
    }
  else
    {
      *layer = attn_document_get_layer (priv->document);
      *head = attn_document_get_head (priv->document);
    }
}

/* Views of heads: arrows move the hover cursor over the heads as they are
 * drawn (ranked ones in rank order), Home and End to the first and last;
 * Enter or Space opens the head under it (_attn_attention_view_get_head_cursor). */
static gboolean
head_cursor_key_pressed_cb (AttnAttentionView     *self,
                            guint                  keyval,
                            guint                  keycode,
                            GdkModifierType        state,
                            GtkEventControllerKey *controller)
{
  AttnResult *result = _attn_attention_view_get_result (self);
  g_autofree AttnHeadRank *order = NULL;
  int layer, head, L, H, row, column, n;

  if (result == NULL || (state & (GDK_CONTROL_MASK | GDK_ALT_MASK)) != 0)
    return FALSE;

  _attn_attention_view_get_head_cursor (self, &layer, &head);
  if (keyval == GDK_KEY_Return || keyval == GDK_KEY_KP_Enter || keyval == GDK_KEY_space)
    {
      attn_attention_view_activate_head (self, layer, head);
      return TRUE;
    }

  L = attn_result_get_n_layers (result);
  H = attn_result_get_n_heads (result);
  order = dup_head_order (self, result);
  for (n = 0; n < L * H; n++)
    if ((int) order[n].layer == layer && (int) order[n].head == head)
      break;
  if (n == L * H)
    n = 0;
  row = n / H;
  column = n % H;

  if (keyval == GDK_KEY_Home || keyval == GDK_KEY_KP_Home)
    row = column = 0;
  else if (keyval == GDK_KEY_End || keyval == GDK_KEY_KP_End)
    {
      row = L - 1;
      column = H - 1;
    }
  else if (!_attn_arrow_key_move (keyval, &row, &column, L, H))
    return FALSE;

  n = row * H + column;
  _attn_attention_view_set_hover (self, order[n].layer, order[n].head);
  return TRUE;
}

/* Only views of heads read keys here (the heatmap has its own): a key
 * controller on a view tells the window that the view uses the arrows
 * (attn-focus-keys.c), so the other views leave them to the window. */
static void
attn_attention_view_constructed (GObject *object)
{
  AttnAttentionView *self = ATTN_ATTENTION_VIEW (object);

  G_OBJECT_CLASS (attn_attention_view_parent_class)->constructed (object);

  if (ATTN_ATTENTION_VIEW_GET_CLASS (self)->activates_heads)
    {
      GtkEventController *controller = gtk_event_controller_key_new ();

      g_signal_connect_swapped (controller, "key-pressed", G_CALLBACK (head_cursor_key_pressed_cb), self);
      gtk_widget_add_controller (GTK_WIDGET (self), controller);
    }
}

static void
attn_attention_view_class_init (AttnAttentionViewClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->constructed = attn_attention_view_constructed;
  object_class->dispose = attn_attention_view_dispose;
  object_class->get_property = attn_attention_view_get_property;
  object_class->set_property = attn_attention_view_set_property;

  widget_class->measure = attn_attention_view_measure;
  widget_class->size_allocate = attn_attention_view_size_allocate;
  widget_class->snapshot = attn_attention_view_snapshot;

  properties [PROP_DOCUMENT] =
    g_param_spec_object ("document", NULL, NULL, ATTN_TYPE_DOCUMENT,
                         (G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS));
  properties [PROP_COLORMAP] =
    g_param_spec_int ("colormap", NULL, NULL, 0, ATTN_COLORMAP_COUNT - 1, ATTN_COLORMAP_VIRIDIS,
                      (G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS));
  properties [PROP_SCALE] =
    g_param_spec_int ("scale", NULL, NULL, ATTN_SCALE_LINEAR, ATTN_SCALE_LOG, ATTN_SCALE_LINEAR,
                      (G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS));
  g_object_class_install_properties (object_class, N_PROPS, properties);

  g_object_class_override_property (object_class, PROP_HADJUSTMENT, "hadjustment");
  g_object_class_override_property (object_class, PROP_VADJUSTMENT, "vadjustment");
  g_object_class_override_property (object_class, PROP_HSCROLL_POLICY, "hscroll-policy");
  g_object_class_override_property (object_class, PROP_VSCROLL_POLICY, "vscroll-policy");

  /**
   * AttnAttentionView::head-activated:
   * @self: a view of heads (activates_heads)
   * @layer: the layer of the chosen head
   * @head: the chosen head
   *
   * Emitted after a head was chosen and selected in the document.
   */
  signals [HEAD_ACTIVATED] =
    g_signal_new ("head-activated", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL, G_TYPE_NONE, 2, G_TYPE_UINT, G_TYPE_UINT);

  gtk_widget_class_set_accessible_role (widget_class, GTK_ACCESSIBLE_ROLE_IMG);
}

static void
attn_attention_view_init (AttnAttentionView *self)
{
  AttnAttentionViewPrivate *priv = attn_attention_view_get_instance_private (self);
  AdwStyleManager *style_manager = adw_style_manager_get_default ();
  GtkEventController *controller;
  GtkGesture *click;

  priv->hover_a = priv->hover_b = -1;
  priv->colormap = ATTN_COLORMAP_VIRIDIS;
  priv->scale = ATTN_SCALE_LINEAR;
  priv->cache = attn_render_cache_new ();
  set_adjustment (self, &priv->hadjustment, NULL);
  set_adjustment (self, &priv->vadjustment, NULL);

  priv->document_signals = g_signal_group_new (ATTN_TYPE_DOCUMENT);
  g_signal_group_connect_swapped (priv->document_signals, "notify::view-result",
                                  G_CALLBACK (document_result_changed_cb), self);
  g_signal_group_connect_swapped (priv->document_signals, "notify::layer",
                                  G_CALLBACK (document_selection_changed_cb), self);
  g_signal_group_connect_swapped (priv->document_signals, "notify::head",
                                  G_CALLBACK (document_selection_changed_cb), self);
  g_signal_group_connect_swapped (priv->document_signals, "notify::query",
                                  G_CALLBACK (document_query_changed_cb), self);
  g_signal_group_connect_swapped (priv->document_signals, "notify::key",
                                  G_CALLBACK (document_query_changed_cb), self);

  g_signal_connect_object (style_manager, "notify::dark",
                           G_CALLBACK (style_manager_dark_changed_cb), self,
                           G_CONNECT_SWAPPED);
  style_manager_dark_changed_cb (self, NULL, style_manager);

  controller = gtk_event_controller_motion_new ();
  g_signal_connect_swapped (controller, "motion", G_CALLBACK (motion_cb), self);
  g_signal_connect_swapped (controller, "leave", G_CALLBACK (leave_cb), self);
  gtk_widget_add_controller (GTK_WIDGET (self), controller);

  click = gtk_gesture_click_new ();
  g_signal_connect_swapped (click, "pressed", G_CALLBACK (pressed_cb), self);
  gtk_widget_add_controller (GTK_WIDGET (self), GTK_EVENT_CONTROLLER (click));

  g_signal_connect (self, "query-tooltip", G_CALLBACK (query_tooltip_cb), NULL);

  gtk_widget_set_focusable (GTK_WIDGET (self), TRUE);
  gtk_widget_set_has_tooltip (GTK_WIDGET (self), TRUE);
  update_description (self);
}

AttnDocument *
attn_attention_view_get_document (AttnAttentionView *self)
{
  AttnAttentionViewPrivate *priv = attn_attention_view_get_instance_private (self);

  g_return_val_if_fail (ATTN_IS_ATTENTION_VIEW (self), NULL);
  return priv->document;
}

void
attn_attention_view_set_document (AttnAttentionView *self,
                                  AttnDocument      *document)
{
  AttnAttentionViewPrivate *priv = attn_attention_view_get_instance_private (self);

  g_return_if_fail (ATTN_IS_ATTENTION_VIEW (self));
  g_return_if_fail (!document || ATTN_IS_DOCUMENT (document));

  if (!g_set_object (&priv->document, document))
    return;

  g_signal_group_set_target (priv->document_signals, document);
  _attn_attention_view_content_changed (self);
  g_object_notify_by_pspec (G_OBJECT (self), properties [PROP_DOCUMENT]);
}

AttnColormap
attn_attention_view_get_colormap (AttnAttentionView *self)
{
  AttnAttentionViewPrivate *priv = attn_attention_view_get_instance_private (self);

  g_return_val_if_fail (ATTN_IS_ATTENTION_VIEW (self), ATTN_COLORMAP_VIRIDIS);
  return priv->colormap;
}

void
attn_attention_view_set_colormap (AttnAttentionView *self,
                                  AttnColormap       colormap)
{
  AttnAttentionViewPrivate *priv = attn_attention_view_get_instance_private (self);

  g_return_if_fail (ATTN_IS_ATTENTION_VIEW (self));
  g_return_if_fail (colormap < ATTN_COLORMAP_COUNT);

  if (priv->colormap == colormap)
    return;

  priv->colormap = colormap;
  gtk_widget_queue_draw (GTK_WIDGET (self));
  g_object_notify_by_pspec (G_OBJECT (self), properties [PROP_COLORMAP]);
}

AttnScale
attn_attention_view_get_scale (AttnAttentionView *self)
{
  AttnAttentionViewPrivate *priv = attn_attention_view_get_instance_private (self);

  g_return_val_if_fail (ATTN_IS_ATTENTION_VIEW (self), ATTN_SCALE_LINEAR);
  return priv->scale;
}

void
attn_attention_view_set_scale (AttnAttentionView *self,
                               AttnScale          scale)
{
  AttnAttentionViewPrivate *priv = attn_attention_view_get_instance_private (self);

  g_return_if_fail (ATTN_IS_ATTENTION_VIEW (self));

  if (priv->scale == scale)
    return;

  priv->scale = scale;
  gtk_widget_queue_draw (GTK_WIDGET (self));
  g_object_notify_by_pspec (G_OBJECT (self), properties [PROP_SCALE]);
}

const AttnDisplay *
attn_attention_view_get_display (AttnAttentionView *self)
{
  AttnAttentionViewPrivate *priv = attn_attention_view_get_instance_private (self);

  g_return_val_if_fail (ATTN_IS_ATTENTION_VIEW (self), NULL);
  return &priv->display;
}

void
attn_attention_view_set_display (AttnAttentionView *self,
                                 const AttnDisplay *display)
{
  AttnAttentionViewPrivate *priv = attn_attention_view_get_instance_private (self);

  g_return_if_fail (ATTN_IS_ATTENTION_VIEW (self));

  if (display == NULL)
    attn_display_init (&priv->display);
  else
    priv->display = *display;
  _attn_attention_view_redraw (self);
}

AttnResult *
_attn_attention_view_get_result (AttnAttentionView *self)
{
  AttnAttentionViewPrivate *priv = attn_attention_view_get_instance_private (self);
  AttnResult *result;

  if (priv->document == NULL)
    return NULL;

  result = attn_document_get_view_result (priv->document);
  if (result == NULL || !attn_result_has_trace (result)
      || attn_result_get_n_tokens (result) == 0)
    return NULL;

  return result;
}

const AttnTheme *
_attn_attention_view_get_theme (AttnAttentionView *self)
{
  AttnAttentionViewPrivate *priv = attn_attention_view_get_instance_private (self);

  return &priv->theme;
}

AttnRenderCache *
_attn_attention_view_get_cache (AttnAttentionView *self)
{
  AttnAttentionViewPrivate *priv = attn_attention_view_get_instance_private (self);

  return priv->cache;
}

void
_attn_attention_view_get_scroll (AttnAttentionView *self,
                                 double            *x,
                                 double            *y)
{
  AttnAttentionViewPrivate *priv = attn_attention_view_get_instance_private (self);

  *x = gtk_adjustment_get_value (priv->hadjustment);
  *y = gtk_adjustment_get_value (priv->vadjustment);
}

void
_attn_attention_view_get_hover (AttnAttentionView *self,
                                int               *a,
                                int               *b)
{
  AttnAttentionViewPrivate *priv = attn_attention_view_get_instance_private (self);

  *a = priv->hover_a;
  *b = priv->hover_b;
}

void
_attn_attention_view_set_hover (AttnAttentionView *self,
                                int                a,
                                int                b)
{
  AttnAttentionViewPrivate *priv = attn_attention_view_get_instance_private (self);

  if (priv->hover_a == a && priv->hover_b == b)
    return;

  priv->hover_a = a;
  priv->hover_b = b;
  gtk_widget_queue_draw (GTK_WIDGET (self));
}

gboolean
_attn_arrow_key_move (guint  keyval,
                      int   *row,
                      int   *column,
                      int    n_rows,
                      int    n_columns)
{
  switch (keyval)
    {
    case GDK_KEY_Up:
    case GDK_KEY_KP_Up:
      *row = MAX (*row - 1, 0);
      return TRUE;
    case GDK_KEY_Down:
    case GDK_KEY_KP_Down:
      *row = MIN (*row + 1, n_rows - 1);
      return TRUE;
    case GDK_KEY_Left:
    case GDK_KEY_KP_Left:
      *column = MAX (*column - 1, 0);
      return TRUE;
    case GDK_KEY_Right:
    case GDK_KEY_KP_Right:
      *column = MIN (*column + 1, n_columns - 1);
      return TRUE;
    default:
      return FALSE;
    }
}

guint
_attn_attention_view_get_n_draws (AttnAttentionView *self)
{
  AttnAttentionViewPrivate *priv = attn_attention_view_get_instance_private (self);

  g_return_val_if_fail (ATTN_IS_ATTENTION_VIEW (self), 0);
  return priv->n_draws;
}

static void
follow_document_cb (AttnAttentionView *self,
                    GParamSpec        *pspec,
                    GSignalGroup      *followers)
{
  g_signal_group_set_target (followers, attn_attention_view_get_document (self));
}

GSignalGroup *
_attn_attention_view_new_document_signals (AttnAttentionView *self)
{
  GSignalGroup *followers;

  g_return_val_if_fail (ATTN_IS_ATTENTION_VIEW (self), NULL);

  followers = g_signal_group_new (ATTN_TYPE_DOCUMENT);
  g_signal_group_set_target (followers, attn_attention_view_get_document (self));
  /* disconnected when the group goes, so the owner may drop it first */
  g_signal_connect_object (self, "notify::document", G_CALLBACK (follow_document_cb), followers, 0);
  return followers;
}

void
_attn_attention_view_select_cell (AttnAttentionView *self,
                                  gboolean           hit,
                                  int                query,
                                  int                key)
{
  AttnDocument *document = attn_attention_view_get_document (self);

  if (!hit)
    return;
  attn_document_set_query (document, query);
  attn_document_set_key (document, key);
}

char *
_attn_masked_cell_tooltip (const char *from,
                           const char *to)
{
  /* Translators: tooltip of a masked heatmap cell: query → future key */
  return g_strdup_printf (_("\"%s\" → \"%s\": masked (a later token)"), from, to);
}

void
_attn_select_query (AttnDocument *document,
                    int           query)
{
  g_return_if_fail (ATTN_IS_DOCUMENT (document));

  attn_document_set_view_query (document, query);
  /* a causal model's query cannot pin a later key; an encoder's can */
  if (query >= 0 && attn_document_get_view_key (document) > query
      && !(attn_document_get_result (document) && attn_result_is_bidirectional (attn_document_get_result (document))))
    attn_document_set_view_key (document, query);
}

char *
_attn_token_display_name (AttnResult *result,
                          guint       index)
{
  g_autofree char *text = g_strdup (attn_result_get_token_text (result, index));

  g_strstrip (text);
  if (text[0] == '\0')
    {
      g_free (text);
      text = attn_render_dup_token_label (attn_result_get_token_text (result, index));
    }

  return g_steal_pointer (&text);
}

typedef struct
{
  float weight;
  guint query;
  guint key;
} Link;

char *
_attn_describe_strongest_links (AttnResult  *result,
                                const float *weights,
                                int          query,
                                guint        n)
{
  guint T = attn_result_get_n_tokens (result);
  g_autofree Link *top = g_new0 (Link, n);
  g_autoptr(GString) string = g_string_new (NULL);
  guint n_top = 0;
  guint first_row = query >= 0 ? (guint) query : MIN (1, T - 1);
  guint last_row = query >= 0 ? (guint) query : T - 1;

  if (weights == NULL || T == 0 || n == 0)
    return NULL;

  /* Row 0 can only look at itself; without a query it says nothing. */
  for (guint q = first_row; q <= last_row && q < T; q++)
    for (guint k = 0; k < attn_result_get_n_keys_seen (result, q); k++)
      {
        float w = weights[(gsize) q * T + k];
        guint i;

        if (n_top == n && w <= top[n_top - 1].weight)
          continue;

        i = MIN (n_top, n - 1);
        while (i > 0 && top[i - 1].weight < w)
          {
            top[i] = top[i - 1];
            i--;
          }
        top[i] = (Link) { w, q, k };
        n_top = MIN (n_top + 1, n);
      }

  g_string_append (string, _("Strongest links:"));
  for (guint i = 0; i < n_top; i++)
    {
      g_autofree char *from = _attn_token_display_name (result, top[i].query);
      g_autofree char *to = _attn_token_display_name (result, top[i].key);

      g_string_append_c (string, ' ');
      /* Translators: one link in a list, e.g. "it" → "trophy" 0.41; */
      g_string_append_printf (string, _("“%s” → “%s” %.2f;"), from, to, top[i].weight);
    }

  return g_string_free (g_steal_pointer (&string), FALSE);
}

void
attn_attention_view_activate_head (AttnAttentionView *self,
                                   guint              layer,
                                   guint              head)
{
  AttnAttentionViewPrivate *priv = attn_attention_view_get_instance_private (self);

  g_return_if_fail (ATTN_IS_ATTENTION_VIEW (self));

  if (priv->document == NULL)
    return;

  attn_document_set_layer (priv->document, layer);
  attn_document_set_head (priv->document, head);
  g_signal_emit (self, signals [HEAD_ACTIVATED], 0, layer, head);
}
