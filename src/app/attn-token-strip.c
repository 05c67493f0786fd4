/* attn-token-strip.c
 *
 * Copyright 2026 The Attention authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The token strip as a widget: its state, following the document (a new
 * result, the query), its properties and public calls.  Geometry, drawing,
 * words and input are in attn-token-strip-{layout,draw,text,input}.c.
 */

#define G_LOG_DOMAIN "attn-token-strip"

#include "config.h"

#include "attn-attention-view.h"
#include "attn-predictions.h"
#include "attn-scrollable.h"
#include "attn-tint.h"
#include "attn-token-strip-private.h"

static void attn_token_strip_scrollable_init (GtkScrollableInterface *iface);

G_DEFINE_FINAL_TYPE_WITH_CODE (AttnTokenStrip, attn_token_strip, GTK_TYPE_WIDGET,
                               G_IMPLEMENT_INTERFACE (GTK_TYPE_SCROLLABLE,
                               attn_token_strip_scrollable_init))

enum {
  PROP_0,
  PROP_DOCUMENT,              /* installed by _attn_document_link_install () */
  PROP_SHOWS_PROBABILITIES,
  N_PROPS,

  /* GtkScrollable */
  PROP_HADJUSTMENT = N_PROPS,
  PROP_VADJUSTMENT,
  PROP_HSCROLL_POLICY,
  PROP_VSCROLL_POLICY,
};

static GParamSpec *properties [N_PROPS];
static GObjectGetPropertyFunc link_get_property;
static GObjectSetPropertyFunc link_set_property;

static void
attn_token_strip_scrollable_init (GtkScrollableInterface *iface)
{
}

static void
clear_tokens (AttnTokenStrip *self)
{
  _attn_token_strip_clear_layouts (self);
  g_clear_pointer (&self->layouts, g_free);
  g_clear_pointer (&self->texts, g_strfreev);
  _attn_token_lines_clear (&self->lines);
}

AttnTokenState
_attn_token_strip_token_state (AttnTokenStrip *self,
                               guint           index)
{
  const AttnTokenPill *token = &self->lines.pills[index];
  AttnTokenState state = 0;

  if (token->piece)
    state |= ATTN_TOKEN_PIECE;
  if (token->special)
    state |= ATTN_TOKEN_SPECIAL;
  if ((int) index == self->selected)
    state |= ATTN_TOKEN_SELECTED;
  if ((int) index == self->cursor)
    state |= ATTN_TOKEN_CURSOR;
  if (self->link.document != NULL && attn_document_get_view_query (self->link.document) >= 0)
    state |= _attn_tint_get_weight (self->link.document, index, NULL) ? ATTN_TOKEN_TINTED : ATTN_TOKEN_MASKED;

  return state;
}

AttnResult *
_attn_token_strip_get_result (AttnTokenStrip *self)
{
  /* Words while word pieces are merged (attn-document.h). */
  return self->link.document != NULL ? attn_document_get_view_result (self->link.document) : NULL;
}

static void
update_selection (AttnTokenStrip *self)
{
  int query = self->link.document ? attn_document_get_view_query (self->link.document) : -1;

  if (query >= (int) self->lines.n)
    query = -1;

  self->selected = query;
  if (query >= 0)
    {
      self->cursor = query;
      /* the query, chosen anywhere, comes into view here too */
      _attn_token_strip_scroll_to_token (self, query);
    }
  else if (self->cursor < 0 || self->cursor >= (int) self->lines.n)
    self->cursor = self->lines.n > 0 ? 0 : -1;

  _attn_token_strip_update_accessible (self);
  gtk_widget_queue_draw (GTK_WIDGET (self));
}

/* Bars when the result predicts and reads left to right: a token's
 * probability after the ones before it means nothing to an encoder. */
static gboolean
wants_bars (AttnResult *result)
{
  return result != NULL && attn_result_get_token_logprobs (result) != NULL &&
         !attn_result_is_bidirectional (result);
}

