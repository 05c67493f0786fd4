/* attn-fit-box.h
 *
 * Copyright 2026 The Attention authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * A vertical box that keeps a share of its height for one child (the
 * views) in a short window: the other children (scrolled panels) get
 * their natural height while it fits and give it up, last child first,
 * down to their minimum when it does not.
 */
#pragma once

#include <gtk/gtk.h>

G_BEGIN_DECLS

#define ATTN_TYPE_FIT_BOX (attn_fit_box_get_type ())

G_DECLARE_FINAL_TYPE (AttnFitBox, attn_fit_box, ATTN, FIT_BOX, GtkWidget)

GtkWidget *attn_fit_box_new              (void);

/* The child that keeps its share (the box's children are added with
 * GtkBuilder, or gtk_widget_set_parent()). */
GtkWidget *attn_fit_box_get_main_child   (AttnFitBox *self);
void       attn_fit_box_set_main_child   (AttnFitBox *self,
                                          GtkWidget  *child);

/* What the main child keeps when the other children would leave it
 * less: its share of the box's height (0-1) plus a reserve in pixels. */
double     attn_fit_box_get_main_share   (AttnFitBox *self);
void       attn_fit_box_set_main_share   (AttnFitBox *self,
                                          double      share);
int        attn_fit_box_get_main_reserve (AttnFitBox *self);
void       attn_fit_box_set_main_reserve (AttnFitBox *self,
                                          int         reserve);

G_END_DECLS
