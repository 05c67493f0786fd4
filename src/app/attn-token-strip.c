/* attn-token-strip.c
 *
 * Copyright 2026 The Attention authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "attn-token-strip"

#include "config.h"

#include <glib/gi18n.h>
#include <string.h>

#include "attn-attention-view.h"
#include "attn-document-link.h"
#include "attn-tint.h"
#include "attn-token-strip.h"
#include "attn-words.h"

#define ROW_SPACING 4

struct _AttnTokenStrip
{
  GtkWidget     parent_instance;

  AttnDocumentLink  link;             /* the document shown, its signals */
  GPtrArray    *buttons;           /* borrowed children, in token order */
  GStrv         texts;             /* owned; the tokens the buttons show */
  int           selected;
  int           cursor;            /* the one focusable button (roving focus) */
  int           last_width;        /* the width of the last allocation */
  AttnColormap  colormap;
  AttnScale     scale;
};

G_DEFINE_FINAL_TYPE (AttnTokenStrip, attn_token_strip, GTK_TYPE_WIDGET)

/* Lays the children out like words in a paragraph, wrapping at @width;
 * with @allocate FALSE it only measures.  Returns the height used. */
static int
flow (AttnTokenStrip *self,
      int             width,
      gboolean        allocate)
{
  int x = 0, y = 0, line_height = 0;

  for (GtkWidget *child = gtk_widget_get_first_child (GTK_WIDGET (self));
       child != NULL;
       child = gtk_widget_get_next_sibling (child))
    {
      int child_width, child_height;

      if (!gtk_widget_should_layout (child))
        continue;

      gtk_widget_measure (child, GTK_ORIENTATION_HORIZONTAL, -1, NULL, &child_width, NULL, NULL);
      gtk_widget_measure (child, GTK_ORIENTATION_VERTICAL, -1, NULL, &child_height, NULL, NULL);
      child_width = MIN (child_width, MAX (width, 1));

      if (x > 0 && x + child_width > width)
        {
          x = 0;
          y += line_height + ROW_SPACING;
          line_height = 0;
        }

      if (allocate)
        gtk_widget_size_allocate (child,
                                  &(GtkAllocation) { x, y, child_width, child_height }, -1);

      x += child_width;
      line_height = MAX (line_height, child_height);
    }

  return y + line_height;
}

static GtkSizeRequestMode
attn_token_strip_get_request_mode (GtkWidget *widget)
{
  return GTK_SIZE_REQUEST_HEIGHT_FOR_WIDTH;
}

static void
attn_token_strip_measure (GtkWidget      *widget,
                          GtkOrientation  orientation,
                          int             for_size,
                          int            *minimum,
                          int            *natural,
                          int            *minimum_baseline,
                          int            *natural_baseline)
{
  AttnTokenStrip *self = ATTN_TOKEN_STRIP (widget);

  if (orientation == GTK_ORIENTATION_HORIZONTAL)
    {
      *minimum = 0;
      *natural = 0;
      for (GtkWidget *child = gtk_widget_get_first_child (widget);
           child != NULL;
           child = gtk_widget_get_next_sibling (child))
        {
          int child_min, child_nat;

          gtk_widget_measure (child, orientation, -1, &child_min, &child_nat, NULL, NULL);
          *minimum = MAX (*minimum, MIN (child_min, 120));
          *natural += child_nat;
        }
    }
  else
    {
      /* A scrolled window's viewport asks for the height without a width:
       * answer for the width the strip has now. */
      if (for_size < 0)
        for_size = self->last_width > 0 ? self->last_width : G_MAXINT / 2;
      *minimum = *natural = flow (self, for_size, FALSE);
    }
}

static void
attn_token_strip_size_allocate (GtkWidget *widget,
                                int        width,
                                int        height,
                                int        baseline)
{
  AttnTokenStrip *self = ATTN_TOKEN_STRIP (widget);

  flow (self, width, TRUE);

  if (self->last_width != width)
    {
      self->last_width = width;
      gtk_widget_queue_resize (widget);
    }
}