static gboolean
same_tokens (AttnTokenStrip *self,
             AttnResult     *result)
{
  const char * const *texts = result ? attn_result_get_token_texts (result) : NULL;

  if (texts == NULL || self->texts == NULL)
    return texts == NULL && self->texts == NULL;

  return g_strv_equal ((const char * const *) self->texts, texts);
}

static void
update_tokens (AttnTokenStrip *self)
{
  AttnResult *result = _attn_token_strip_get_result (self);
  gboolean bars = wants_bars (result);
  int masks_height = _attn_token_strip_masks_height (self);

  if (bars != self->bars)
    {
      self->bars = bars;
      gtk_widget_queue_resize (GTK_WIDGET (self));
      g_object_notify_by_pspec (G_OBJECT (self), properties [PROP_SHOWS_PROBABILITIES]);
    }

  /* The same tokens (another head switched off, the same text again):
   * only the selection, the tints and the bars change. */
  if (same_tokens (self, result))
    {
      /* the same text in another model may have a masked-LM head or not */
      _attn_token_strip_update_masks (self);
      if (_attn_token_strip_masks_height (self) != masks_height)
        gtk_widget_queue_resize (GTK_WIDGET (self));
      update_selection (self);
      return;
    }

  clear_tokens (self);
  self->selected = -1;
  self->cursor = -1;
  self->hover = -1;
  self->scroll_to = -1;

  if (result != NULL)
    {
      _attn_token_lines_set_result (&self->lines, result);
      self->texts = g_strdupv ((char **) attn_result_get_token_texts (result));
      self->layouts = g_new0 (PangoLayout *, MAX (self->lines.n, 1));
      _attn_token_strip_measure_tokens (self);
    }
  _attn_token_strip_update_masks (self);

  /* The scroll position stays (typing changes the text a little), within
   * the new lines (size_allocate clamps it). */
  update_selection (self);
  gtk_widget_queue_resize (GTK_WIDGET (self));
}

static void
set_adjustment (AttnTokenStrip  *self,
                GtkAdjustment  **slot,
                GtkAdjustment   *adjustment)
{
  _attn_scrollable_set_adjustment (GTK_WIDGET (self), slot, adjustment,
                                   G_CALLBACK (_attn_token_strip_adjustment_changed));
}

static void
attn_token_strip_get_property (GObject    *object,
                               guint       prop_id,
                               GValue     *value,
                               GParamSpec *pspec)
{
  AttnTokenStrip *self = ATTN_TOKEN_STRIP (object);

  switch (prop_id)
    {
    case PROP_SHOWS_PROBABILITIES:
      g_value_set_boolean (value, self->bars);
      break;
    case PROP_HADJUSTMENT:
      g_value_set_object (value, self->hadjustment);
      break;
    case PROP_VADJUSTMENT:
      g_value_set_object (value, self->vadjustment);
      break;
    case PROP_HSCROLL_POLICY:
      g_value_set_enum (value, self->hscroll_policy);
      break;
    case PROP_VSCROLL_POLICY:
      g_value_set_enum (value, self->vscroll_policy);
      break;
    default:
      link_get_property (object, prop_id, value, pspec);
    }
}

static void
attn_token_strip_set_property (GObject      *object,
                               guint         prop_id,
                               const GValue *value,
                               GParamSpec   *pspec)
{
  AttnTokenStrip *self = ATTN_TOKEN_STRIP (object);

  switch (prop_id)
    {
    case PROP_HADJUSTMENT:
      set_adjustment (self, &self->hadjustment, g_value_get_object (value));
      break;
    case PROP_VADJUSTMENT:
      set_adjustment (self, &self->vadjustment, g_value_get_object (value));
      break;
    case PROP_HSCROLL_POLICY:
      self->hscroll_policy = g_value_get_enum (value);
      break;
    case PROP_VSCROLL_POLICY:
      self->vscroll_policy = g_value_get_enum (value);
      break;
    default:
      link_set_property (object, prop_id, value, pspec);
    }
}

static void
attn_token_strip_dispose (GObject *object)
{
  AttnTokenStrip *self = (AttnTokenStrip *)object;
  GtkWidget *child;

  _attn_document_link_clear (&self->link);
  /* the context menu, open or on its way out */
  self->popover = NULL;
  while ((child = gtk_widget_get_first_child (GTK_WIDGET (self))) != NULL)
    gtk_widget_unparent (child);

  G_OBJECT_CLASS (attn_token_strip_parent_class)->dispose (object);
}

