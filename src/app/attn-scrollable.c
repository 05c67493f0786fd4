/* attn-scrollable.c
 *
 * Copyright 2026 The Attention authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "attn-scrollable"

#include "config.h"

#include "attn-scrollable.h"

void
_attn_scrollable_set_adjustment (GtkWidget      *owner,
                                 GtkAdjustment **slot,
                                 GtkAdjustment  *adjustment,
                                 GCallback       value_changed)
{
  if (adjustment == NULL)
    adjustment = gtk_adjustment_new (0, 0, 0, 0, 0, 0);
  if (*slot == adjustment)
    return;

  _attn_scrollable_clear_adjustment (owner, slot, value_changed);
  *slot = g_object_ref_sink (adjustment);
  g_signal_connect_swapped (adjustment, "value-changed", value_changed, owner);
  gtk_widget_queue_allocate (owner);
}

void
_attn_scrollable_clear_adjustment (GtkWidget      *owner,
                                   GtkAdjustment **slot,
                                   GCallback       value_changed)
{
  if (*slot != NULL)
    g_signal_handlers_disconnect_by_func (*slot, value_changed, owner);
  g_clear_object (slot);
}

void
_attn_scrollable_configure (GtkAdjustment *adjustment,
                            double         content,
                            double         viewport,
                            double         step)
{
  double upper = MAX (content, viewport);
  double value = CLAMP (gtk_adjustment_get_value (adjustment), 0, upper - viewport);

  gtk_adjustment_configure (adjustment, value, 0, upper,
                            step > 0 ? step : viewport * 0.1, viewport * 0.9, viewport);
}
