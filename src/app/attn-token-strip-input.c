/* attn-token-strip-input.c
 *
 * Copyright 2026 The Attention authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The token strip's input: hovering, clicking a token to make it the
 * query, the arrows, Home and End (Ctrl by word), and the context menu
 * that hides a token from the maps' colours.
 */

#define G_LOG_DOMAIN "attn-token-strip"

#include "config.h"

#include <glib/gi18n.h>

#include "attn-token-strip-private.h"

static void
set_hover (AttnTokenStrip *self,
           int             hover)
{
  if (self->hover == hover)
    return;
  self->hover = hover;
  gtk_widget_queue_draw (GTK_WIDGET (self));
}

static void
motion_cb (AttnTokenStrip *self,
           double          x,
           double          y)
{
  set_hover (self, _attn_token_strip_token_at (self, x, y));
}

static void
leave_cb (AttnTokenStrip *self)
{
  set_hover (self, -1);
}

void
_attn_token_strip_adjustment_changed (AttnTokenStrip *self)
{
  self->hover = -1;
  gtk_widget_queue_draw (GTK_WIDGET (self));
}

static void
pressed_cb (AttnTokenStrip  *self,
            int              n_press,
            double           x,
            double           y,
            GtkGestureClick *gesture)
{
  int index = _attn_token_strip_token_at (self, x, y);

  gtk_widget_grab_focus (GTK_WIDGET (self));
  if (index >= 0)
    attn_token_strip_activate (self, index);
}

/* The index of the next (@direction 1) or previous (-1) word start from
 * @from: a token that is no piece of the one before it. */
static int
word_start (AttnTokenStrip *self,
            int             from,
            int             direction)
{
  int n = (int) self->lines.n;
  int i = from + direction;

  for (; i > 0 && i < n; i += direction)
    if (!self->lines.pills[i].piece)
      return i;
  return CLAMP (i, 0, n - 1);
}

/* Arrows, Home and End move the query within the strip; Ctrl+arrows by
 * word.  Tab leaves the strip, which is one focus stop. */
static gboolean
key_pressed_cb (AttnTokenStrip        *self,
                guint                  keyval,
                guint                  keycode,
                GdkModifierType        state,
                GtkEventControllerKey *controller)
{
  int n = (int) self->lines.n;
  int from = self->cursor >= 0 ? self->cursor : 0;
  gboolean ctrl = (state & GDK_CONTROL_MASK) != 0;
  gboolean rtl = gtk_widget_get_direction (GTK_WIDGET (self)) == GTK_TEXT_DIR_RTL;
  int to;

  if (n == 0 || self->link.document == NULL || (state & (GDK_ALT_MASK | GDK_SHIFT_MASK)) != 0)
    return FALSE;

  switch (keyval)
    {
    case GDK_KEY_Left:
    case GDK_KEY_KP_Left:
    case GDK_KEY_Right:
    case GDK_KEY_KP_Right:
      {
        int direction = (keyval == GDK_KEY_Right || keyval == GDK_KEY_KP_Right) ? 1 : -1;

        if (rtl)
          direction = -direction;
        to = ctrl ? word_start (self, from, direction) : from + direction;
      }
      break;
    case GDK_KEY_Home:
    case GDK_KEY_KP_Home:
      to = 0;
      break;
    case GDK_KEY_End:
    case GDK_KEY_KP_End:
      to = n - 1;
      break;
    default:
      return FALSE;
    }

  attn_token_strip_activate (self, CLAMP (to, 0, n - 1));
  return TRUE;
}

static void
unparent_later_cb (gpointer data)
{
  GtkWidget *popover = data;

  if (gtk_widget_get_parent (popover) != NULL)
    gtk_widget_unparent (popover);
  g_object_unref (popover);
}

/* After the menu item has run: the popover goes with the idle. */
static void
popover_closed_cb (AttnTokenStrip *self,
                   GtkWidget      *popover)
{
  if (self->popover == popover)
    self->popover = NULL;
  g_idle_add_once (unparent_later_cb, g_object_ref (popover));
}

/* A right click on a token offers to hide it from the maps' colours (an
 * attention sink other than the first token). */
static void
context_pressed_cb (AttnTokenStrip  *self,
                    int              n_press,
                    double           x,
                    double           y,
                    GtkGestureClick *gesture)
{
  int index = _attn_token_strip_token_at (self, x, y);
  g_autoptr(GMenu) menu = NULL;
  g_autoptr(GMenuItem) item = NULL;
  graphene_rect_t rect;

  if (index < 0)
    return;

  menu = g_menu_new ();
  item = g_menu_item_new (_("_Hide or Show in the Maps"), NULL);
  g_menu_item_set_action_and_target_value (item, "win.hide-token", g_variant_new_int32 (index));
  g_menu_append_item (menu, item);
  g_menu_append (menu, _("Show _All Tokens Again"), "win.show-all-tokens");

  if (self->popover != NULL)
    gtk_popover_popdown (GTK_POPOVER (self->popover));
  self->popover = gtk_popover_menu_new_from_model (G_MENU_MODEL (menu));
  gtk_widget_set_parent (self->popover, GTK_WIDGET (self));
  _attn_token_strip_token_rect (self, index, &rect);
  gtk_popover_set_pointing_to (GTK_POPOVER (self->popover),
                               &(GdkRectangle) { rect.origin.x, rect.origin.y - _attn_token_strip_scroll_value (self),
                                                 rect.size.width, rect.size.height });
  gtk_popover_set_has_arrow (GTK_POPOVER (self->popover), TRUE);
  g_signal_connect_object (self->popover, "closed", G_CALLBACK (popover_closed_cb), self, G_CONNECT_SWAPPED);
  gtk_popover_popup (GTK_POPOVER (self->popover));
  gtk_gesture_set_state (GTK_GESTURE (gesture), GTK_EVENT_SEQUENCE_CLAIMED);
}

void
_attn_token_strip_init_input (AttnTokenStrip *self)
{
  GtkEventController *controller;
  GtkGesture *click;

  click = gtk_gesture_click_new ();
  gtk_gesture_single_set_button (GTK_GESTURE_SINGLE (click), GDK_BUTTON_PRIMARY);
  g_signal_connect_object (click, "pressed", G_CALLBACK (pressed_cb), self, G_CONNECT_SWAPPED);
  gtk_widget_add_controller (GTK_WIDGET (self), GTK_EVENT_CONTROLLER (click));

  click = gtk_gesture_click_new ();
  gtk_gesture_single_set_button (GTK_GESTURE_SINGLE (click), GDK_BUTTON_SECONDARY);
  g_signal_connect_object (click, "pressed", G_CALLBACK (context_pressed_cb), self, G_CONNECT_SWAPPED);
  gtk_widget_add_controller (GTK_WIDGET (self), GTK_EVENT_CONTROLLER (click));

  controller = gtk_event_controller_motion_new ();
  g_signal_connect_object (controller, "motion", G_CALLBACK (motion_cb), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (controller, "leave", G_CALLBACK (leave_cb), self, G_CONNECT_SWAPPED);
  gtk_widget_add_controller (GTK_WIDGET (self), controller);

  controller = gtk_event_controller_key_new ();
  g_signal_connect_object (controller, "key-pressed", G_CALLBACK (key_pressed_cb), self, G_CONNECT_SWAPPED);
  gtk_widget_add_controller (GTK_WIDGET (self), controller);
}