static void
attn_token_strip_finalize (GObject *object)
{
  AttnTokenStrip *self = (AttnTokenStrip *)object;

  clear_tokens (self);
  g_clear_pointer (&self->masks, g_array_unref);
  _attn_scrollable_clear_adjustment (GTK_WIDGET (self), &self->hadjustment,
                                     G_CALLBACK (_attn_token_strip_adjustment_changed));
  _attn_scrollable_clear_adjustment (GTK_WIDGET (self), &self->vadjustment,
                                     G_CALLBACK (_attn_token_strip_adjustment_changed));

  G_OBJECT_CLASS (attn_token_strip_parent_class)->finalize (object);
}

static void
attn_token_strip_class_init (AttnTokenStripClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = attn_token_strip_dispose;
  object_class->finalize = attn_token_strip_finalize;

  widget_class->get_request_mode = _attn_token_strip_get_request_mode;
  widget_class->measure = _attn_token_strip_measure;
  widget_class->size_allocate = _attn_token_strip_size_allocate;
  widget_class->snapshot = _attn_token_strip_snapshot;
  widget_class->css_changed = _attn_token_strip_css_changed;
  widget_class->query_tooltip = _attn_token_strip_query_tooltip;

  /* "document" comes from the link; the strip's own properties and the
   * scrollable's are handled here, the rest passed on to it. */
  _attn_document_link_install (object_class, G_STRUCT_OFFSET (AttnTokenStrip, link),
                               G_CALLBACK (attn_token_strip_set_document));
  link_get_property = object_class->get_property;
  link_set_property = object_class->set_property;
  object_class->get_property = attn_token_strip_get_property;
  object_class->set_property = attn_token_strip_set_property;

  properties [PROP_SHOWS_PROBABILITIES] =
    g_param_spec_boolean ("shows-probabilities", NULL, NULL, FALSE,
                          (G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS));
  g_object_class_install_property (object_class, PROP_SHOWS_PROBABILITIES,
                                   properties [PROP_SHOWS_PROBABILITIES]);
  g_object_class_override_property (object_class, PROP_HADJUSTMENT, "hadjustment");
  g_object_class_override_property (object_class, PROP_VADJUSTMENT, "vadjustment");
  g_object_class_override_property (object_class, PROP_HSCROLL_POLICY, "hscroll-policy");
  g_object_class_override_property (object_class, PROP_VSCROLL_POLICY, "vscroll-policy");

  gtk_widget_class_set_css_name (widget_class, "attntokenstrip");
  gtk_widget_class_set_accessible_role (widget_class, GTK_ACCESSIBLE_ROLE_GROUP);
}

static void
attn_token_strip_init (AttnTokenStrip *self)
{
  self->selected = -1;
  self->cursor = -1;
  self->hover = -1;
  self->scroll_to = -1;
  self->lines.width = -1;
  self->colormap = ATTN_COLORMAP_VIRIDIS;
  self->scale = ATTN_SCALE_LINEAR;
  set_adjustment (self, &self->hadjustment, NULL);
  set_adjustment (self, &self->vadjustment, NULL);

  gtk_widget_set_focusable (GTK_WIDGET (self), TRUE);
  gtk_widget_set_focus_on_click (GTK_WIDGET (self), TRUE);
  /* The focus ring is drawn here, not by CSS, so gaining or losing the
   * (visible) focus changes no style and would redraw nothing. */
  g_signal_connect (self, "state-flags-changed", G_CALLBACK (gtk_widget_queue_draw), NULL);
  gtk_widget_set_has_tooltip (GTK_WIDGET (self), TRUE);
  gtk_widget_set_overflow (GTK_WIDGET (self), GTK_OVERFLOW_HIDDEN);

  _attn_token_strip_init_input (self);

  _attn_document_link_init (&self->link, self,
                            "notify::view-result", G_CALLBACK (update_tokens),
                            "notify::query", G_CALLBACK (update_selection),
                            "notify::layer", G_CALLBACK (gtk_widget_queue_draw),
                            "notify::head", G_CALLBACK (gtk_widget_queue_draw),
                            "notify::pair-filter", G_CALLBACK (gtk_widget_queue_draw),
                            NULL);

  _attn_token_strip_update_accessible (self);
}

