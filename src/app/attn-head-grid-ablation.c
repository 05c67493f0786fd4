/* attn-head-grid-ablation.c
 *
 * Copyright 2026 The Attention authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "attn-head-grid"

#include "config.h"

#include <glib/gi18n.h>

#include "attn-ablation.h"
#include "attn-head-grid-ablation.h"

typedef struct
{
  AttnHeadGrid       *grid;        /* unowned: this lives in its data */
  GtkWidget          *menu;        /* the context menu, parented to the grid */
  GSimpleActionGroup *actions;
  GSignalGroup       *document_signals;
} Ablation;

#define ABLATION_KEY "attn-head-grid-ablation"

static Ablation *
ablation_of (AttnHeadGrid *grid)
{
  return g_object_get_data (G_OBJECT (grid), ABLATION_KEY);
}

static AttnAblationKind
chosen_kind (Ablation *self)
{
  GAction *action = g_action_map_lookup_action (G_ACTION_MAP (self->actions), "kind");
  g_autoptr(GVariant) state = g_action_get_state (action);

  return g_strcmp0 (g_variant_get_string (state, NULL), "mean") == 0 ? ATTN_ABLATION_MEAN : ATTN_ABLATION_ZERO;
}

static void
toggle_activated (GSimpleAction *action,
                  GVariant      *parameter,
                  gpointer       user_data)
{
  Ablation *self = user_data;
  AttnDocument *document = attn_attention_view_get_document (ATTN_ATTENTION_VIEW (self->grid));
  guint layer, head;

  if (document == NULL)
    return;
  g_variant_get (parameter, "(uu)", &layer, &head);
  attn_document_toggle_head (document, layer, head, chosen_kind (self));
}

/* A new kind applies at once to the heads already off. */
static void
kind_change_state (GSimpleAction *action,
                   GVariant      *value,
                   gpointer       user_data)
{
  Ablation *self = user_data;
  AttnDocument *document = attn_attention_view_get_document (ATTN_ATTENTION_VIEW (self->grid));
  const char *name = g_variant_get_string (value, NULL);

  if (g_strcmp0 (name, "zero") != 0 && g_strcmp0 (name, "mean") != 0)
    return;
  g_simple_action_set_state (action, value);
  if (document != NULL)
    attn_document_set_ablation_kind (document, g_str_equal (name, "mean") ? ATTN_ABLATION_MEAN
                                                                         : ATTN_ABLATION_ZERO);
}

static void
restore_activated (GSimpleAction *action,
                   GVariant      *parameter,
                   gpointer       user_data)
{
  Ablation *self = user_data;
  AttnDocument *document = attn_attention_view_get_document (ATTN_ATTENTION_VIEW (self->grid));

  if (document != NULL)
    attn_document_set_ablation (document, NULL);
}

/* The chooser shows the kind of the heads off, however they were switched
 * off (the Predict view's list too). */
static void
ablation_changed_cb (Ablation *self)
{
  AttnDocument *document = attn_attention_view_get_document (ATTN_ATTENTION_VIEW (self->grid));
  GAction *restore = g_action_map_lookup_action (G_ACTION_MAP (self->actions), "restore");
  AttnAblationKind kind;
  gboolean off = document != NULL && attn_document_get_ablation_kind (document, &kind);

  g_simple_action_set_enabled (G_SIMPLE_ACTION (restore), off);
  if (off)
    g_simple_action_set_state (G_SIMPLE_ACTION (g_action_map_lookup_action (G_ACTION_MAP (self->actions), "kind")),
                               g_variant_new_string (attn_ablation_kind_to_string (kind)));
}

static gboolean
head_is_off (Ablation *self,
             guint     layer,
             guint     head)
{
  AttnResult *result = _attn_attention_view_get_result (ATTN_ATTENTION_VIEW (self->grid));

  return result != NULL && attn_result_head_is_off (result, layer, head, NULL);
}

