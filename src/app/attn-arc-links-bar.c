/* attn-arc-links-bar.c
 *
 * Copyright 2026 The Attention authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "attn-arc-links-bar"

#include "config.h"

#include <glib/gi18n.h>

#include "attn-arc-links-bar.h"
#include "attn-document-link.h"

struct _AttnArcLinksBar
{
  GtkWidget         parent_instance;

  GtkWidget        *mode;             /* GtkDropDown, in AttnArcLinks order */
  GtkWidget        *threshold_box;    /* label and slider */
  GtkWidget        *threshold_scale;
  GtkWidget        *top_k_box;        /* label and spin button */
  GtkWidget        *top_k_spin;
  GtkWidget        *hint;

  AttnDocumentLink  link;
  AttnArcView      *arc_view;         /* owned */
  GBinding         *bindings[3];      /* links, threshold, top-k */
};

G_DEFINE_FINAL_TYPE (AttnArcLinksBar, attn_arc_links_bar, GTK_TYPE_WIDGET)


/* The threshold shows whenever it decides what is drawn: in its own mode,
 * and in the selected token's while none is selected. */
static void
update (AttnArcLinksBar *self)
{
  guint mode = gtk_drop_down_get_selected (GTK_DROP_DOWN (self->mode));
  gboolean no_query = self->link.document == NULL || attn_document_get_query (self->link.document) < 0;

  gtk_widget_set_visible (self->threshold_box, mode == 1 || (mode == 0 && no_query));
  gtk_widget_set_visible (self->top_k_box, mode == 2);
  gtk_widget_set_visible (self->hint, mode == 0 && no_query);
}

static gboolean
links_to_selected (GBinding     *binding,
                   const GValue *from,
                   GValue       *to,
                   gpointer      user_data)
{
  AttnArcLinks links;

  /* the drop-down's items are in AttnArcLinks order */
  if (!attn_arc_links_from_string (g_value_get_string (from), &links))
    return FALSE;
  g_value_set_uint (to, links);
  return TRUE;
}

static gboolean
selected_to_links (GBinding     *binding,
                   const GValue *from,
                   GValue       *to,
                   gpointer      user_data)
{
  guint i = g_value_get_uint (from);

  if (i > ATTN_ARC_LINKS_TOP_K)
    return FALSE;
  g_value_set_string (to, attn_arc_links_to_string (i));
  return TRUE;
}

static void
unbind (AttnArcLinksBar *self)
{
  for (guint i = 0; i < G_N_ELEMENTS (self->bindings); i++)
    if (self->bindings[i] != NULL)
      {
        g_binding_unbind (self->bindings[i]);
        self->bindings[i] = NULL;
      }
  g_clear_object (&self->arc_view);
}

static void
attn_arc_links_bar_dispose (GObject *object)
{
  AttnArcLinksBar *self = ATTN_ARC_LINKS_BAR (object);
  GtkWidget *child;

  unbind (self);
  _attn_document_link_clear (&self->link);

  while ((child = gtk_widget_get_first_child (GTK_WIDGET (self))) != NULL)
    gtk_widget_unparent (child);

  G_OBJECT_CLASS (attn_arc_links_bar_parent_class)->dispose (object);
}

static void
attn_arc_links_bar_class_init (AttnArcLinksBarClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = attn_arc_links_bar_dispose;

  _attn_document_link_install (object_class, G_STRUCT_OFFSET (AttnArcLinksBar, link),
                               G_CALLBACK (attn_arc_links_bar_set_document));

  gtk_widget_class_set_layout_manager_type (widget_class, GTK_TYPE_BOX_LAYOUT);
  gtk_widget_class_set_css_name (widget_class, "attnarclinksbar");
}

/* A mnemonic label for @widget and @widget, in a row. */
static GtkWidget *
labelled (const char *text,
          GtkWidget  *widget)
{
  GtkWidget *box = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 6);
  GtkWidget *label = gtk_label_new_with_mnemonic (text);

  gtk_label_set_mnemonic_widget (GTK_LABEL (label), widget);
  gtk_box_append (GTK_BOX (box), label);
  gtk_box_append (GTK_BOX (box), widget);
  return box;
}

