/* attn-walkthrough.c
 *
 * Copyright 2026 The Attention authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "attn-walkthrough"

#include "config.h"

#include <string.h>

#include <glib/gi18n.h>

#include "attn-learn-glossary.h"
#include "attn-render.h"
#include "attn-token-strip.h"
#include "attn-walkthrough-pages.h"
#include "attn-walkthrough-private.h"

G_DEFINE_FINAL_TYPE (AttnWalkthrough, attn_walkthrough, GTK_TYPE_WIDGET)

enum {
  PROP_0,
  PROP_DOCUMENT,
  PROP_STEP,
  PROP_SANDBOX,
  N_PROPS
};

static GParamSpec *properties [N_PROPS];

/* ----------------------------------------------------------------------------
 * the step on show */

/* An encoder's walkthrough has no mask step: nothing is hidden from any
 * query, so the step would change nothing (the sandbox keeps its page,
 * where the causal-mask switch is). */
static gboolean
skips_mask (AttnWalkthrough *self)
{
  return !attn_walkthrough_get_sandbox (self) && self->result != NULL
         && attn_result_is_bidirectional (self->result);
}

static void
show_step (AttnWalkthrough *self)
{
  g_autoptr(GString) formula = g_string_new (NULL);
  g_autoptr(GString) explanation = g_string_new (NULL);
  g_autofree char *title = NULL;
  g_autofree char *counter = NULL;
  GtkWidget *child, *mask_button;
  gboolean skip = skips_mask (self);

  /* A new result from an encoder while its mask step was on show. */
  if (self->step == ATTN_STEP_MASK && skip)
    {
      self->step = ATTN_STEP_SOFTMAX;
      g_object_notify_by_pspec (G_OBJECT (self), properties [PROP_STEP]);
    }

  /* The mask's stepper button says why it cannot be picked. */
  mask_button = gtk_widget_get_first_child (GTK_WIDGET (self->stepper));
  for (int i = 0; mask_button != NULL && i < ATTN_STEP_MASK; i++)
    mask_button = gtk_widget_get_next_sibling (mask_button);
  if (mask_button != NULL)
    {
      g_autofree char *tooltip = NULL;

      if (skip)
        /* Translators: tooltip of the walkthrough's skipped step 6; %s says why */
        tooltip = g_strdup_printf (_("%d  %s — skipped. %s"), ATTN_STEP_MASK + 1,
                                   _attn_walkthrough_step_name (ATTN_STEP_MASK),
                                   _attn_walkthrough_mask_skipped_text ());
      else
        tooltip = g_strdup_printf ("%d  %s", ATTN_STEP_MASK + 1, _attn_walkthrough_step_name (ATTN_STEP_MASK));
      gtk_widget_set_sensitive (mask_button, !skip);
      gtk_widget_set_tooltip_text (mask_button, tooltip);
      gtk_accessible_update_property (GTK_ACCESSIBLE (mask_button), GTK_ACCESSIBLE_PROPERTY_LABEL, tooltip, -1);
      /* with the Learn tour's definition, as build_stepper () gave it */
      if (!skip && _attn_learn_glossary_term_for_step (ATTN_STEP_MASK) >= 0)
        _attn_learn_glossary_add_tooltip (mask_button, _attn_learn_glossary_term_for_step (ATTN_STEP_MASK));
    }

  while ((child = gtk_widget_get_first_child (GTK_WIDGET (self->step_content))) != NULL)
    gtk_box_remove (self->step_content, child);

  title = g_strdup_printf ("%d  %s", self->step + 1, _attn_walkthrough_step_name (self->step));
  counter = g_strdup_printf (_("Step %d of %d"), self->step + 1, ATTN_STEP_COUNT);
  gtk_label_set_label (self->step_title, title);
  gtk_label_set_label (self->step_counter, counter);
  {
    int term = _attn_learn_glossary_term_for_step (self->step);
    g_autofree char *definition = term >= 0 ? _attn_learn_glossary_dup_tooltip (term) : NULL;

    gtk_widget_set_tooltip_text (GTK_WIDGET (self->step_title), definition);
  }

  if (self->steps != NULL)
    _attn_walkthrough_show_page (self->step, self->steps, (const char *const *) self->token_labels,
                                 self->step_content, formula, explanation);
  else
    {
      g_autofree char *message = g_markup_escape_text (self->message ? self->message : "", -1);

      g_string_append (explanation, message);
    }

  g_string_prepend (formula, "<span size=\"large\">");
  g_string_append (formula, "</span>");
  gtk_label_set_markup (self->step_formula, formula->str);
  gtk_widget_set_visible (GTK_WIDGET (self->step_formula), self->steps != NULL);
  gtk_widget_set_visible (GTK_WIDGET (self->step_title), self->steps != NULL);
  gtk_label_set_markup (self->step_explanation, explanation->str);

  gtk_widget_action_set_enabled (GTK_WIDGET (self), "walkthrough.previous", self->step > 0);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "walkthrough.next", self->step < ATTN_STEP_COUNT - 1);
}

