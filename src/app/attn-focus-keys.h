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

G_END_DECLS