static void
attn_arc_links_bar_init (AttnArcLinksBar *self)
{
  const char *modes[] = {
    /* Translators: arc view links mode: only the selected token's arcs */
    _("Selected token’s links"),
    /* Translators: arc view links mode: every token's links above a threshold */
    _("Links above a threshold"),
    /* Translators: arc view links mode: each token's few strongest links */
    _("Each token’s strongest links"),
    NULL
  };
  GtkBoxLayout *layout = GTK_BOX_LAYOUT (gtk_widget_get_layout_manager (GTK_WIDGET (self)));
  GtkWidget *row, *controls;

  /* Rows: the mode, its setting, the hint, so the bar fits a 360 px
   * window (in German too). */
  gtk_orientable_set_orientation (GTK_ORIENTABLE (layout), GTK_ORIENTATION_VERTICAL);
  gtk_box_layout_set_spacing (layout, 6);

  self->mode = gtk_drop_down_new_from_strings (modes);
  gtk_widget_set_valign (self->mode, GTK_ALIGN_CENTER);
  gtk_widget_set_tooltip_text (self->mode, _("A long text has millions of links: show one token’s, or only the "
                                             "strongest of every token’s"));
  row = labelled (_("_Arcs:"), self->mode);
  gtk_widget_set_parent (row, GTK_WIDGET (self));
  controls = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 12);
  gtk_widget_set_parent (controls, GTK_WIDGET (self));

  self->threshold_scale = gtk_scale_new_with_range (GTK_ORIENTATION_HORIZONTAL, 0.01, 1, 0.01);
  gtk_scale_set_digits (GTK_SCALE (self->threshold_scale), 2);
  gtk_scale_set_draw_value (GTK_SCALE (self->threshold_scale), TRUE);
  gtk_scale_set_value_pos (GTK_SCALE (self->threshold_scale), GTK_POS_RIGHT);
  gtk_widget_set_hexpand (self->threshold_scale, TRUE);
  gtk_range_set_increments (GTK_RANGE (self->threshold_scale), 0.01, 0.1);
  self->threshold_box = labelled (_("_Show links of at least"), self->threshold_scale);
  gtk_widget_set_hexpand (self->threshold_box, TRUE);
  gtk_box_append (GTK_BOX (controls), self->threshold_box);

  self->top_k_spin = gtk_spin_button_new_with_range (1, ATTN_ARC_MAX_TOP_K, 1);
  gtk_widget_set_valign (self->top_k_spin, GTK_ALIGN_CENTER);
  self->top_k_box = labelled (_("_Links per token"), self->top_k_spin);
  gtk_box_append (GTK_BOX (controls), self->top_k_box);

  self->hint = gtk_label_new (_("Select a token to see only its links."));
  gtk_label_set_wrap (GTK_LABEL (self->hint), TRUE);
  gtk_label_set_xalign (GTK_LABEL (self->hint), 0);
  gtk_widget_add_css_class (self->hint, "dim-label");
  gtk_widget_set_parent (self->hint, GTK_WIDGET (self));

  g_signal_connect_object (self->mode, "notify::selected", G_CALLBACK (update), self, G_CONNECT_SWAPPED);
  _attn_document_link_init (&self->link, self,
                            "notify::query", G_CALLBACK (update),
                            NULL);
  update (self);
}

GtkWidget *
attn_arc_links_bar_new (void)
{
  return g_object_new (ATTN_TYPE_ARC_LINKS_BAR, NULL);
}

AttnDocument *
attn_arc_links_bar_get_document (AttnArcLinksBar *self)
{
  g_return_val_if_fail (ATTN_IS_ARC_LINKS_BAR (self), NULL);
  return self->link.document;
}

void
attn_arc_links_bar_set_document (AttnArcLinksBar *self,
                                 AttnDocument    *document)
{
  g_return_if_fail (ATTN_IS_ARC_LINKS_BAR (self));
  g_return_if_fail (!document || ATTN_IS_DOCUMENT (document));

  if (!_attn_document_link_set (&self->link, self, document))
    return;

  update (self);
}

void
attn_arc_links_bar_set_arc_view (AttnArcLinksBar *self,
                                 AttnArcView     *arc_view)
{
  g_return_if_fail (ATTN_IS_ARC_LINKS_BAR (self));
  g_return_if_fail (!arc_view || ATTN_IS_ARC_VIEW (arc_view));

  unbind (self);
  if (arc_view == NULL)
    return;

  self->arc_view = g_object_ref (arc_view);
  /* the view holds the values (GSettings binds to it); the bar follows */
  self->bindings[0] = g_object_bind_property_full (arc_view, "links", self->mode, "selected",
                                                   G_BINDING_BIDIRECTIONAL | G_BINDING_SYNC_CREATE,
                                                   links_to_selected, selected_to_links, NULL, NULL);
  self->bindings[1] = g_object_bind_property (arc_view, "threshold",
                                              gtk_range_get_adjustment (GTK_RANGE (self->threshold_scale)), "value",
                                              G_BINDING_BIDIRECTIONAL | G_BINDING_SYNC_CREATE);
  self->bindings[2] = g_object_bind_property (arc_view, "top-k",
                                              gtk_spin_button_get_adjustment (GTK_SPIN_BUTTON (self->top_k_spin)),
                                              "value", G_BINDING_BIDIRECTIONAL | G_BINDING_SYNC_CREATE);
  update (self);
}

GtkDropDown *
attn_arc_links_bar_get_mode (AttnArcLinksBar *self)
{
  g_return_val_if_fail (ATTN_IS_ARC_LINKS_BAR (self), NULL);
  return GTK_DROP_DOWN (self->mode);
}

GtkWidget *
attn_arc_links_bar_get_threshold (AttnArcLinksBar *self)
{
  g_return_val_if_fail (ATTN_IS_ARC_LINKS_BAR (self), NULL);
  return self->threshold_box;
}

GtkWidget *
attn_arc_links_bar_get_top_k (AttnArcLinksBar *self)
{
  g_return_val_if_fail (ATTN_IS_ARC_LINKS_BAR (self), NULL);
  return self->top_k_spin;
}