/* ----------------------------------------------------------------------------
 * following the document, or the sandbox */

static void
set_token_labels (AttnWalkthrough   *self,
                  const char *const *texts,
                  guint              n)
{
  g_strfreev (self->token_labels);
  self->token_labels = g_new0 (char *, n + 1);
  for (guint i = 0; i < n; i++)
    self->token_labels[i] = attn_render_dup_token_label (texts[i]);
}

/* The model controls' ranges and token lists, for a new result. */
static void
update_controls (AttnWalkthrough *self,
                 AttnResult      *result)
{
  guint T = result ? attn_result_get_n_tokens (result) : 0;
  g_autoptr(GPtrArray) items = g_ptr_array_new_with_free_func (g_free);

  if (result == self->result)
    return;
  g_clear_pointer (&self->result, attn_result_unref);
  self->result = result ? attn_result_ref (result) : NULL;

  gtk_adjustment_set_upper (self->layer_adjustment, result ? attn_result_get_n_layers (result) - 1 : 0);
  gtk_adjustment_set_upper (self->head_adjustment, result ? attn_result_get_n_heads (result) - 1 : 0);

  for (guint i = 0; i < T; i++)
    {
      g_autofree char *label = attn_render_dup_token_label (attn_result_get_token_text (result, i));

      g_ptr_array_add (items, g_strdup_printf ("%u  %s", i, label));
    }
  g_ptr_array_add (items, NULL);
  gtk_string_list_splice (self->query_tokens, 0, g_list_model_get_n_items (G_LIST_MODEL (self->query_tokens)),
                          (const char *const *) items->pdata);
  gtk_string_list_splice (self->key_tokens, 0, g_list_model_get_n_items (G_LIST_MODEL (self->key_tokens)),
                          (const char *const *) items->pdata);
}

static void
set_message (AttnWalkthrough *self,
             const char      *message)
{
  g_clear_pointer (&self->steps, attn_steps_unref);
  g_free (self->message);
  self->message = g_strdup (message);
}

/* A request for steps that is still out is for a selection or a result
 * that has changed since: its answer must never be shown. */
static void
cancel_steps (AttnWalkthrough *self)
{
  if (self->steps_cancellable != NULL)
    g_cancellable_cancel (self->steps_cancellable);
  g_clear_object (&self->steps_cancellable);
}

static void
steps_ready_cb (GObject      *source,
                GAsyncResult *async_result,
                gpointer      user_data)
{
  g_autoptr(AttnWalkthrough) self = user_data;
  g_autoptr(GError) error = NULL;
  AttnSteps *steps;
  AttnResult *result;

  steps = attn_document_compute_steps_finish (ATTN_DOCUMENT (source), async_result, &error);
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;   /* superseded: the newer request is out, or the pane is gone */
  g_clear_object (&self->steps_cancellable);

  result = attn_document_get_result (ATTN_DOCUMENT (source));
  if (steps == NULL || result == NULL)
    {
      g_clear_pointer (&steps, attn_steps_unref);
      set_message (self, error ? error->message : NULL);
    }
  else
    {
      set_message (self, NULL);
      self->steps = steps;
      set_token_labels (self, attn_result_get_token_texts (result), attn_result_get_n_tokens (result));
    }
  show_step (self);
}