static void
token_clicked_cb (AttnTokenStrip *self,
                  GtkButton      *button)
{
  guint index;

  if (self->link.document == NULL || !g_ptr_array_find (self->buttons, button, &index))
    return;

  _attn_select_query (self->link.document, index);
}

/* The renderer's label (" cat" → "·cat", "\n" → "↵", "\r" → "␍", other
 * control characters → U+FFFD), so strip, heatmap and exports show a token
 * the same way; the stand-in symbols are drawn quiet. */
static char *
dup_token_markup (const char *text)
{
  g_autofree char *label = attn_render_dup_token_label (text);
  g_autoptr(GString) markup = g_string_new (NULL);

  for (const char *p = label; *p != '\0'; p = g_utf8_next_char (p))
    {
      gunichar c = g_utf8_get_char (p);
      g_autofree char *escaped = g_markup_escape_text (p, g_utf8_next_char (p) - p);

      if (c == 0x00B7 || c == 0x21B5 || c == 0x21E5 || c == 0x240D || c == 0xFFFD || c == 0x2205)
        g_string_append_printf (markup, "<span alpha=\"45%%\">%s</span>", escaped);
      else
        g_string_append (markup, escaped);
    }

  return g_string_free (g_steal_pointer (&markup), FALSE);
}

/* A piece continues the text of the token before it, with no space in
 * between: "mat" + "." or "tro" + "phy" (the rule of merged words). */
static gboolean
is_piece (AttnResult *result,
          guint       index)
{
  guint part_start;

  /* The later bytes of a character split over several tokens. */
  if (attn_result_get_token_part (result, index, &part_start, NULL, NULL) && part_start > 0)
    return TRUE;
  return attn_words_token_continues (result, index);
}

static GtkWidget *
make_button (AttnResult *result,
             guint       index)
{
  const char *text = attn_result_get_token_text (result, index);
  g_autofree char *markup = dup_token_markup (text);
  g_autofree char *tooltip = NULL;
  g_autofree char *accessible = NULL;
  g_autofree char *stripped = g_strstrip (g_strdup (text));
  GtkWidget *label;
  GtkWidget *button;
  gsize start, end;
  guint part_start, part_end, n_bytes;
  gboolean part = attn_result_get_token_part (result, index, &part_start, &part_end, &n_bytes);

  /* The pieces of one character all show it; after the first, quietly, so
   * "日" split in three reads as one character, not three. */
  if (part && part_start > 0)
    {
      char *quiet = g_strdup_printf ("<span alpha=\"45%%\">%s</span>", markup);

      g_free (markup);
      markup = quiet;
    }

  label = gtk_label_new (NULL);
  gtk_label_set_markup (GTK_LABEL (label), markup);
  gtk_label_set_ellipsize (GTK_LABEL (label), PANGO_ELLIPSIZE_END);

  button = gtk_button_new ();
  gtk_button_set_child (GTK_BUTTON (button), label);
  gtk_widget_add_css_class (button, "token");
  if (is_piece (result, index))
    gtk_widget_add_css_class (button, "piece");

  attn_result_get_token_span (result, index, &start, &end);
  if (start == end && index == 0)
    gtk_widget_add_css_class (button, "special");

  /* Translators: tooltip of a token button: position, token text, vocabulary id */
  tooltip = g_strdup_printf (_("Token %u: “%s” (id %d)"), index, text,
                             attn_result_get_token_id (result, index));
  if (start == end && index == 0)
    {
      /* Why so many heads look here: the learner's first question. */
      char *why = g_strconcat (tooltip, "\n",
                               _("The start token: every token can see it, so a head with nothing "
                                 "useful to look at parks its attention here (an attention sink)."),
                               NULL);

      g_free (tooltip);
      tooltip = why;
    }
  if (part)
    {
      char *with_part;

      if (part_end - part_start == 1)
        /* Translators: tooltip line of a token that is one byte of a
         * character (byte-level and byte-fallback tokenizers split rare
         * characters into bytes): byte number, bytes in all, the character */
        with_part = g_strdup_printf (_("%s\nOnly part of a character: byte %u of the %u bytes of “%s”"),
                                     tooltip, part_start + 1, n_bytes, text);
      else
        /* Translators: as above, for several bytes: first, last, in all, the character */
        with_part = g_strdup_printf (_("%s\nOnly part of a character: bytes %u–%u of the %u bytes of “%s”"),
                                     tooltip, part_start + 1, part_end, n_bytes, text);
      g_free (tooltip);
      tooltip = with_part;
    }
  gtk_widget_set_tooltip_text (button, tooltip);
  /* update_tint () appends the weights to this. */
  g_object_set_data_full (G_OBJECT (button), "attn-base-tooltip", g_steal_pointer (&tooltip), g_free);

  /* One focus stop for the whole strip: only the cursor's button takes
   * focus (set_cursor), arrows move it. */
  gtk_widget_set_focusable (button, FALSE);

  /* Translators: accessible name of a token button */
  accessible = g_strdup_printf (_("Token %u: %s"), index, stripped[0] ? stripped : _("space"));
  gtk_accessible_update_property (GTK_ACCESSIBLE (button),
                                  GTK_ACCESSIBLE_PROPERTY_LABEL, accessible,
                                  -1);

  return button;
}

