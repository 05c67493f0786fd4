/* attn-focus-keys.h
 *
 * Copyright 2026 The Attention authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Whether the focused widget uses a key itself, so that a window-wide
 * shortcut on the same key (the plain arrows that step the query) leaves
 * it alone.
 */
#pragma once

#include <gtk/gtk.h>

G_BEGIN_DECLS

/* TRUE when @focus, or a widget it is part of below @root, would use
 * @keyval (without modifiers) itself: text takes every key, the other
 * widgets that use arrows take arrows. */
gboolean attn_focus_uses_key (GtkWidget *focus,
                              GtkWidget *root,
                              guint      keyval);

/* Typing in @dropdown's open list goes to its search field (GTK 4.8 puts
 * the focus on the list, where letters do nothing), and Enter there picks
 * the first item that matches.  For a dropdown with enable-search. */
void     attn_drop_down_type_to_search (GtkDropDown *dropdown);

/* The first descendant of @widget of @type, depth first (@widget itself
 * first), or NULL: a composite widget's own parts, and for tests. */
GtkWidget *_attn_widget_find_descendant (GtkWidget *widget,
                                         GType      type);

G_END_DECLS
