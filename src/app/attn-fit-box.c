/* attn-fit-box.c
 *
 * Copyright 2026 The Attention authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * A vertical box for a window that may be short: the views (its main
 * child) keep at least a share of the height, and the panels around them
 * (the editor and token strip above, the head description below, each in
 * a scrolled window) take what is left, so in an 800 × 600 or a phone's
 * window they scroll instead of squeezing the map to a strip.  When there
 * is room everything has its natural height and the main child the rest,
 * as in a GtkBox with the main child expanding.
 */
#include "attn-fit-box.h"

#include <math.h>

struct _AttnFitBox
{
  GtkWidget  parent_instance;

  GtkWidget *main_child;   /* unowned: one of the children */
  double     main_share;
  int        main_reserve;
  int        spacing;
};

enum {
  PROP_0,
  PROP_MAIN_CHILD,
  PROP_MAIN_SHARE,
  PROP_MAIN_RESERVE,
  PROP_SPACING,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

G_DEFINE_FINAL_TYPE (AttnFitBox, attn_fit_box, GTK_TYPE_WIDGET)

static guint
count_visible (AttnFitBox *self)
{
  guint n = 0;

  for (GtkWidget *c = gtk_widget_get_first_child (GTK_WIDGET (self)); c != NULL; c = gtk_widget_get_next_sibling (c))
    if (gtk_widget_should_layout (c))
      n++;
  return n;
}

static void
attn_fit_box_measure (GtkWidget      *widget,
                      GtkOrientation  orientation,
                      int             for_size,
                      int            *minimum,
                      int            *natural,
                      int            *minimum_baseline,
                      int            *natural_baseline)
{
  AttnFitBox *self = ATTN_FIT_BOX (widget);
  guint n = count_visible (self);

  *minimum = *natural = 0;
  for (GtkWidget *c = gtk_widget_get_first_child (widget); c != NULL; c = gtk_widget_get_next_sibling (c))
    {
      int child_min, child_nat;

      if (!gtk_widget_should_layout (c))
        continue;
      gtk_widget_measure (c, orientation, orientation == GTK_ORIENTATION_VERTICAL ? for_size : -1,
                          &child_min, &child_nat, NULL, NULL);
      if (orientation == GTK_ORIENTATION_VERTICAL)
        {
          *minimum += child_min;
          *natural += child_nat;
        }
      else
        {
          *minimum = MAX (*minimum, child_min);
          *natural = MAX (*natural, child_nat);
        }
    }
  if (orientation == GTK_ORIENTATION_VERTICAL && n > 1)
    {
      *minimum += self->spacing * (int) (n - 1);
      *natural += self->spacing * (int) (n - 1);
    }
}

static void
attn_fit_box_size_allocate (GtkWidget *widget,
                            int        width,
                            int        height,
                            int        baseline)
{
  AttnFitBox *self = ATTN_FIT_BOX (widget);
  guint n = count_visible (self);
  g_autofree int *minimums = g_new0 (int, MAX (n, 1));
  g_autofree int *heights = g_new0 (int, MAX (n, 1));
  int main_index = -1, others = 0, available, main_height, wanted, i = 0, y = 0;
  GtkWidget *c;

  if (n == 0)
    return;
  available = MAX (0, height - self->spacing * (int) (n - 1));

  /* Everyone but the main child asks for its natural height. */
  for (c = gtk_widget_get_first_child (widget); c != NULL; c = gtk_widget_get_next_sibling (c))
    {
      if (!gtk_widget_should_layout (c))
        continue;
      gtk_widget_measure (c, GTK_ORIENTATION_VERTICAL, width, &minimums[i], &heights[i], NULL, NULL);
      if (c == self->main_child)
        main_index = i;
      else
        others += heights[i];
      i++;
    }

  /* The main child's share and reserve, or its minimum if that is more;
   * the others give up the difference, the last one first, down to their
   * minimum. */
  if (main_index >= 0)
    {
      wanted = MAX (minimums[main_index], (int) ceil (available * self->main_share) + self->main_reserve);
      wanted = MIN (wanted, MAX (available, minimums[main_index]));
      for (int k = (int) n - 1; k >= 0 && available - others < wanted; k--)
        {
          int cut;

          if (k == main_index)
            continue;
          cut = MIN (wanted - (available - others), heights[k] - minimums[k]);
          heights[k] -= cut;
          others -= cut;
        }
      main_height = available - others;
      heights[main_index] = MAX (main_height, minimums[main_index]);
    }
  else
    {
      /* No main child: the last one takes what is left, as in a box. */
      heights[n - 1] += available - others;
    }

  i = 0;
  for (c = gtk_widget_get_first_child (widget); c != NULL; c = gtk_widget_get_next_sibling (c))
    {
      if (!gtk_widget_should_layout (c))
        continue;
      gtk_widget_size_allocate (c, &(GtkAllocation) { 0, y, width, heights[i] }, -1);
      y += heights[i] + self->spacing;
      i++;
    }
}

static GtkSizeRequestMode
attn_fit_box_get_request_mode (GtkWidget *widget)
{
  return GTK_SIZE_REQUEST_HEIGHT_FOR_WIDTH;
}

/* Expands like a box: as its children do. */
static void
attn_fit_box_compute_expand (GtkWidget *widget,
                             gboolean  *hexpand,
                             gboolean  *vexpand)
{
  *hexpand = *vexpand = FALSE;
  for (GtkWidget *c = gtk_widget_get_first_child (widget); c != NULL; c = gtk_widget_get_next_sibling (c))
    {
      *hexpand = *hexpand || gtk_widget_compute_expand (c, GTK_ORIENTATION_HORIZONTAL);
      *vexpand = *vexpand || gtk_widget_compute_expand (c, GTK_ORIENTATION_VERTICAL);
    }
}

static void
attn_fit_box_dispose (GObject *object)
{
  GtkWidget *child;

  ATTN_FIT_BOX (object)->main_child = NULL;
  while ((child = gtk_widget_get_first_child (GTK_WIDGET (object))) != NULL)
    gtk_widget_unparent (child);
  G_OBJECT_CLASS (attn_fit_box_parent_class)->dispose (object);
}

static void
attn_fit_box_get_property (GObject    *object,
                           guint       prop_id,
                           GValue     *value,
                           GParamSpec *pspec)
{
  AttnFitBox *self = ATTN_FIT_BOX (object);

  switch (prop_id)
    {
    case PROP_MAIN_CHILD:
      g_value_set_object (value, self->main_child);
      break;
    case PROP_MAIN_SHARE:
      g_value_set_double (value, self->main_share);
      break;
    case PROP_MAIN_RESERVE:
      g_value_set_int (value, self->main_reserve);
      break;
    case PROP_SPACING:
      g_value_set_int (value, self->spacing);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
attn_fit_box_set_property (GObject      *object,
                           guint         prop_id,
                           const GValue *value,
                           GParamSpec   *pspec)
{
  AttnFitBox *self = ATTN_FIT_BOX (object);

  switch (prop_id)
    {
    case PROP_MAIN_CHILD:
      attn_fit_box_set_main_child (self, g_value_get_object (value));
      break;
    case PROP_MAIN_SHARE:
      attn_fit_box_set_main_share (self, g_value_get_double (value));
      break;
    case PROP_MAIN_RESERVE:
      attn_fit_box_set_main_reserve (self, g_value_get_int (value));
      break;
    case PROP_SPACING:
      if (self->spacing != g_value_get_int (value))
        {
          self->spacing = g_value_get_int (value);
          gtk_widget_queue_resize (GTK_WIDGET (self));
          g_object_notify_by_pspec (object, pspec);
        }
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
attn_fit_box_class_init (AttnFitBoxClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = attn_fit_box_dispose;
  object_class->get_property = attn_fit_box_get_property;
  object_class->set_property = attn_fit_box_set_property;
  widget_class->measure = attn_fit_box_measure;
  widget_class->size_allocate = attn_fit_box_size_allocate;
  widget_class->get_request_mode = attn_fit_box_get_request_mode;
  widget_class->compute_expand = attn_fit_box_compute_expand;

  properties[PROP_MAIN_CHILD] =
    g_param_spec_object ("main-child", NULL, NULL, GTK_TYPE_WIDGET,
                         G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_MAIN_SHARE] =
    g_param_spec_double ("main-share", NULL, NULL, 0.0, 1.0, 0.5,
                         G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_MAIN_RESERVE] =
    g_param_spec_int ("main-reserve", NULL, NULL, 0, G_MAXINT, 0,
                      G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_SPACING] =
    g_param_spec_int ("spacing", NULL, NULL, 0, G_MAXINT, 0,
                      G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  gtk_widget_class_set_css_name (widget_class, "box");
}

static void
attn_fit_box_init (AttnFitBox *self)
{
  self->main_share = 0.5;
}

GtkWidget *
attn_fit_box_new (void)
{
  return g_object_new (ATTN_TYPE_FIT_BOX, NULL);
}

GtkWidget *
attn_fit_box_get_main_child (AttnFitBox *self)
{
  g_return_val_if_fail (ATTN_IS_FIT_BOX (self), NULL);

  return self->main_child;
}

void
attn_fit_box_set_main_child (AttnFitBox *self,
                             GtkWidget  *child)
{
  g_return_if_fail (ATTN_IS_FIT_BOX (self));
  g_return_if_fail (child == NULL || GTK_IS_WIDGET (child));

  if (self->main_child == child)
    return;
  self->main_child = child;
  gtk_widget_queue_resize (GTK_WIDGET (self));
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_MAIN_CHILD]);
}

double
attn_fit_box_get_main_share (AttnFitBox *self)
{
  g_return_val_if_fail (ATTN_IS_FIT_BOX (self), 0.0);

  return self->main_share;
}

void
attn_fit_box_set_main_share (AttnFitBox *self,
                             double      share)
{
  g_return_if_fail (ATTN_IS_FIT_BOX (self));

  share = CLAMP (share, 0.0, 1.0);
  if (self->main_share == share)
    return;
  self->main_share = share;
  gtk_widget_queue_resize (GTK_WIDGET (self));
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_MAIN_SHARE]);
}

int
attn_fit_box_get_main_reserve (AttnFitBox *self)
{
  g_return_val_if_fail (ATTN_IS_FIT_BOX (self), 0);

  return self->main_reserve;
}

void
attn_fit_box_set_main_reserve (AttnFitBox *self,
                               int         reserve)
{
  g_return_if_fail (ATTN_IS_FIT_BOX (self));

  reserve = MAX (reserve, 0);
  if (self->main_reserve == reserve)
    return;
  self->main_reserve = reserve;
  gtk_widget_queue_resize (GTK_WIDGET (self));
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_MAIN_RESERVE]);
}