static void
popup_menu (Ablation *self,
            int       layer,
            int       head,
            double    x,
            double    y)
{
  g_autoptr(GMenu) menu = g_menu_new ();
  g_autoptr(GMenu) head_section = g_menu_new ();
  g_autoptr(GMenu) kinds = g_menu_new ();
  g_autoptr(GMenu) all = g_menu_new ();
  g_autoptr(GMenuItem) item = NULL;
  g_autofree char *label = NULL;

  if (layer >= 0 && head >= 0)
    {
      label = head_is_off (self, layer, head)
        /* Translators: context menu of a head in the all-heads grid; %u.%u is layer.head */
        ? g_strdup_printf (_("Switch Head %u.%u Back On"), layer, head)
        /* Translators: context menu of a head in the all-heads grid; %u.%u is layer.head */
        : g_strdup_printf (_("Switch Head %u.%u Off"), layer, head);
      item = g_menu_item_new (label, NULL);
      g_menu_item_set_action_and_target_value (item, "ablation.toggle",
                                               g_variant_new ("(uu)", (guint) layer, (guint) head));
      g_menu_append_item (head_section, item);
      g_menu_append_section (menu, NULL, G_MENU_MODEL (head_section));
    }
  g_menu_append (kinds, _("Zero Ablation: Output 0"), "ablation.kind::zero");
  g_menu_append (kinds, _("Mean Ablation: Output Averaged over the Text"), "ablation.kind::mean");
  g_menu_append_section (menu, NULL, G_MENU_MODEL (kinds));
  g_menu_append (all, _("Switch Every Head Back On"), "ablation.restore");
  g_menu_append_section (menu, NULL, G_MENU_MODEL (all));

  gtk_popover_menu_set_menu_model (GTK_POPOVER_MENU (self->menu), G_MENU_MODEL (menu));
  gtk_popover_set_pointing_to (GTK_POPOVER (self->menu), &(GdkRectangle) { (int) x, (int) y, 1, 1 });
  gtk_popover_popup (GTK_POPOVER (self->menu));
}

/* Captured before the grid's own click, which would open the head: a
 * right click opens the menu, Ctrl+click switches the head off or on. */
static void
pressed_cb (Ablation        *self,
            int              n_press,
            double           x,
            double           y,
            GtkGestureClick *gesture)
{
  AttnAttentionView *view = ATTN_ATTENTION_VIEW (self->grid);
  guint button = gtk_gesture_single_get_current_button (GTK_GESTURE_SINGLE (gesture));
  GdkModifierType state = gtk_event_controller_get_current_event_state (GTK_EVENT_CONTROLLER (gesture));
  int layer = -1, head = -1;
  gboolean hit;

  if (_attn_attention_view_get_result (view) == NULL)
    return;
  if (button != GDK_BUTTON_SECONDARY && !(button == GDK_BUTTON_PRIMARY && (state & GDK_CONTROL_MASK)))
    return;

  hit = ATTN_ATTENTION_VIEW_GET_CLASS (view)->hit_test (view, x, y, &layer, &head);
  gtk_gesture_set_state (GTK_GESTURE (gesture), GTK_EVENT_SEQUENCE_CLAIMED);
  if (button == GDK_BUTTON_SECONDARY)
    popup_menu (self, hit ? layer : -1, hit ? head : -1, x, y);
  else if (hit)
    g_action_group_activate_action (G_ACTION_GROUP (self->actions), "toggle",
                                    g_variant_new ("(uu)", (guint) layer, (guint) head));
}

/* The keyboard cursor's head (arrows move it), else the selected one. */
static void
cursor_head (Ablation *self,
             int      *layer,
             int      *head)
{
  AttnAttentionView *view = ATTN_ATTENTION_VIEW (self->grid);
  AttnDocument *document = attn_attention_view_get_document (view);

  _attn_attention_view_get_hover (view, layer, head);
  if ((*layer < 0 || *head < 0) && document != NULL)
    {
      *layer = (int) attn_document_get_layer (document);
      *head = (int) attn_document_get_head (document);
    }
}

