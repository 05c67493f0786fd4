/* attn-window-learn.c
 *
 * Copyright 2026 The Attention authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The window's side of the Learn tour: its buttons open a view or the
 * walkthrough at a step, and the tour is what a first launch shows.
 */

#define G_LOG_DOMAIN "attn-window-learn"

#include "config.h"

#include <adwaita.h>

#include "attn-learn-glossary.h"
#include "attn-learn-page.h"
#include "attn-learn-step.h"
#include "attn-walkthrough.h"
#include "attn-window-private.h"

static void
learn_open_view_cb (AttnWindow    *self,
                    const char    *view,
                    AttnLearnPage *page)
{
  adw_view_stack_set_visible_child_name (self->view_stack, view);
}

/* The walkthrough's step that shows each of the tour's six. */
static const AttnStep walkthrough_steps[ATTN_LEARN_N_STEPS] = {
  [ATTN_LEARN_STEP_QKV] = ATTN_STEP_PROJECT,
  [ATTN_LEARN_STEP_SCORES] = ATTN_STEP_DOT,
  [ATTN_LEARN_STEP_SOFTMAX] = ATTN_STEP_SOFTMAX,
  [ATTN_LEARN_STEP_SUM] = ATTN_STEP_VALUES,
  [ATTN_LEARN_STEP_MASK] = ATTN_STEP_MASK,
  [ATTN_LEARN_STEP_HEADS] = ATTN_STEP_HEADS,
};

static void
learn_open_walkthrough_cb (AttnWindow    *self,
                           int            step,
                           AttnLearnPage *page)
{
  g_return_if_fail (step >= 0 && step < ATTN_LEARN_N_STEPS);

  attn_walkthrough_set_sandbox (self->walkthrough, FALSE);
  attn_walkthrough_set_step (self->walkthrough, walkthrough_steps[step]);
  adw_flap_set_reveal_flap (self->flap, TRUE);
}

/* The tour counts as seen once it has been on screen; the head
 * description under the views speaks of one head, which the tour's own
 * figures already do. */
static void
view_changed_cb (AttnWindow *self)
{
  gboolean learn = g_strcmp0 (adw_view_stack_get_visible_child_name (self->view_stack), "learn") == 0;

  _attn_window_update_description (self);
  if (learn && !g_settings_get_boolean (self->settings, "learn-shown"))
    g_settings_set_boolean (self->settings, "learn-shown", TRUE);
}

void
_attn_window_learn_init (AttnWindow *self)
{
  g_autoptr(GVariant) view = g_settings_get_user_value (self->settings, "view");

  /* A first launch (no view chosen yet, tour never shown) opens on the
   * tour; anyone who picked a view before keeps it. */
  if (view == NULL && !g_settings_get_boolean (self->settings, "learn-shown"))
    adw_view_stack_set_visible_child_name (self->view_stack, "learn");

  g_signal_connect_object (self->view_stack, "notify::visible-child-name",
                           G_CALLBACK (view_changed_cb), self, G_CONNECT_SWAPPED);
  view_changed_cb (self);

  _attn_learn_glossary_add_tooltip (GTK_WIDGET (self->layer_spin), ATTN_TERM_LAYER);
  _attn_learn_glossary_add_tooltip (GTK_WIDGET (self->head_spin), ATTN_TERM_HEAD);
  _attn_learn_glossary_add_tooltip (GTK_WIDGET (self->weight_legend), ATTN_TERM_WEIGHTS);
  _attn_learn_glossary_add_tooltip (GTK_WIDGET (self->token_strip), ATTN_TERM_TOKEN);
}

void
_attn_window_class_learn_init (GtkWidgetClass *widget_class)
{
  g_type_ensure (ATTN_TYPE_LEARN_PAGE);

  gtk_widget_class_bind_template_child (widget_class, AttnWindow, learn_page);
  gtk_widget_class_bind_template_child (widget_class, AttnWindow, walkthrough);
  gtk_widget_class_bind_template_callback (widget_class, learn_open_view_cb);
  gtk_widget_class_bind_template_callback (widget_class, learn_open_walkthrough_cb);
}