/* Each token tinted by the weight the query gives it, its tooltip with
 * the weight both ways; plain again without a query. */
static void
update_tint (AttnTokenStrip *self)
{
  for (guint i = 0; i < self->buttons->len; i++)
    {
      GtkWidget *button = g_ptr_array_index (self->buttons, i);
      const char *base = g_object_get_data (G_OBJECT (button), "attn-base-tooltip");
      g_autofree char *weights = NULL;
      g_autofree char *tooltip = NULL;
      double w;
      AttnRgba fg;

      gtk_widget_remove_css_class (button, "tinted");
      gtk_widget_remove_css_class (button, "tint-dark");
      gtk_widget_remove_css_class (button, "tint-light");
      gtk_widget_remove_css_class (button, "masked");

      if (self->link.document != NULL && attn_document_get_query (self->link.document) >= 0)
        {
          if (_attn_tint_get_weight (self->link.document, i, &w))
            {
              _attn_tint_get_colors (self->colormap, self->scale, w, NULL, &fg);
              gtk_widget_add_css_class (button, "tinted");
              gtk_widget_add_css_class (button, fg.r > 0.5 ? "tint-dark" : "tint-light");
            }
          else
            gtk_widget_add_css_class (button, "masked");
          weights = _attn_tint_dup_tooltip (self->link.document, i);
        }

      tooltip = weights ? g_strconcat (base, "\n", weights, NULL) : g_strdup (base);
      gtk_widget_set_tooltip_text (button, tooltip);
    }

  gtk_widget_queue_draw (GTK_WIDGET (self));
}

/* Moves the one focusable button to @index (clamped). */
static void
set_cursor (AttnTokenStrip *self,
            int             index)
{
  if (self->buttons->len == 0)
    {
      self->cursor = -1;
      return;
    }

  index = CLAMP (index, 0, (int) self->buttons->len - 1);
  if (self->cursor >= 0 && self->cursor < (int) self->buttons->len && self->cursor != index)
    gtk_widget_set_focusable (g_ptr_array_index (self->buttons, self->cursor), FALSE);
  self->cursor = index;
  gtk_widget_set_focusable (g_ptr_array_index (self->buttons, index), TRUE);
}

