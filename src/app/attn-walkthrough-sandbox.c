/* attn-walkthrough-sandbox.c
 *
 * Copyright 2026 The Attention authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The walkthrough's Sandbox mode: the sliders that edit the two tokens'
 * embeddings, the causal-mask switch and "“sat” first" order, and the run
 * of the seed's two-token example on them.
 */

#define G_LOG_DOMAIN "attn-walkthrough"

#include "config.h"

#include <math.h>

#include <glib/gi18n.h>

#include "attn-walkthrough-blocks.h"
#include "attn-walkthrough-private.h"

AttnSandboxLayout
_attn_walkthrough_get_sandbox_layout (AttnWalkthrough *self)
{
  if (!gtk_switch_get_active (self->causal_switch))
    return ATTN_SANDBOX_ARTICLE;
  return gtk_toggle_button_get_active (self->sat_first_button) ? ATTN_SANDBOX_GPT : ATTN_SANDBOX_CAUSAL;
}

void
_attn_walkthrough_set_causal (AttnWalkthrough *self,
                              gboolean         causal,
                              gboolean         sat_first)
{
  g_return_if_fail (ATTN_IS_WALKTHROUGH (self));

  gtk_toggle_button_set_active (self->sat_first_button, sat_first);
  gtk_switch_set_active (self->causal_switch, causal);
}

/* The value beside the slider, in a fixed width so every track is as long. */
static void
slider_show_value (GtkRange *range)
{
  GtkLabel *label = g_object_get_data (G_OBJECT (range), "value-label");
  double value = gtk_range_get_value (range);
  g_autofree char *text = fabs (value) < 0.005 ? g_strdup ("0.00")
                          : value < 0 ? g_strdup_printf ("−%.2f", -value) : g_strdup_printf ("%.2f", value);

  gtk_label_set_label (label, text);
}

static void
slider_changed_cb (GtkRange        *range,
                   AttnWalkthrough *self)
{
  float *slot = g_object_get_data (G_OBJECT (range), "slot");

  *slot = (float) gtk_range_get_value (range);
  slider_show_value (range);
  if (attn_walkthrough_get_sandbox (self))
    _attn_walkthrough_recompute (self);
}

void
_attn_walkthrough_build_sandbox (AttnWalkthrough *self)
{
  static const AttnSandboxToken order[] = { ATTN_SANDBOX_CAT, ATTN_SANDBOX_SAT };

  /* two equal columns: the query "cat" beside the key "sat", four sliders
   * each, so every track is as long and the zero marks line up */
  gtk_grid_set_column_homogeneous (self->slider_grid, TRUE);
  gtk_grid_set_column_spacing (self->slider_grid, 18);
  for (guint t = 0; t < G_N_ELEMENTS (order); t++)
    {
      AttnSandboxToken tok = order[t];
      GtkGrid *grid = GTK_GRID (gtk_grid_new ());
      g_autofree char *markup = g_markup_printf_escaped (tok == ATTN_SANDBOX_CAT ? _("<b>“%s”</b> · the query")
                                                                               : _("<b>“%s”</b> · the key"),
                                                         attn_sandbox_token_name (tok));

      gtk_grid_set_column_spacing (grid, 6);
      gtk_grid_set_row_spacing (grid, 2);
      gtk_grid_attach (self->slider_grid, GTK_WIDGET (grid), t, 0, 1, 1);
      gtk_grid_attach (grid, _attn_walkthrough_heading_new (markup), 0, 0, 3, 1);
      for (guint d = 0; d < ATTN_SANDBOX_DIM; d++)
        {
          g_autofree char *name = g_strdup_printf ("x<sub>%u</sub>", d);   /* 0-based, like every index shown */
          g_autofree char *accessible = g_strdup_printf (_("%s, dimension %u"), attn_sandbox_token_name (tok), d);
          GtkWidget *label = gtk_label_new (NULL);
          GtkWidget *scale = gtk_scale_new_with_range (GTK_ORIENTATION_HORIZONTAL, -1.0, 1.0, 0.01);
          GtkWidget *value = gtk_label_new (NULL);

          gtk_label_set_markup (GTK_LABEL (label), name);
          gtk_scale_set_digits (GTK_SCALE (scale), 2);
          gtk_scale_set_draw_value (GTK_SCALE (scale), FALSE);
          gtk_label_set_width_chars (GTK_LABEL (value), 6);
          gtk_label_set_xalign (GTK_LABEL (value), 1.0);
          gtk_widget_add_css_class (value, "numeric");
          g_object_set_data (G_OBJECT (scale), "value-label", value);
          gtk_scale_add_mark (GTK_SCALE (scale), 0.0, GTK_POS_BOTTOM, NULL);
          gtk_widget_set_hexpand (scale, TRUE);
          gtk_accessible_update_property (GTK_ACCESSIBLE (scale), GTK_ACCESSIBLE_PROPERTY_LABEL, accessible, -1);
          gtk_range_set_value (GTK_RANGE (scale), self->embeddings[tok][d]);
          g_object_set_data (G_OBJECT (scale), "slot", &self->embeddings[tok][d]);
          slider_show_value (GTK_RANGE (scale));
          g_signal_connect (scale, "value-changed", G_CALLBACK (slider_changed_cb), self);
          self->sliders[tok][d] = GTK_SCALE (scale);

          gtk_grid_attach (grid, label, 0, d + 1, 1, 1);
          gtk_grid_attach (grid, scale, 1, d + 1, 1, 1);
          gtk_grid_attach (grid, value, 2, d + 1, 1, 1);
        }
    }
}