static gboolean
key_pressed_cb (Ablation              *self,
                guint                  keyval,
                guint                  keycode,
                GdkModifierType        state,
                GtkEventControllerKey *controller)
{
  int layer, head;

  if (_attn_attention_view_get_result (ATTN_ATTENTION_VIEW (self->grid)) == NULL)
    return FALSE;
  state &= GDK_CONTROL_MASK | GDK_SHIFT_MASK | GDK_ALT_MASK;
  cursor_head (self, &layer, &head);
  if ((keyval == GDK_KEY_x || keyval == GDK_KEY_X) && (state & (GDK_CONTROL_MASK | GDK_ALT_MASK)) == 0)
    {
      g_action_group_activate_action (G_ACTION_GROUP (self->actions), "toggle",
                                      g_variant_new ("(uu)", (guint) layer, (guint) head));
      return TRUE;
    }
  if (keyval == GDK_KEY_Menu || (keyval == GDK_KEY_F10 && state == GDK_SHIFT_MASK))
    {
      popup_menu (self, layer, head,
                  gtk_widget_get_width (GTK_WIDGET (self->grid)) / 2.0,
                  gtk_widget_get_height (GTK_WIDGET (self->grid)) / 2.0);
      return TRUE;
    }
  return FALSE;
}

static void
ablation_free (gpointer data)
{
  Ablation *self = data;

  g_clear_object (&self->document_signals);
  g_clear_object (&self->actions);
  g_free (self);
}

void
_attn_head_grid_ablation_init (AttnHeadGrid *grid)
{
  Ablation *self = g_new0 (Ablation, 1);
  const GActionEntry entries[] = {
    { "toggle", toggle_activated, "(uu)", NULL, NULL, { 0 } },
    { "kind", NULL, "s", "'zero'", kind_change_state, { 0 } },
    { "restore", restore_activated, NULL, NULL, NULL, { 0 } },
  };
  GtkGesture *click;
  GtkEventController *keys;

  self->grid = grid;
  g_object_set_data_full (G_OBJECT (grid), ABLATION_KEY, self, ablation_free);

  self->actions = g_simple_action_group_new ();
  g_action_map_add_action_entries (G_ACTION_MAP (self->actions), entries, G_N_ELEMENTS (entries), self);
  gtk_widget_insert_action_group (GTK_WIDGET (grid), "ablation", G_ACTION_GROUP (self->actions));

  self->menu = gtk_popover_menu_new_from_model (NULL);
  gtk_popover_set_has_arrow (GTK_POPOVER (self->menu), FALSE);
  gtk_widget_set_halign (self->menu, GTK_ALIGN_START);
  gtk_widget_set_parent (self->menu, GTK_WIDGET (grid));

  self->document_signals = _attn_attention_view_new_document_signals (ATTN_ATTENTION_VIEW (grid));
  g_signal_group_connect_swapped (self->document_signals, "ablation-changed",
                                  G_CALLBACK (ablation_changed_cb), self);
  g_signal_connect_swapped (grid, "notify::document", G_CALLBACK (ablation_changed_cb), self);
  ablation_changed_cb (self);

  click = gtk_gesture_click_new ();
  gtk_gesture_single_set_button (GTK_GESTURE_SINGLE (click), 0);
  gtk_event_controller_set_propagation_phase (GTK_EVENT_CONTROLLER (click), GTK_PHASE_CAPTURE);
  g_signal_connect_swapped (click, "pressed", G_CALLBACK (pressed_cb), self);
  gtk_widget_add_controller (GTK_WIDGET (grid), GTK_EVENT_CONTROLLER (click));

  keys = gtk_event_controller_key_new ();
  g_signal_connect_swapped (keys, "key-pressed", G_CALLBACK (key_pressed_cb), self);
  gtk_widget_add_controller (GTK_WIDGET (grid), keys);
}

void
_attn_head_grid_ablation_dispose (AttnHeadGrid *grid)
{
  Ablation *self = ablation_of (grid);

  if (self != NULL)
    g_clear_pointer (&self->menu, gtk_widget_unparent);
}

void
_attn_head_grid_ablation_allocate (AttnHeadGrid *grid)
{
  Ablation *self = ablation_of (grid);

  if (self != NULL && self->menu != NULL)
    gtk_popover_present (GTK_POPOVER (self->menu));
}