static void
recompute_model (AttnWalkthrough *self)
{
  AttnResult *result = self->document ? attn_document_get_result (self->document) : NULL;
  gboolean ran = result != NULL && attn_result_get_engine (result) != NULL && attn_result_has_trace (result);
  guint T = result ? attn_result_get_n_tokens (result) : 0;
  int query, key;

  cancel_steps (self);
  self->updating = TRUE;
  update_controls (self, ran ? result : NULL);
  /* The steps are the model's, per token: say so while views show words. */
  gtk_widget_set_visible (self->pieces_note,
                          self->document != NULL && attn_document_get_merge_words (self->document));

  if (!ran || T == 0)
    {
      set_message (self, _("Type a sentence: the walkthrough shows how one head computes its attention."));
      self->updating = FALSE;
      return;
    }

  /* the layer and head follow the document even with no pair picked */
  gtk_adjustment_set_value (self->layer_adjustment, attn_document_get_layer (self->document));
  gtk_adjustment_set_value (self->head_adjustment, attn_document_get_head (self->document));

  query = attn_document_get_query (self->document);
  key = attn_document_get_key (self->document);
  if (query < 0 || (guint) query >= T)
    {
      set_message (self, _("Click a token or a heatmap cell to choose the query and key."));
      gtk_drop_down_set_selected (self->query_drop, GTK_INVALID_LIST_POSITION);
      gtk_drop_down_set_selected (self->key_drop, GTK_INVALID_LIST_POSITION);
      self->updating = FALSE;
      return;
    }
  if (key < 0 || (guint) key >= T)
    key = query;   /* no key picked yet: the query's attention to itself */

  gtk_drop_down_set_selected (self->query_drop, query);
  gtk_drop_down_set_selected (self->key_drop, key);
  self->updating = FALSE;

  /* The document computes the steps off the main thread from the result's
   * own engine (2·T² of scratch); the pane keeps showing the last steps,
   * which agree with their own labels, until the new ones are in. */
  self->steps_cancellable = g_cancellable_new ();
  attn_document_compute_steps_async (self->document,
                                     attn_document_get_layer (self->document),
                                     attn_document_get_head (self->document),
                                     query, key, self->steps_cancellable,
                                     steps_ready_cb, g_object_ref (self));
}

gboolean
_attn_walkthrough_says_pieces (AttnWalkthrough *self)
{
  g_return_val_if_fail (ATTN_IS_WALKTHROUGH (self), FALSE);
  return gtk_widget_get_visible (self->pieces_note);
}

static void
recompute_sandbox (AttnWalkthrough *self)
{
  const char *names[ATTN_SANDBOX_N_TOKENS];
  g_autoptr(GError) error = NULL;
  AttnSteps *steps;

  cancel_steps (self);
  steps = _attn_walkthrough_run_sandbox (self, names, &error);
  if (steps == NULL)
    {
      set_message (self, error->message);
      return;
    }
  set_message (self, NULL);
  self->steps = steps;
  set_token_labels (self, names, ATTN_SANDBOX_N_TOKENS);
}

void
_attn_walkthrough_recompute (AttnWalkthrough *self)
{
  if (attn_walkthrough_get_sandbox (self))
    recompute_sandbox (self);
  else
    recompute_model (self);
  show_step (self);
}

static void
document_changed_cb (AttnWalkthrough *self)
{
  if (!attn_walkthrough_get_sandbox (self))
    _attn_walkthrough_recompute (self);
}

/* The pane's own controls change the document's selection. */
static void
control_changed_cb (AttnWalkthrough *self)
{
  guint query = gtk_drop_down_get_selected (self->query_drop);
  guint key = gtk_drop_down_get_selected (self->key_drop);

  if (self->updating || self->document == NULL || self->result == NULL)
    return;

  attn_document_set_layer (self->document, (guint) gtk_adjustment_get_value (self->layer_adjustment));
  attn_document_set_head (self->document, (guint) gtk_adjustment_get_value (self->head_adjustment));
  if (query != GTK_INVALID_LIST_POSITION)
    attn_document_set_query (self->document, (int) query);
  if (key != GTK_INVALID_LIST_POSITION)
    attn_document_set_key (self->document, (int) key);
}

static void
mode_changed_cb (AttnWalkthrough *self)
{
  gboolean sandbox = attn_walkthrough_get_sandbox (self);
  GtkScrolledWindow *scroller = sandbox ? self->sandbox_scroller : self->model_scroller;

  /* each mode scrolls on its own: the step page moves to its scroller */
  if (self->step_page != NULL && gtk_widget_get_parent (self->step_page) != NULL &&
      gtk_widget_get_ancestor (self->step_page, GTK_TYPE_SCROLLED_WINDOW) != GTK_WIDGET (scroller))
    {
      GtkScrolledWindow *old = sandbox ? self->model_scroller : self->sandbox_scroller;

      g_object_ref (self->step_page);
      gtk_scrolled_window_set_child (old, NULL);
      gtk_scrolled_window_set_child (scroller, self->step_page);
      g_object_unref (self->step_page);
    }
  gtk_stack_set_visible_child (self->scroller_stack, GTK_WIDGET (scroller));
  _attn_walkthrough_recompute (self);
  g_object_notify_by_pspec (G_OBJECT (self), properties [PROP_SANDBOX]);
}

