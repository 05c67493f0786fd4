/* widget-pixels.h
 *
 * Copyright 2026 The Attention authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * A widget's pixels as it last drew them, for UI tests that check what is
 * on screen (ink under a token, a focus ring, an opaque pane, a filtered
 * view): rendered with the window's own renderer, downloaded in
 * gdk_texture_download ()'s format (CAIRO_FORMAT_ARGB32: premultiplied,
 * alpha the most significant byte of each native-endian word).
 */
#pragma once

#include <gtk/gtk.h>

#include "main-loop.h"

/* @widget drawn alone, over @background when it is not NULL, as
 * width × height × 4 bytes.  The widget's paintable shows what the widget
 * last drew, so this waits (up to two seconds) for a first frame.
 * (transfer full) */
static inline GBytes *
widget_dup_pixels (GtkWidget     *widget,
                   const GdkRGBA *background)
{
  g_autoptr(GdkPaintable) paintable = gtk_widget_paintable_new (widget);
  g_autoptr(GskRenderNode) node = NULL;
  g_autoptr(GdkTexture) texture = NULL;
  GskRenderer *renderer = gtk_native_get_renderer (gtk_widget_get_native (widget));
  int width = gtk_widget_get_width (widget), height = gtk_widget_get_height (widget);
  gsize size = (gsize) MAX (width, 1) * MAX (height, 1) * 4;
  guchar *pixels;

  g_assert_cmpint (width, >, 0);
  g_assert_cmpint (height, >, 0);
  for (int tries = 0; node == NULL && tries < 100; tries++)
    {
      g_autoptr(GtkSnapshot) snapshot = gtk_snapshot_new ();

      if (tries > 0)
        spin (20);
      if (background != NULL)
        gtk_snapshot_append_color (snapshot, background, &GRAPHENE_RECT_INIT (0, 0, width, height));
      gdk_paintable_snapshot (paintable, snapshot, width, height);
      node = gtk_snapshot_free_to_node (g_steal_pointer (&snapshot));
    }
  g_assert_nonnull (node);
  texture = gsk_renderer_render_texture (renderer, node, &GRAPHENE_RECT_INIT (0, 0, width, height));
  pixels = g_malloc (size);
  gdk_texture_download (texture, pixels, (gsize) width * 4);
  return g_bytes_new_take (pixels, size);
}