GtkWidget *
attn_token_strip_new (void)
{
  return g_object_new (ATTN_TYPE_TOKEN_STRIP, NULL);
}

AttnDocument *
attn_token_strip_get_document (AttnTokenStrip *self)
{
  g_return_val_if_fail (ATTN_IS_TOKEN_STRIP (self), NULL);
  return self->link.document;
}

void
attn_token_strip_set_document (AttnTokenStrip *self,
                               AttnDocument   *document)
{
  g_return_if_fail (ATTN_IS_TOKEN_STRIP (self));
  g_return_if_fail (!document || ATTN_IS_DOCUMENT (document));

  if (!_attn_document_link_set (&self->link, self, document))
    return;

  update_tokens (self);
}

void
attn_token_strip_set_colormap (AttnTokenStrip *self,
                               AttnColormap    colormap,
                               AttnScale       scale)
{
  g_return_if_fail (ATTN_IS_TOKEN_STRIP (self));

  self->colormap = colormap;
  self->scale = scale;
  gtk_widget_queue_draw (GTK_WIDGET (self));
}

guint
attn_token_strip_get_n_tokens (AttnTokenStrip *self)
{
  g_return_val_if_fail (ATTN_IS_TOKEN_STRIP (self), 0);
  return self->lines.n;
}

AttnTokenState
attn_token_strip_get_state (AttnTokenStrip *self,
                            guint           index)
{
  g_return_val_if_fail (ATTN_IS_TOKEN_STRIP (self), 0);
  g_return_val_if_fail (index < self->lines.n, 0);
  return _attn_token_strip_token_state (self, index);
}

const char *
attn_token_strip_get_label (AttnTokenStrip *self,
                            guint           index)
{
  g_return_val_if_fail (ATTN_IS_TOKEN_STRIP (self), NULL);
  return index < self->lines.n ? self->lines.pills[index].label : NULL;
}

void
attn_token_strip_activate (AttnTokenStrip *self,
                           guint           index)
{
  g_return_if_fail (ATTN_IS_TOKEN_STRIP (self));

  if (self->link.document == NULL || index >= self->lines.n)
    return;

  self->cursor = (int) index;
  _attn_token_strip_scroll_to_token (self, (int) index);
  _attn_select_query (self->link.document, index);
  gtk_widget_queue_draw (GTK_WIDGET (self));
}

gboolean
attn_token_strip_get_token_area (AttnTokenStrip  *self,
                                 guint            index,
                                 graphene_rect_t *area)
{
  graphene_rect_t rect;
  double value;

  g_return_val_if_fail (ATTN_IS_TOKEN_STRIP (self), FALSE);

  if (!_attn_token_strip_laid_out (self) || index >= self->lines.n)
    return FALSE;

  _attn_token_strip_token_rect (self, index, &rect);
  value = _attn_token_strip_scroll_value (self);
  rect.origin.y -= value;
  if (area != NULL)
    *area = rect;
  return rect.origin.y + rect.size.height > 0 && rect.origin.y < gtk_widget_get_height (GTK_WIDGET (self));
}

gboolean
attn_token_strip_get_shows_probabilities (AttnTokenStrip *self)
{
  g_return_val_if_fail (ATTN_IS_TOKEN_STRIP (self), FALSE);
  return self->bars;
}

guint
_attn_token_strip_get_n_draws (AttnTokenStrip *self,
                               guint          *n_drawn)
{
  g_return_val_if_fail (ATTN_IS_TOKEN_STRIP (self), 0);

  if (n_drawn != NULL)
    *n_drawn = self->n_drawn;
  return self->n_draws;
}

GtkWidgetClass *
_attn_token_strip_parent_class (void)
{
  return GTK_WIDGET_CLASS (attn_token_strip_parent_class);
}