void
_attn_walkthrough_reset_sandbox (AttnWalkthrough *self,
                                 const char      *action_name,
                                 GVariant        *parameter)
{
  for (int t = 0; t < ATTN_SANDBOX_N_TOKENS; t++)
    for (int d = 0; d < ATTN_SANDBOX_DIM; d++)
      gtk_range_set_value (GTK_RANGE (self->sliders[t][d]), attn_sandbox_default_embedding (t)[d]);
}

void
_attn_walkthrough_set_embedding (AttnWalkthrough *self,
                                 gboolean         cat,
                                 guint            dim,
                                 double           value)
{
  g_return_if_fail (ATTN_IS_WALKTHROUGH (self));
  g_return_if_fail (dim < ATTN_SANDBOX_DIM);

  gtk_range_set_value (GTK_RANGE (self->sliders[cat ? ATTN_SANDBOX_CAT : ATTN_SANDBOX_SAT][dim]), value);
}

/* The sandbox's steps for the sliders' embeddings, in the order and mask
 * its switches pick; @names gets its tokens' names in that order.  Says in
 * a line what the order and the mask do. */
AttnSteps *
_attn_walkthrough_run_sandbox (AttnWalkthrough  *self,
                               const char      **names,
                               GError          **error)
{
  AttnSandboxLayout layout = _attn_walkthrough_get_sandbox_layout (self);

  /* One line on what the order and the mask do, as the article has it. */
  gtk_label_set_text (self->sandbox_order_label,
                      layout == ATTN_SANDBOX_ARTICLE
                      ? _("“cat” then “sat”, no mask, as the article computes it: each token sees the other.")
                      : layout == ATTN_SANDBOX_CAUSAL
                      ? _("With a GPT's causal mask “cat”, which comes first, cannot see “sat”: its weight on “sat” is 0. "
                          "A GPT would have to put “sat” first.")
                      : _("“sat” first: now “cat” comes after it and sees it, with the same weight as without the mask."));

  for (int t = 0; t < ATTN_SANDBOX_N_TOKENS; t++)
    names[attn_sandbox_position (layout, t)] = attn_sandbox_token_name (t);

  return attn_sandbox_run_layout (self->embeddings[ATTN_SANDBOX_CAT], self->embeddings[ATTN_SANDBOX_SAT],
                                  layout, ATTN_SANDBOX_CAT,
                                  gtk_toggle_button_get_active (self->key_sat_button) ? ATTN_SANDBOX_SAT : ATTN_SANDBOX_CAT,
                                  error);
}
