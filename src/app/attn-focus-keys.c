/* attn-focus-keys.c
 *
 * Copyright 2026 The Attention authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Whether the focused widget uses a key itself, decided from what GTK
 * knows of the widgets rather than from a list of types that grows with
 * every widget the window gets.  Text (editables, text views) takes every
 * plain key; the arrows are also kept by
 *
 * - a widget that reads keys itself (a key controller on the focus
 *   widget: the views' cursors, the token strip) gets them;
 * - a key binding for the key on the focus widget or a widget it is part
 *   of (GTK's ranges, list views, spin buttons, selectable labels, our
 *   own classes' bindings) wins;
 * - the widgets that WAI-ARIA calls composite, whose arrows move within
 *   them (combo boxes, lists, menus, tab lists, toolbars, radio groups,
 *   sliders, spin buttons), keep their arrows;
 * - and arrows move the focus along a row of buttons (view switchers,
 *   linked buttons, a header bar's buttons), as in a WAI-ARIA toolbar: a
 *   button with a focusable sibling keeps them for GTK's arrow navigation.
 *
 * And where typed keys go in a searchable dropdown's list.
 */

#define G_LOG_DOMAIN "attn-focus-keys"

#include "config.h"

#include <string.h>

#include "attn-focus-keys.h"

static gboolean
is_arrow (guint keyval)
{
  switch (keyval)
    {
    case GDK_KEY_Left:
    case GDK_KEY_Right:
    case GDK_KEY_Up:
    case GDK_KEY_Down:
    case GDK_KEY_KP_Left:
    case GDK_KEY_KP_Right:
    case GDK_KEY_KP_Up:
    case GDK_KEY_KP_Down:
      return TRUE;
    default:
      return FALSE;
    }
}

static gboolean
trigger_has_key (GtkShortcutTrigger *trigger,
                 guint               keyval)
{
  if (GTK_IS_KEYVAL_TRIGGER (trigger))
    return gtk_keyval_trigger_get_keyval (GTK_KEYVAL_TRIGGER (trigger)) == keyval
           && gtk_keyval_trigger_get_modifiers (GTK_KEYVAL_TRIGGER (trigger)) == 0;
  if (GTK_IS_ALTERNATIVE_TRIGGER (trigger))
    return trigger_has_key (gtk_alternative_trigger_get_first (GTK_ALTERNATIVE_TRIGGER (trigger)), keyval)
           || trigger_has_key (gtk_alternative_trigger_get_second (GTK_ALTERNATIVE_TRIGGER (trigger)), keyval);
  return FALSE;
}

/* A key controller (only on the focus widget itself: one on a container
 * says nothing about arrows), or a local shortcut for @keyval, the class
 * key bindings included. */
static gboolean
controllers_take (GtkWidget *widget,
                  guint      keyval,
                  gboolean   is_focus)
{
  g_autoptr(GListModel) controllers = gtk_widget_observe_controllers (widget);
  guint n = g_list_model_get_n_items (controllers);

  for (guint i = 0; i < n; i++)
    {
      g_autoptr(GtkEventController) controller = g_list_model_get_item (controllers, i);

      if (gtk_event_controller_get_propagation_phase (controller) == GTK_PHASE_NONE)
        continue;
      if (is_focus && GTK_IS_EVENT_CONTROLLER_KEY (controller))
        return TRUE;
      if (GTK_IS_SHORTCUT_CONTROLLER (controller)
          && gtk_shortcut_controller_get_scope (GTK_SHORTCUT_CONTROLLER (controller)) == GTK_SHORTCUT_SCOPE_LOCAL)
        {
          guint n_shortcuts = g_list_model_get_n_items (G_LIST_MODEL (controller));

          for (guint j = 0; j < n_shortcuts; j++)
            {
              g_autoptr(GtkShortcut) shortcut = g_list_model_get_item (G_LIST_MODEL (controller), j);

              if (trigger_has_key (gtk_shortcut_get_trigger (shortcut), keyval))
                return TRUE;
            }
        }
    }
  return FALSE;
}

/* WAI-ARIA's composite widgets: arrows move within them. */
static gboolean
is_composite (GtkWidget *widget)
{
  switch (gtk_accessible_get_accessible_role (GTK_ACCESSIBLE (widget)))
    {
    case GTK_ACCESSIBLE_ROLE_COMBO_BOX:
    case GTK_ACCESSIBLE_ROLE_GRID:
    case GTK_ACCESSIBLE_ROLE_LIST:
    case GTK_ACCESSIBLE_ROLE_LIST_BOX:
    case GTK_ACCESSIBLE_ROLE_MENU:
    case GTK_ACCESSIBLE_ROLE_MENU_BAR:
    case GTK_ACCESSIBLE_ROLE_RADIO_GROUP:
    case GTK_ACCESSIBLE_ROLE_SLIDER:
    case GTK_ACCESSIBLE_ROLE_SPIN_BUTTON:
    case GTK_ACCESSIBLE_ROLE_TAB_LIST:
    case GTK_ACCESSIBLE_ROLE_TOOLBAR:
    case GTK_ACCESSIBLE_ROLE_TREE:
    case GTK_ACCESSIBLE_ROLE_TREE_GRID:
      return TRUE;
    default:
      return FALSE;
    }
}

static gboolean
can_take_focus (GtkWidget *widget)
{
  if (!gtk_widget_get_visible (widget) || !gtk_widget_is_sensitive (widget)
      || !gtk_widget_get_can_focus (widget))
    return FALSE;
  if (gtk_widget_get_focusable (widget))
    return TRUE;
  for (GtkWidget *c = gtk_widget_get_first_child (widget); c != NULL; c = gtk_widget_get_next_sibling (c))
    if (can_take_focus (c))
      return TRUE;
  return FALSE;
}

