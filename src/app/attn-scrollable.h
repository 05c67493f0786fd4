/* attn-scrollable.h
 *
 * Copyright 2026 The Attention authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The adjustments of a widget that scrolls itself (GtkScrollable): the
 * attention views and the token strip keep theirs alike.
 */
#pragma once

#include <gtk/gtk.h>

G_BEGIN_DECLS

/* Keeps @adjustment (a new one for NULL) in @slot for @owner: the old
 * one's @value_changed (swapped, with @owner) disconnected, the new one's
 * connected, @owner's allocation queued. */
void _attn_scrollable_set_adjustment   (GtkWidget      *owner,
                                        GtkAdjustment **slot,
                                        GtkAdjustment  *adjustment,
                                        GCallback       value_changed);

/* For finalize: disconnects @value_changed and drops the adjustment. */
void _attn_scrollable_clear_adjustment (GtkWidget      *owner,
                                        GtkAdjustment **slot,
                                        GCallback       value_changed);

/* Bounds for @content in a @viewport of that extent, the value clamped to
 * them; arrows step by @step (0: a tenth of the viewport). */
void _attn_scrollable_configure        (GtkAdjustment  *adjustment,
                                        double          content,
                                        double          viewport,
                                        double          step);

G_END_DECLS