static void
update_selection (AttnTokenStrip *self)
{
  int query = self->link.document ? attn_document_get_query (self->link.document) : -1;
  GtkRoot *root;
  GtkWidget *focus;
  gboolean had_focus;

  if (query >= (int) self->buttons->len)
    query = -1;

  /* Keyboard users moving the query stay on the selected token. */
  root = gtk_widget_get_root (GTK_WIDGET (self));
  focus = root != NULL ? gtk_root_get_focus (root) : NULL;
  had_focus = focus != NULL && gtk_widget_is_ancestor (focus, GTK_WIDGET (self));

  if (self->selected >= 0 && self->selected < (int) self->buttons->len)
    {
      GtkWidget *old = g_ptr_array_index (self->buttons, self->selected);

      gtk_widget_remove_css_class (old, "selected");
      gtk_accessible_update_state (GTK_ACCESSIBLE (old), GTK_ACCESSIBLE_STATE_PRESSED,
                                   GTK_ACCESSIBLE_TRISTATE_FALSE, -1);
    }

  self->selected = query;

  if (query >= 0)
    {
      GtkWidget *button = g_ptr_array_index (self->buttons, query);

      gtk_widget_add_css_class (button, "selected");
      gtk_accessible_update_state (GTK_ACCESSIBLE (button), GTK_ACCESSIBLE_STATE_PRESSED,
                                   GTK_ACCESSIBLE_TRISTATE_TRUE, -1);
      set_cursor (self, query);
      if (had_focus)
        gtk_widget_grab_focus (button);
    }
  else if (self->cursor < 0 || self->cursor >= (int) self->buttons->len)
    set_cursor (self, 0);

  update_tint (self);
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
  AttnResult *result = self->link.document ? attn_document_get_result (self->link.document) : NULL;
  GtkWidget *child;

  if (same_tokens (self, result))
    {
      update_selection (self);
      return;
    }

  while ((child = gtk_widget_get_first_child (GTK_WIDGET (self))) != NULL)
    gtk_widget_unparent (child);
  g_ptr_array_set_size (self->buttons, 0);
  g_clear_pointer (&self->texts, g_strfreev);
  self->selected = -1;
  self->cursor = -1;

  if (result != NULL)
    {
      guint n_tokens = attn_result_get_n_tokens (result);

      self->texts = g_strdupv ((char **) attn_result_get_token_texts (result));

      for (guint i = 0; i < n_tokens; i++)
        {
          GtkWidget *button = make_button (result, i);

          g_signal_connect_swapped (button, "clicked", G_CALLBACK (token_clicked_cb), self);
          gtk_widget_set_parent (button, GTK_WIDGET (self));
          g_ptr_array_add (self->buttons, button);
        }
    }

  update_selection (self);
  gtk_widget_queue_resize (GTK_WIDGET (self));
}

/* The tints under the buttons (which are transparent while tinted), then
 * the buttons. */
static void
attn_token_strip_snapshot (GtkWidget   *widget,
                           GtkSnapshot *snapshot)
{
  AttnTokenStrip *self = ATTN_TOKEN_STRIP (widget);

  for (guint i = 0; i < self->buttons->len; i++)
    {
      GtkWidget *button = g_ptr_array_index (self->buttons, i);
      graphene_rect_t bounds;
      GskRoundedRect rounded;
      AttnRgba bg;
      double w;

      if (!gtk_widget_has_css_class (button, "tinted") ||
          !_attn_tint_get_weight (self->link.document, i, &w) ||
          !gtk_widget_compute_bounds (button, widget, &bounds))
        continue;

      _attn_tint_get_colors (self->colormap, self->scale, w, &bg, NULL);
      gsk_rounded_rect_init_from_rect (&rounded, &bounds, 6);
      gtk_snapshot_push_rounded_clip (snapshot, &rounded);
      gtk_snapshot_append_color (snapshot, &(GdkRGBA) { bg.r, bg.g, bg.b, 1 }, &bounds);
      gtk_snapshot_pop (snapshot);
    }

  for (GtkWidget *child = gtk_widget_get_first_child (widget);
       child != NULL;
       child = gtk_widget_get_next_sibling (child))
    gtk_widget_snapshot_child (widget, child, snapshot);
}

/* The index of the next (@direction 1) or previous (-1) word start from
 * @from: a token that is no piece of the one before it. */