static void
sandbox_key_toggled_cb (AttnWalkthrough *self)
{
  if (attn_walkthrough_get_sandbox (self))
    _attn_walkthrough_recompute (self);
}

/* ----------------------------------------------------------------------------
 * steps */

static void
go_next (AttnWalkthrough *self,
         const char      *action_name,
         GVariant        *parameter)
{
  attn_walkthrough_set_step (self, self->step + 1);
}

static void
go_previous (AttnWalkthrough *self,
             const char      *action_name,
             GVariant        *parameter)
{
  attn_walkthrough_set_step (self, self->step - 1);
}

static void
build_stepper (AttnWalkthrough *self)
{
  for (int i = 0; i < ATTN_STEP_COUNT; i++)
    {
      g_autofree char *number = g_strdup_printf ("%d", i + 1);
      g_autofree char *tooltip = g_strdup_printf ("%d  %s", i + 1, _attn_walkthrough_step_name (i));
      GtkWidget *button = gtk_toggle_button_new_with_label (number);

      gtk_widget_set_tooltip_text (button, tooltip);
      gtk_accessible_update_property (GTK_ACCESSIBLE (button), GTK_ACCESSIBLE_PROPERTY_LABEL, tooltip, -1);
      /* the Learn tour's definition of what the step computes */
      if (_attn_learn_glossary_term_for_step (i) >= 0)
        _attn_learn_glossary_add_tooltip (button, _attn_learn_glossary_term_for_step (i));
      gtk_actionable_set_action_name (GTK_ACTIONABLE (button), "walkthrough.step");
      gtk_actionable_set_action_target_value (GTK_ACTIONABLE (button), g_variant_new_int32 (i));
      gtk_box_append (self->stepper, button);
    }
}

/* Ctrl+← / Ctrl+→ anywhere in the window, except while typing, where they
 * move by words.  The window handles them in the capture phase, before a
 * focused scrolled view spends them on scrolling sideways; the window's
 * own plain ← / → (the query) never see Ctrl.  A global shortcut runs on
 * the window, where the pane's actions are out of sight, so it calls back
 * into the pane (which owns the controller) instead of naming an action. */
static gboolean
shortcut_step_cb (GtkWidget *widget,
                  GVariant  *args,
                  gpointer   user_data)
{
  AttnWalkthrough *self = ATTN_WALKTHROUGH (user_data);
  GtkRoot *root = gtk_widget_get_root (GTK_WIDGET (self));
  GtkWidget *focus = root ? gtk_root_get_focus (root) : NULL;
  int step = self->step + g_variant_get_int32 (args);

  if (!gtk_widget_get_mapped (GTK_WIDGET (self)) || step < 0 || step >= ATTN_STEP_COUNT)
    return FALSE;
  /* Text fields and the token strip use Ctrl+arrows to move by word. */
  if (focus != NULL && (GTK_IS_EDITABLE (focus) || GTK_IS_TEXT_VIEW (focus)
                        || gtk_widget_get_ancestor (focus, ATTN_TYPE_TOKEN_STRIP) != NULL))
    return FALSE;

  attn_walkthrough_set_step (self, step);
  return TRUE;
}

static void
add_shortcuts (AttnWalkthrough *self)
{
  static const struct { guint keyval; int delta; } keys[] = { { GDK_KEY_Left, -1 }, { GDK_KEY_Right, +1 } };
  GtkEventController *controller = gtk_shortcut_controller_new ();

  gtk_shortcut_controller_set_scope (GTK_SHORTCUT_CONTROLLER (controller), GTK_SHORTCUT_SCOPE_GLOBAL);
  gtk_event_controller_set_propagation_phase (controller, GTK_PHASE_CAPTURE);
  for (guint i = 0; i < G_N_ELEMENTS (keys); i++)
    {
      GtkShortcut *shortcut = gtk_shortcut_new (gtk_keyval_trigger_new (keys[i].keyval, GDK_CONTROL_MASK),
                                                gtk_callback_action_new (shortcut_step_cb, self, NULL));

      gtk_shortcut_set_arguments (shortcut, g_variant_new_int32 (keys[i].delta));
      gtk_shortcut_controller_add_shortcut (GTK_SHORTCUT_CONTROLLER (controller), shortcut);
    }
  gtk_widget_add_controller (GTK_WIDGET (self), controller);
}