/* @widget is a button (or the like) in a row of focusable siblings. */
static gboolean
in_a_row (GtkWidget *widget)
{
  GtkWidget *parent = gtk_widget_get_parent (widget);

  switch (gtk_accessible_get_accessible_role (GTK_ACCESSIBLE (widget)))
    {
    case GTK_ACCESSIBLE_ROLE_BUTTON:
    case GTK_ACCESSIBLE_ROLE_CHECKBOX:
    case GTK_ACCESSIBLE_ROLE_LINK:
    case GTK_ACCESSIBLE_ROLE_MENU_ITEM:
    case GTK_ACCESSIBLE_ROLE_MENU_ITEM_CHECKBOX:
    case GTK_ACCESSIBLE_ROLE_MENU_ITEM_RADIO:
    case GTK_ACCESSIBLE_ROLE_OPTION:
    case GTK_ACCESSIBLE_ROLE_RADIO:
    case GTK_ACCESSIBLE_ROLE_SWITCH:
    case GTK_ACCESSIBLE_ROLE_TAB:
      break;
    default:
      return FALSE;     /* a view, a label: no row of buttons */
    }

  if (parent == NULL)
    return FALSE;
  for (GtkWidget *c = gtk_widget_get_first_child (parent); c != NULL; c = gtk_widget_get_next_sibling (c))
    if (c != widget && can_take_focus (c))
      return TRUE;
  return FALSE;
}

gboolean
attn_focus_uses_key (GtkWidget *focus,
                     GtkWidget *root,
                     guint      keyval)
{
  g_return_val_if_fail (GTK_IS_WIDGET (focus), FALSE);

  for (GtkWidget *w = focus; w != NULL && w != root; w = gtk_widget_get_parent (w))
    {
      if (GTK_IS_EDITABLE (w) || GTK_IS_TEXT_VIEW (w))
        return TRUE;
      /* Other keys (Page Up, brackets, Escape) stay the window's: a
       * scrolled window's page keys or a view's unused keys would swallow
       * them. */
      if (is_arrow (keyval) && (controllers_take (w, keyval, w == focus) || is_composite (w)))
        return TRUE;
    }

  return is_arrow (keyval) && in_a_row (focus);
}

GtkWidget *
_attn_widget_find_descendant (GtkWidget *widget,
                              GType      type)
{
  if (g_type_is_a (G_OBJECT_TYPE (widget), type))
    return widget;
  for (GtkWidget *c = gtk_widget_get_first_child (widget); c != NULL; c = gtk_widget_get_next_sibling (c))
    {
      GtkWidget *found = _attn_widget_find_descendant (c, type);

      if (found != NULL)
        return found;
    }
  return NULL;
}

/* Enter in the search field picks the first item that matches (GTK 4.8's
 * field does nothing on Enter).  Matched here as the dropdown's filter
 * matches (case-folded substring of the item's string), without waiting
 * for the list, which is filtered a moment after typing. */
static void
search_activate_cb (GtkEditable *entry,
                    GtkDropDown *dropdown)
{
  GListModel *all = gtk_drop_down_get_model (dropdown);
  GtkExpression *expression = gtk_drop_down_get_expression (dropdown);
  g_autofree char *needle = g_utf8_casefold (gtk_editable_get_text (entry), -1);

  if (all == NULL || expression == NULL || *needle == '\0')
    return;

  for (guint i = 0; i < g_list_model_get_n_items (all); i++)
    {
      g_autoptr(GObject) item = g_list_model_get_item (all, i);
      g_auto(GValue) value = G_VALUE_INIT;
      g_autofree char *haystack = NULL;

      if (!gtk_expression_evaluate (expression, item, &value) || !G_VALUE_HOLDS_STRING (&value)
          || g_value_get_string (&value) == NULL)
        continue;
      haystack = g_utf8_casefold (g_value_get_string (&value), -1);
      if (strstr (haystack, needle) != NULL)
        {
          GtkWidget *popover = gtk_widget_get_ancestor (GTK_WIDGET (entry), GTK_TYPE_POPOVER);

          gtk_drop_down_set_selected (dropdown, i);
          if (popover != NULL)
            gtk_popover_popdown (GTK_POPOVER (popover));
          return;
        }
    }
}

/* What was typed in the list went to the field: the focus follows, so the
 * cursor shows there and Enter reaches it; Down goes back to the list. */
static void
search_changed_cb (GtkEditable *entry)
{
  GtkWidget *text = _attn_widget_find_descendant (GTK_WIDGET (entry), GTK_TYPE_TEXT);

  if (text != NULL && !gtk_widget_has_focus (text) && gtk_widget_get_mapped (text)
      && *gtk_editable_get_text (entry) != '\0')
    gtk_text_grab_focus_without_selecting (GTK_TEXT (text));
}

void
attn_drop_down_type_to_search (GtkDropDown *dropdown)
{
  GtkWidget *popover, *entry;

  g_return_if_fail (GTK_IS_DROP_DOWN (dropdown));

  /* The popover and its search entry are the dropdown's own children. */
  popover = _attn_widget_find_descendant (GTK_WIDGET (dropdown), GTK_TYPE_POPOVER);
  entry = popover != NULL ? _attn_widget_find_descendant (popover, GTK_TYPE_SEARCH_ENTRY) : NULL;
  if (entry == NULL)
    return;
  gtk_search_entry_set_key_capture_widget (GTK_SEARCH_ENTRY (entry), popover);
  g_signal_connect_object (entry, "activate", G_CALLBACK (search_activate_cb), dropdown, 0);
  g_signal_connect (entry, "changed", G_CALLBACK (search_changed_cb), NULL);
}