static int
word_start (AttnTokenStrip *self,
            int             from,
            int             direction)
{
  int n = (int) self->buttons->len;
  int i = from + direction;

  for (; i > 0 && i < n; i += direction)
    if (!gtk_widget_has_css_class (g_ptr_array_index (self->buttons, i), "piece"))
      return i;
  return CLAMP (i, 0, n - 1);
}

/* Arrows, Home and End move the query within the strip; Ctrl+arrows by
 * word.  Tab leaves the strip, which is one focus stop. */
static gboolean
key_pressed_cb (AttnTokenStrip        *self,
                guint                  keyval,
                guint                  keycode,
                GdkModifierType        state,
                GtkEventControllerKey *controller)
{
  int n = (int) self->buttons->len;
  int from = self->cursor >= 0 ? self->cursor : 0;
  gboolean ctrl = (state & GDK_CONTROL_MASK) != 0;
  gboolean rtl = gtk_widget_get_direction (GTK_WIDGET (self)) == GTK_TEXT_DIR_RTL;
  int to;

  if (n == 0 || self->link.document == NULL || (state & (GDK_ALT_MASK | GDK_SHIFT_MASK)) != 0)
    return FALSE;

  switch (keyval)
    {
    case GDK_KEY_Left:
    case GDK_KEY_KP_Left:
    case GDK_KEY_Right:
    case GDK_KEY_KP_Right:
      {
        int direction = (keyval == GDK_KEY_Right || keyval == GDK_KEY_KP_Right) ? 1 : -1;

        if (rtl)
          direction = -direction;
        to = ctrl ? word_start (self, from, direction) : from + direction;
      }
      break;
    case GDK_KEY_Home:
    case GDK_KEY_KP_Home:
      to = 0;
      break;
    case GDK_KEY_End:
    case GDK_KEY_KP_End:
      to = n - 1;
      break;
    default:
      return FALSE;
    }

  to = CLAMP (to, 0, n - 1);
  set_cursor (self, to);
  gtk_widget_grab_focus (g_ptr_array_index (self->buttons, to));
  _attn_select_query (self->link.document, to);
  return TRUE;
}

static void
unparent_later_cb (gpointer data)
{
  GtkWidget *popover = data;

  if (gtk_widget_get_parent (popover) != NULL)
    gtk_widget_unparent (popover);
  g_object_unref (popover);
}

/* After the menu item has run: the popover goes with the idle. */
static void
popover_closed_cb (GtkWidget *popover)
{
  g_idle_add_once (unparent_later_cb, g_object_ref (popover));
}

/* A right click on a token offers to hide it from the maps' colours (an
 * attention sink other than the first token). */
static void
context_pressed_cb (AttnTokenStrip  *self,
                    int              n_press,
                    double           x,
                    double           y,
                    GtkGestureClick *gesture)
{
  GtkWidget *picked = gtk_widget_pick (GTK_WIDGET (self), x, y, GTK_PICK_DEFAULT);
  g_autoptr(GMenu) menu = NULL;
  g_autoptr(GMenuItem) item = NULL;
  GtkWidget *popover;
  guint index;

  while (picked != NULL && gtk_widget_get_parent (picked) != GTK_WIDGET (self))
    picked = gtk_widget_get_parent (picked);
  if (picked == NULL || !g_ptr_array_find (self->buttons, picked, &index))
    return;

  menu = g_menu_new ();
  item = g_menu_item_new (_("_Hide or Show in the Maps"), NULL);
  g_menu_item_set_action_and_target_value (item, "win.hide-token", g_variant_new_int32 (index));
  g_menu_append_item (menu, item);
  g_menu_append (menu, _("Show _All Tokens Again"), "win.show-all-tokens");

  popover = gtk_popover_menu_new_from_model (G_MENU_MODEL (menu));
  gtk_widget_set_parent (popover, picked);
  gtk_popover_set_has_arrow (GTK_POPOVER (popover), TRUE);
  g_signal_connect (popover, "closed", G_CALLBACK (popover_closed_cb), NULL);
  gtk_popover_popup (GTK_POPOVER (popover));
  gtk_gesture_set_state (GTK_GESTURE (gesture), GTK_EVENT_SEQUENCE_CLAIMED);
}

