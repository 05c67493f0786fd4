/* attn-window-fold.c
 *
 * Copyright 2026 The Attention authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * In a short window the panels above the views (the editor, the token
 * strip, the legends) scroll, so the maps keep half the height
 * (attn-fit-box.c).  Two of those panels scroll themselves, and would
 * otherwise keep the keyboard and the wheel from reaching the rest:
 *  - the focus brings a panel into view, up to the editor as down to the
 *    strip (GTK 4.8's viewport scrolled down to the strip but not back up
 *    to the editor: test-learner);
 *  - a wheel or touchpad scroll over the editor or the strip scrolls the
 *    panels once the editor or the strip has nothing more to scroll that
 *    way (GTK 4.8 does not pass it on).
 */
#include "config.h"

#include <math.h>

#include "attn-window-private.h"

/* The panels' own box, whose coordinates do not move with the scroll. */
static GtkWidget *
panels_box (AttnWindow *self)
{
  GtkWidget *viewport = gtk_scrolled_window_get_child (self->panels_scroller);

  return GTK_IS_VIEWPORT (viewport) ? gtk_viewport_get_child (GTK_VIEWPORT (viewport)) : NULL;
}

/* The panel's place is taken in the panels' own coordinates: an
 * allocation may not have caught up with the last scroll yet. */
static void
focus_widget_cb (AttnWindow *self)
{
  GtkWidget *focus = gtk_root_get_focus (GTK_ROOT (self));
  GtkWidget *panels = panels_box (self);
  GtkAdjustment *adjustment = gtk_scrolled_window_get_vadjustment (self->panels_scroller);
  graphene_rect_t bounds;
  double value, page, top, bottom;

  if (focus == NULL || panels == NULL || !gtk_widget_is_ancestor (focus, panels)
      || !gtk_widget_compute_bounds (focus, panels, &bounds))
    return;
  value = gtk_adjustment_get_value (adjustment);
  page = gtk_adjustment_get_page_size (adjustment);
  top = bounds.origin.y;
  bottom = top + bounds.size.height;
  /* The top of a panel taller than the view (the strip's first line). */
  if (top < value)
    gtk_adjustment_set_value (adjustment, top);
  else if (bottom > value + page)
    gtk_adjustment_set_value (adjustment, MIN (top, bottom - page));
}

gboolean
_attn_window_fold_scroll (AttnWindow    *self,
                          double         x,
                          double         y,
                          double         dy,
                          GdkScrollUnit  unit)
{
  GtkWidget *scroller = GTK_WIDGET (self->panels_scroller);
  GtkAdjustment *panels = gtk_scrolled_window_get_vadjustment (self->panels_scroller);
  GtkWidget *inner = NULL;
  double value, page, step;

  if (dy == 0)
    return FALSE;
  for (GtkWidget *w = gtk_widget_pick (scroller, x, y, GTK_PICK_DEFAULT);
       w != NULL && w != scroller && inner == NULL;
       w = gtk_widget_get_parent (w))
    if (GTK_IS_SCROLLED_WINDOW (w))
      inner = w;
  if (inner == NULL)
    return FALSE;   /* the panels scroll themselves */

  /* The editor or the strip scrolls while it can. */
  {
    GtkAdjustment *own = gtk_scrolled_window_get_vadjustment (GTK_SCROLLED_WINDOW (inner));
    double own_value = gtk_adjustment_get_value (own);

    if (dy > 0 ? own_value < gtk_adjustment_get_upper (own) - gtk_adjustment_get_page_size (own) - 0.5
               : own_value > gtk_adjustment_get_lower (own) + 0.5)
      return FALSE;
  }

  value = gtk_adjustment_get_value (panels);
  page = gtk_adjustment_get_page_size (panels);
  if (gtk_adjustment_get_upper (panels) - gtk_adjustment_get_lower (panels) <= page)
    return FALSE;   /* nothing folded */
  /* A wheel's notch as GtkScrolledWindow steps it; a touchpad's pixels. */
  step = unit == GDK_SCROLL_UNIT_WHEEL ? pow (page, 2.0 / 3.0) : 1.0;
  gtk_adjustment_set_value (panels, value + dy * step);
  return TRUE;
}

/* Where the pointer is over the panels (a scroll event's own position is
 * not given in GTK 4.8's X11 backend). */
typedef struct
{
  AttnWindow *window;
  double      x, y;
} Pointer;

static void
motion_cb (GtkEventControllerMotion *motion,
           double                    x,
           double                    y,
           Pointer                  *pointer)
{
  pointer->x = x;
  pointer->y = y;
}

static gboolean
scroll_cb (GtkEventControllerScroll *controller,
           double                    dx,
           double                    dy,
           Pointer                  *pointer)
{
  return _attn_window_fold_scroll (pointer->window, pointer->x, pointer->y, dy,
                                   gtk_event_controller_scroll_get_unit (controller));
}

void
_attn_window_fold_init (AttnWindow *self)
{
  GtkEventController *scroll, *motion;
  Pointer *pointer = g_new0 (Pointer, 1);

  g_signal_connect (self, "notify::focus-widget", G_CALLBACK (focus_widget_cb), NULL);

  pointer->window = self;
  motion = gtk_event_controller_motion_new ();
  gtk_event_controller_set_propagation_phase (motion, GTK_PHASE_CAPTURE);
  g_signal_connect (motion, "enter", G_CALLBACK (motion_cb), pointer);
  g_signal_connect (motion, "motion", G_CALLBACK (motion_cb), pointer);
  g_object_set_data_full (G_OBJECT (motion), "attn-pointer", pointer, g_free);
  gtk_widget_add_controller (GTK_WIDGET (self->panels_scroller), motion);

  /* Capture: before the editor's or the strip's own scrolled window
   * takes the event. */
  scroll = gtk_event_controller_scroll_new (GTK_EVENT_CONTROLLER_SCROLL_VERTICAL);
  gtk_event_controller_set_propagation_phase (scroll, GTK_PHASE_CAPTURE);
  g_signal_connect (scroll, "scroll", G_CALLBACK (scroll_cb), pointer);
  gtk_widget_add_controller (GTK_WIDGET (self->panels_scroller), scroll);
}