/* ----------------------------------------------------------------------------
 * GObject */

static void
attn_walkthrough_dispose (GObject *object)
{
  AttnWalkthrough *self = ATTN_WALKTHROUGH (object);

  cancel_steps (self);
  if (self->document_signals != NULL)
    g_signal_group_set_target (self->document_signals, NULL);
  g_clear_object (&self->document_signals);
  g_clear_object (&self->document);
  g_clear_pointer (&self->result, attn_result_unref);
  gtk_widget_dispose_template (GTK_WIDGET (self), ATTN_TYPE_WALKTHROUGH);

  G_OBJECT_CLASS (attn_walkthrough_parent_class)->dispose (object);
}

static void
attn_walkthrough_finalize (GObject *object)
{
  AttnWalkthrough *self = ATTN_WALKTHROUGH (object);

  g_clear_pointer (&self->steps, attn_steps_unref);
  g_clear_pointer (&self->message, g_free);
  g_clear_pointer (&self->token_labels, g_strfreev);

  G_OBJECT_CLASS (attn_walkthrough_parent_class)->finalize (object);
}

static void
attn_walkthrough_get_property (GObject    *object,
                               guint       prop_id,
                               GValue     *value,
                               GParamSpec *pspec)
{
  AttnWalkthrough *self = ATTN_WALKTHROUGH (object);

  switch (prop_id)
    {
    case PROP_DOCUMENT:
      g_value_set_object (value, self->document);
      break;
    case PROP_STEP:
      g_value_set_int (value, self->step);
      break;
    case PROP_SANDBOX:
      g_value_set_boolean (value, attn_walkthrough_get_sandbox (self));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
attn_walkthrough_set_property (GObject      *object,
                               guint         prop_id,
                               const GValue *value,
                               GParamSpec   *pspec)
{
  AttnWalkthrough *self = ATTN_WALKTHROUGH (object);

  switch (prop_id)
    {
    case PROP_DOCUMENT:
      attn_walkthrough_set_document (self, g_value_get_object (value));
      break;
    case PROP_STEP:
      attn_walkthrough_set_step (self, g_value_get_int (value));
      break;
    case PROP_SANDBOX:
      attn_walkthrough_set_sandbox (self, g_value_get_boolean (value));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
attn_walkthrough_class_init (AttnWalkthroughClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = attn_walkthrough_dispose;
  object_class->finalize = attn_walkthrough_finalize;
  object_class->get_property = attn_walkthrough_get_property;
  object_class->set_property = attn_walkthrough_set_property;

  properties [PROP_DOCUMENT] =
    g_param_spec_object ("document", NULL, NULL, ATTN_TYPE_DOCUMENT,
                         (G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS));
  properties [PROP_STEP] =
    g_param_spec_int ("step", NULL, NULL, 0, ATTN_STEP_COUNT - 1, 0,
                      (G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS));
  properties [PROP_SANDBOX] =
    g_param_spec_boolean ("sandbox", NULL, NULL, FALSE,
                          (G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS));
  g_object_class_install_properties (object_class, N_PROPS, properties);

  gtk_widget_class_set_layout_manager_type (widget_class, GTK_TYPE_BIN_LAYOUT);
  gtk_widget_class_set_css_name (widget_class, "walkthrough");
  gtk_widget_class_set_template_from_resource (widget_class, "/com/example/Attention/ui/attn-walkthrough.ui");
  gtk_widget_class_bind_template_child (widget_class, AttnWalkthrough, box);
  gtk_widget_class_bind_template_child (widget_class, AttnWalkthrough, mode_stack);
  gtk_widget_class_bind_template_child (widget_class, AttnWalkthrough, layer_adjustment);
  gtk_widget_class_bind_template_child (widget_class, AttnWalkthrough, head_adjustment);
  gtk_widget_class_bind_template_child (widget_class, AttnWalkthrough, query_drop);
  gtk_widget_class_bind_template_child (widget_class, AttnWalkthrough, pieces_note);
  gtk_widget_class_bind_template_child (widget_class, AttnWalkthrough, key_drop);
  gtk_widget_class_bind_template_child (widget_class, AttnWalkthrough, query_tokens);
  gtk_widget_class_bind_template_child (widget_class, AttnWalkthrough, key_tokens);
  gtk_widget_class_bind_template_child (widget_class, AttnWalkthrough, slider_grid);
  gtk_widget_class_bind_template_child (widget_class, AttnWalkthrough, key_sat_button);
  gtk_widget_class_bind_template_child (widget_class, AttnWalkthrough, stepper);
  gtk_widget_class_bind_template_child (widget_class, AttnWalkthrough, scroller_stack);
  gtk_widget_class_bind_template_child (widget_class, AttnWalkthrough, model_scroller);
  gtk_widget_class_bind_template_child (widget_class, AttnWalkthrough, sandbox_scroller);
  gtk_widget_class_bind_template_child (widget_class, AttnWalkthrough, causal_switch);
  gtk_widget_class_bind_template_child (widget_class, AttnWalkthrough, sat_first_button);
  gtk_widget_class_bind_template_child (widget_class, AttnWalkthrough, sandbox_order_label);
  gtk_widget_class_bind_template_child (widget_class, AttnWalkthrough, step_page);
  gtk_widget_class_bind_template_child (widget_class, AttnWalkthrough, step_title);
  gtk_widget_class_bind_template_child (widget_class, AttnWalkthrough, step_formula);
  gtk_widget_class_bind_template_child (widget_class, AttnWalkthrough, step_explanation);
  gtk_widget_class_bind_template_child (widget_class, AttnWalkthrough, step_content);
  gtk_widget_class_bind_template_child (widget_class, AttnWalkthrough, step_counter);
  gtk_widget_class_bind_template_child (widget_class, AttnWalkthrough, back_button);
  gtk_widget_class_bind_template_child (widget_class, AttnWalkthrough, next_button);
  gtk_widget_class_bind_template_callback (widget_class, control_changed_cb);
  gtk_widget_class_bind_template_callback (widget_class, mode_changed_cb);
  gtk_widget_class_bind_template_callback (widget_class, sandbox_key_toggled_cb);

  gtk_widget_class_install_property_action (widget_class, "walkthrough.step", "step");
  gtk_widget_class_install_action (widget_class, "walkthrough.next", NULL, (GtkWidgetActionActivateFunc) go_next);
  gtk_widget_class_install_action (widget_class, "walkthrough.previous", NULL, (GtkWidgetActionActivateFunc) go_previous);
  gtk_widget_class_install_action (widget_class, "walkthrough.reset-sandbox", NULL,
                                   (GtkWidgetActionActivateFunc) _attn_walkthrough_reset_sandbox);
}

static void
token_item_setup_cb (GtkSignalListItemFactory *factory,
                     GtkListItem              *item,
                     gpointer                  ellipsize)
{
  GtkWidget *label = gtk_label_new (NULL);

  gtk_label_set_xalign (GTK_LABEL (label), 0);
  if (GPOINTER_TO_INT (ellipsize))
    {
      gtk_label_set_ellipsize (GTK_LABEL (label), PANGO_ELLIPSIZE_END);
      gtk_label_set_width_chars (GTK_LABEL (label), 4);
    }
  gtk_list_item_set_child (item, label);
}

static void
token_item_bind_cb (GtkSignalListItemFactory *factory,
                    GtkListItem              *item)
{
  gtk_label_set_label (GTK_LABEL (gtk_list_item_get_child (item)),
                       gtk_string_object_get_string (gtk_list_item_get_item (item)));
}

/* A token drop-down's button ellipsizes a long token rather than widen
 * the pane (it must fit 340 px); its list shows every token whole. */
static void
set_token_factories (GtkDropDown *drop)
{
  for (int list = 0; list < 2; list++)
    {
      g_autoptr(GtkListItemFactory) factory = gtk_signal_list_item_factory_new ();

      g_signal_connect (factory, "setup", G_CALLBACK (token_item_setup_cb), GINT_TO_POINTER (!list));
      g_signal_connect (factory, "bind", G_CALLBACK (token_item_bind_cb), NULL);
      if (list)
        gtk_drop_down_set_list_factory (drop, factory);
      else
        gtk_drop_down_set_factory (drop, factory);
    }
}

static void
attn_walkthrough_init (AttnWalkthrough *self)
{
  for (int t = 0; t < ATTN_SANDBOX_N_TOKENS; t++)
    memcpy (self->embeddings[t], attn_sandbox_default_embedding (t), sizeof self->embeddings[t]);

  gtk_widget_init_template (GTK_WIDGET (self));

  self->document_signals = g_signal_group_new (ATTN_TYPE_DOCUMENT);
  g_signal_group_connect_swapped (self->document_signals, "notify::result", G_CALLBACK (document_changed_cb), self);
  g_signal_group_connect_swapped (self->document_signals, "notify::engine", G_CALLBACK (document_changed_cb), self);
  g_signal_group_connect_swapped (self->document_signals, "notify::layer", G_CALLBACK (document_changed_cb), self);
  g_signal_group_connect_swapped (self->document_signals, "notify::head", G_CALLBACK (document_changed_cb), self);
  g_signal_group_connect_swapped (self->document_signals, "notify::query", G_CALLBACK (document_changed_cb), self);
  g_signal_group_connect_swapped (self->document_signals, "notify::key", G_CALLBACK (document_changed_cb), self);
  g_signal_group_connect_swapped (self->document_signals, "notify::merge-words", G_CALLBACK (document_changed_cb), self);

  set_token_factories (self->query_drop);
  set_token_factories (self->key_drop);
  _attn_walkthrough_build_sandbox (self);
  build_stepper (self);
  add_shortcuts (self);
  _attn_walkthrough_recompute (self);
}

GtkWidget *
attn_walkthrough_new (void)
{
  return g_object_new (ATTN_TYPE_WALKTHROUGH, NULL);
}

AttnDocument *
attn_walkthrough_get_document (AttnWalkthrough *self)
{
  g_return_val_if_fail (ATTN_IS_WALKTHROUGH (self), NULL);

  return self->document;
}

void
attn_walkthrough_set_document (AttnWalkthrough *self,
                               AttnDocument    *document)
{
  g_return_if_fail (ATTN_IS_WALKTHROUGH (self));
  g_return_if_fail (document == NULL || ATTN_IS_DOCUMENT (document));

  if (!g_set_object (&self->document, document))
    return;

  g_signal_group_set_target (self->document_signals, document);
  _attn_walkthrough_recompute (self);
  g_object_notify_by_pspec (G_OBJECT (self), properties [PROP_DOCUMENT]);
}

int
attn_walkthrough_get_step (AttnWalkthrough *self)
{
  g_return_val_if_fail (ATTN_IS_WALKTHROUGH (self), 0);

  return self->step;
}

void
attn_walkthrough_set_step (AttnWalkthrough *self,
                           int              step)
{
  g_return_if_fail (ATTN_IS_WALKTHROUGH (self));

  step = CLAMP (step, 0, ATTN_STEP_COUNT - 1);
  /* an encoder's walkthrough steps over the mask, either way */
  if (step == ATTN_STEP_MASK && skips_mask (self))
    step = step < self->step ? ATTN_STEP_SCALE : ATTN_STEP_SOFTMAX;
  if (step == self->step)
    return;

  self->step = step;
  show_step (self);
  g_object_notify_by_pspec (G_OBJECT (self), properties [PROP_STEP]);
}

gboolean
attn_walkthrough_get_sandbox (AttnWalkthrough *self)
{
  g_return_val_if_fail (ATTN_IS_WALKTHROUGH (self), FALSE);

  return g_strcmp0 (gtk_stack_get_visible_child_name (self->mode_stack), "sandbox") == 0;
}

void
attn_walkthrough_set_sandbox (AttnWalkthrough *self,
                              gboolean         sandbox)
{
  g_return_if_fail (ATTN_IS_WALKTHROUGH (self));

  /* mode_changed_cb recomputes and notifies */
  gtk_stack_set_visible_child_name (self->mode_stack, sandbox ? "sandbox" : "model");
}

gboolean
_attn_walkthrough_is_computing (AttnWalkthrough *self)
{
  g_return_val_if_fail (ATTN_IS_WALKTHROUGH (self), FALSE);

  return self->steps_cancellable != NULL;
}

const AttnSteps *
_attn_walkthrough_get_steps (AttnWalkthrough *self)
{
  g_return_val_if_fail (ATTN_IS_WALKTHROUGH (self), NULL);

  return self->steps;
}

GtkWidget *
_attn_walkthrough_get_button (AttnWalkthrough *self,
                              gboolean         next)
{
  g_return_val_if_fail (ATTN_IS_WALKTHROUGH (self), NULL);

  return next ? self->next_button : self->back_button;
}