static void
attn_token_strip_dispose (GObject *object)
{
  AttnTokenStrip *self = (AttnTokenStrip *)object;
  GtkWidget *child;

  _attn_document_link_clear (&self->link);

  while ((child = gtk_widget_get_first_child (GTK_WIDGET (self))) != NULL)
    gtk_widget_unparent (child);
  if (self->buttons != NULL)
    g_ptr_array_set_size (self->buttons, 0);

  G_OBJECT_CLASS (attn_token_strip_parent_class)->dispose (object);
}

static void
attn_token_strip_finalize (GObject *object)
{
  AttnTokenStrip *self = (AttnTokenStrip *)object;

  g_clear_pointer (&self->buttons, g_ptr_array_unref);
  g_clear_pointer (&self->texts, g_strfreev);

  G_OBJECT_CLASS (attn_token_strip_parent_class)->finalize (object);
}

static void
attn_token_strip_class_init (AttnTokenStripClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = attn_token_strip_dispose;
  object_class->finalize = attn_token_strip_finalize;

  widget_class->get_request_mode = attn_token_strip_get_request_mode;
  widget_class->measure = attn_token_strip_measure;
  widget_class->size_allocate = attn_token_strip_size_allocate;
  widget_class->snapshot = attn_token_strip_snapshot;

  _attn_document_link_install (object_class, G_STRUCT_OFFSET (AttnTokenStrip, link),
                               G_CALLBACK (attn_token_strip_set_document));

  gtk_widget_class_set_css_name (widget_class, "attntokenstrip");
  gtk_widget_class_set_accessible_role (widget_class, GTK_ACCESSIBLE_ROLE_GROUP);
}

static void
attn_token_strip_init (AttnTokenStrip *self)
{
  GtkEventController *keys;
  GtkGesture *context;

  self->buttons = g_ptr_array_new ();
  self->selected = -1;
  self->cursor = -1;
  self->colormap = ATTN_COLORMAP_VIRIDIS;
  self->scale = ATTN_SCALE_LINEAR;

  context = gtk_gesture_click_new ();
  gtk_gesture_single_set_button (GTK_GESTURE_SINGLE (context), GDK_BUTTON_SECONDARY);
  g_signal_connect_object (context, "pressed", G_CALLBACK (context_pressed_cb), self, G_CONNECT_SWAPPED);
  gtk_widget_add_controller (GTK_WIDGET (self), GTK_EVENT_CONTROLLER (context));

  keys = gtk_event_controller_key_new ();
  g_signal_connect_object (keys, "key-pressed", G_CALLBACK (key_pressed_cb), self, G_CONNECT_SWAPPED);
  gtk_widget_add_controller (GTK_WIDGET (self), keys);

  _attn_document_link_init (&self->link, self,
                            "notify::result", G_CALLBACK (update_tokens),
                            "notify::query", G_CALLBACK (update_selection),
                            "notify::layer", G_CALLBACK (update_tint),
                            "notify::head", G_CALLBACK (update_tint),
                            NULL);

  gtk_accessible_update_property (GTK_ACCESSIBLE (self),
                                  GTK_ACCESSIBLE_PROPERTY_LABEL, _("Tokens"),
                                  -1);
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

GtkWidget *
attn_token_strip_get_button (AttnTokenStrip *self,
                             guint           index)
{
  g_return_val_if_fail (ATTN_IS_TOKEN_STRIP (self), NULL);

  if (index >= self->buttons->len)
    return NULL;

  return g_ptr_array_index (self->buttons, index);
}

void
attn_token_strip_set_colormap (AttnTokenStrip *self,
                               AttnColormap    colormap,
                               AttnScale       scale)
{
  g_return_if_fail (ATTN_IS_TOKEN_STRIP (self));

  self->colormap = colormap;
  self->scale = scale;
  update_tint (self);
}
