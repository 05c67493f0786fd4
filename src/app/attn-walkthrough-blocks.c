/* attn-walkthrough-blocks.c
 *
 * Copyright 2026 The Attention authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "attn-walkthrough"

#include "config.h"

#include <math.h>

#include <glib/gi18n.h>

#include "attn-walkthrough-blocks.h"

/* Vectors longer than this show their numbers only on request. */
#define NUMBERS_SHOWN_MAX 64

char *
_attn_walkthrough_format_number (double value)
{
  /* a real minus sign, so columns of numbers line up; no "−0.000" */
  if (fabs (value) < 0.0005)
    value = 0.0;
  return value < 0 ? g_strdup_printf ("−%.3f", -value) : g_strdup_printf ("%.3f", value);
}

static GtkWidget *
number_label (double value)
{
  g_autofree char *text = _attn_walkthrough_format_number (value);
  g_autofree char *full = g_strdup_printf ("%.9g", value);
  GtkWidget *label = gtk_label_new (text);

  gtk_label_set_xalign (GTK_LABEL (label), 1.0);
  gtk_label_set_width_chars (GTK_LABEL (label), 7);
  gtk_widget_set_tooltip_text (label, full);
  gtk_widget_add_css_class (label, "numeric");
  return label;
}

static void
fill_numbers (GtkFlowBox  *flow,
              const float *values,
              guint        n)
{
  for (guint i = 0; i < n; i++)
    gtk_flow_box_append (flow, number_label (values[i]));
}

static GtkWidget *
numbers_new (void)
{
  GtkWidget *flow = gtk_flow_box_new ();

  gtk_flow_box_set_selection_mode (GTK_FLOW_BOX (flow), GTK_SELECTION_NONE);
  gtk_flow_box_set_homogeneous (GTK_FLOW_BOX (flow), TRUE);
  gtk_flow_box_set_min_children_per_line (GTK_FLOW_BOX (flow), 4);
  gtk_flow_box_set_max_children_per_line (GTK_FLOW_BOX (flow), 16);
  gtk_flow_box_set_column_spacing (GTK_FLOW_BOX (flow), 2);
  gtk_flow_box_set_row_spacing (GTK_FLOW_BOX (flow), 0);
  gtk_widget_set_can_focus (flow, FALSE);
  return flow;
}

static void
expander_expanded_cb (GtkExpander *expander)
{
  GtkWidget *flow;

  if (!gtk_expander_get_expanded (expander) || gtk_expander_get_child (expander) != NULL)
    return;

  flow = numbers_new ();
  fill_numbers (GTK_FLOW_BOX (flow), g_object_get_data (G_OBJECT (expander), "values"),
                GPOINTER_TO_UINT (g_object_get_data (G_OBJECT (expander), "n-values")));
  gtk_expander_set_child (expander, flow);
}

/* A vector's numbers in a wrapped grid; behind an expander, built when
 * opened, when there are many. */
static GtkWidget *
numbers_block_new (const float *values,
                   guint        n)
{
  g_autofree char *title = NULL;
  GtkWidget *expander;

  if (n <= NUMBERS_SHOWN_MAX)
    {
      GtkWidget *flow = numbers_new ();

      fill_numbers (GTK_FLOW_BOX (flow), values, n);
      return flow;
    }

  title = g_strdup_printf (_("Show all %u numbers"), n);
  expander = gtk_expander_new (title);
  g_object_set_data_full (G_OBJECT (expander), "values", g_memdup2 (values, n * sizeof (float)), g_free);
  g_object_set_data (G_OBJECT (expander), "n-values", GUINT_TO_POINTER (n));
  g_signal_connect (expander, "notify::expanded", G_CALLBACK (expander_expanded_cb), NULL);
  return expander;
}

GtkWidget *
_attn_walkthrough_heading_new (const char *markup)
{
  GtkWidget *label = gtk_label_new (NULL);

  gtk_label_set_markup (GTK_LABEL (label), markup);
  gtk_label_set_xalign (GTK_LABEL (label), 0.0);
  gtk_label_set_wrap (GTK_LABEL (label), TRUE);
  gtk_widget_set_margin_top (label, 6);
  return label;
}

GtkWidget *
_attn_walkthrough_text_new (const char *markup)
{
  GtkWidget *label = _attn_walkthrough_heading_new (markup);

  gtk_widget_set_margin_top (label, 0);
  gtk_label_set_selectable (GTK_LABEL (label), TRUE);
  return label;
}

/* A vector: its name, a coloured strip, and its numbers (behind an
 * expander when there are many). */
AttnWalkthroughStrip *
_attn_walkthrough_add_vector (GtkBox      *box,
                              const char  *name_markup,
                              const char  *accessible_name,
                              const float *values,
                              guint        n,
                              int          marked)
{
  g_autofree char *heading = g_strdup_printf (ngettext ("%s <span alpha=\"60%%\">· %u number</span>",
                                                        "%s <span alpha=\"60%%\">· %u numbers</span>", n),
                                              name_markup, n);
  GtkWidget *strip = attn_walkthrough_strip_new (ATTN_WALKTHROUGH_STRIP_VECTOR, accessible_name);

  gtk_box_append (box, _attn_walkthrough_heading_new (heading));
  attn_walkthrough_strip_set_values (ATTN_WALKTHROUGH_STRIP (strip), values, 1, n);
  attn_walkthrough_strip_set_marked (ATTN_WALKTHROUGH_STRIP (strip), marked);
  gtk_box_append (box, strip);

  gtk_box_append (box, numbers_block_new (values, n));
  return ATTN_WALKTHROUGH_STRIP (strip);
}

/* A matrix: numbers when small (the sandbox's 4 × 4), else cells. */
GtkWidget *
_attn_walkthrough_matrix_new (const char  *name_markup,
                              const float *m,
                              guint        rows,
                              guint        cols)
{
  GtkWidget *box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 4);
  g_autofree char *heading = g_strdup_printf ("%s <span alpha=\"60%%\">· %u × %u</span>", name_markup, rows, cols);

  gtk_box_append (GTK_BOX (box), _attn_walkthrough_heading_new (heading));

  gtk_widget_set_hexpand (box, TRUE);
  if (rows * cols <= ATTN_WALKTHROUGH_MATRIX_NUMBERS_MAX)
    {
      GtkWidget *grid = gtk_grid_new ();

      gtk_grid_set_column_spacing (GTK_GRID (grid), 6);
      for (guint i = 0; i < rows; i++)
        for (guint j = 0; j < cols; j++)
          gtk_grid_attach (GTK_GRID (grid), number_label (m[i * cols + j]), j, i, 1, 1);
      gtk_box_append (GTK_BOX (box), grid);
    }
  else
    {
      GtkWidget *strip = attn_walkthrough_strip_new (ATTN_WALKTHROUGH_STRIP_MATRIX, name_markup);

      attn_walkthrough_strip_set_values (ATTN_WALKTHROUGH_STRIP (strip), m, rows, cols);
      gtk_box_append (GTK_BOX (box), strip);
    }
  return box;
}
