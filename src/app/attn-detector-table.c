/* attn-detector-table.c
 *
 * Copyright 2026 The Attention authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "attn-detector-table"

#include "config.h"

#include <math.h>

#include <glib/gi18n.h>

#include "attn-detector-table.h"

/* Column 0 is the head; then the five scores on the text, then the five on
 * the probe. */
#define N_SCORE_COLUMNS (ATTN_SCORE_SOURCE_COUNT * ATTN_DETECTOR_COUNT)

static int
score_column (AttnScoreSource source,
              AttnDetector    detector)
{
  return (int) source * ATTN_DETECTOR_COUNT + (int) detector;
}

/* ------------------------------------------------------------------------ */
/* One row: a head and its scores                                           */

#define ATTN_TYPE_DETECTOR_ROW (attn_detector_row_get_type ())
G_DECLARE_FINAL_TYPE (AttnDetectorRow, attn_detector_row, ATTN, DETECTOR_ROW, GObject)

struct _AttnDetectorRow
{
  GObject parent_instance;
  guint   layer, head, index;        /* index: layer · NH + head */
  double  score[N_SCORE_COLUMNS];    /* NaN: none */
};

G_DEFINE_FINAL_TYPE (AttnDetectorRow, attn_detector_row, G_TYPE_OBJECT)

static void attn_detector_row_class_init (AttnDetectorRowClass *klass) { }
static void attn_detector_row_init (AttnDetectorRow *self) { }

/* ------------------------------------------------------------------------ */

struct _AttnDetectorTable
{
  GtkWidget          parent_instance;

  GtkWidget         *scrolled;
  GtkColumnView     *view;
  GListStore        *rows;
  GtkSortListModel  *sorted;
  GtkColumnViewColumn *columns[1 + N_SCORE_COLUMNS];
  AttnHeadScores    *scores;
};

G_DEFINE_FINAL_TYPE (AttnDetectorTable, attn_detector_table, GTK_TYPE_WIDGET)

enum {
  HEAD_ACTIVATED,
  N_SIGNALS
};

static guint signals [N_SIGNALS];

/* Scores by size; a missing score counts as less than any number (last when
 * sorted from the highest); heads by layer, then head. */
static int
compare_rows (gconstpointer a,
              gconstpointer b,
              gpointer      user_data)
{
  const AttnDetectorRow *x = a, *y = b;
  int column = GPOINTER_TO_INT (user_data);

  if (column < 0)
    return x->index < y->index ? GTK_ORDERING_SMALLER : x->index > y->index ? GTK_ORDERING_LARGER
                                                                           : GTK_ORDERING_EQUAL;
  if (isnan (x->score[column]) || isnan (y->score[column]))
    return isnan (x->score[column]) == isnan (y->score[column]) ? GTK_ORDERING_EQUAL
           : isnan (x->score[column]) ? GTK_ORDERING_SMALLER : GTK_ORDERING_LARGER;
  return x->score[column] < y->score[column] ? GTK_ORDERING_SMALLER
         : x->score[column] > y->score[column] ? GTK_ORDERING_LARGER : GTK_ORDERING_EQUAL;
}

static void
setup_cb (GtkSignalListItemFactory *factory,
          GtkListItem              *item,
          gpointer                  user_data)
{
  GtkWidget *label = gtk_label_new (NULL);

  gtk_label_set_xalign (GTK_LABEL (label), 1.0);
  gtk_widget_add_css_class (label, "numeric");
  gtk_list_item_set_child (item, label);
}

static void
bind_cb (GtkSignalListItemFactory *factory,
         GtkListItem              *item,
         gpointer                  user_data)
{
  AttnDetectorRow *row = gtk_list_item_get_item (item);
  GtkWidget *label = gtk_list_item_get_child (item);
  int column = GPOINTER_TO_INT (user_data);
  char text[32];

  if (column < 0)
    g_snprintf (text, sizeof text, "%u.%u", row->layer, row->head);
  else if (isnan (row->score[column]))
    g_strlcpy (text, "–", sizeof text);
  else
    g_snprintf (text, sizeof text, "%.3f", row->score[column]);
  gtk_label_set_text (GTK_LABEL (label), text);
}

static GtkColumnViewColumn *
add_column (AttnDetectorTable *self,
            const char        *title,
            int                column)
{
  GtkListItemFactory *factory = gtk_signal_list_item_factory_new ();
  GtkColumnViewColumn *col;
  g_autoptr(GtkSorter) sorter = GTK_SORTER (gtk_custom_sorter_new (compare_rows, GINT_TO_POINTER (column), NULL));

  g_signal_connect (factory, "setup", G_CALLBACK (setup_cb), GINT_TO_POINTER (column));
  g_signal_connect (factory, "bind", G_CALLBACK (bind_cb), GINT_TO_POINTER (column));
  col = gtk_column_view_column_new (title, factory);
  gtk_column_view_column_set_sorter (col, sorter);
  gtk_column_view_column_set_resizable (col, TRUE);
  gtk_column_view_append_column (self->view, col);
  g_object_unref (col);
  return col;
}

static void
activate_cb (GtkColumnView     *view,
             guint              position,
             AttnDetectorTable *self)
{
  attn_detector_table_activate_row (self, position);
}

static void
attn_detector_table_dispose (GObject *object)
{
  AttnDetectorTable *self = ATTN_DETECTOR_TABLE (object);

  g_clear_pointer (&self->scrolled, gtk_widget_unparent);
  g_clear_object (&self->rows);
  g_clear_pointer (&self->scores, attn_head_scores_unref);
  G_OBJECT_CLASS (attn_detector_table_parent_class)->dispose (object);
}

static void
attn_detector_table_class_init (AttnDetectorTableClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = attn_detector_table_dispose;

  /**
   * AttnDetectorTable::head-activated:
   * @layer: the row's layer
   * @head: the row's head
   *
   * A row was clicked or activated with the keyboard.
   */
  signals [HEAD_ACTIVATED] =
    g_signal_new ("head-activated", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0,
                  NULL, NULL, NULL, G_TYPE_NONE, 2, G_TYPE_UINT, G_TYPE_UINT);

  gtk_widget_class_set_layout_manager_type (widget_class, GTK_TYPE_BIN_LAYOUT);
  gtk_widget_class_set_css_name (widget_class, "attndetectortable");
}

static void
attn_detector_table_init (AttnDetectorTable *self)
{
  GtkSelectionModel *selection;
  GtkSorter *sorter;

  self->rows = g_list_store_new (ATTN_TYPE_DETECTOR_ROW);
  self->view = GTK_COLUMN_VIEW (gtk_column_view_new (NULL));
  sorter = gtk_column_view_get_sorter (self->view);
  self->sorted = gtk_sort_list_model_new (G_LIST_MODEL (g_object_ref (self->rows)),
                                          sorter ? g_object_ref (sorter) : NULL);
  selection = GTK_SELECTION_MODEL (gtk_single_selection_new (G_LIST_MODEL (self->sorted)));
  gtk_single_selection_set_autoselect (GTK_SINGLE_SELECTION (selection), FALSE);
  gtk_column_view_set_model (self->view, selection);
  g_object_unref (selection);
  gtk_column_view_set_single_click_activate (self->view, TRUE);
  gtk_column_view_set_show_column_separators (self->view, TRUE);
  gtk_widget_add_css_class (GTK_WIDGET (self->view), "data-table");
  g_signal_connect (self->view, "activate", G_CALLBACK (activate_cb), self);

  /* Translators: the detector table's first column: "layer.head" */
  self->columns[0] = add_column (self, _("Head"), -1);
  for (int s = 0; s < ATTN_SCORE_SOURCE_COUNT; s++)
    for (int d = 0; d < ATTN_DETECTOR_COUNT; d++)
      {
        const char *name = attn_detector_get_title ((AttnDetector) d);
        /* Translators: a detector table column of scores on the induction probe: "Induction (probe)" */
        g_autofree char *title = s == ATTN_SCORE_PROBE ? g_strdup_printf (_("%s (probe)"), name)
                                                       : g_strdup (name);

        self->columns[1 + score_column (s, d)] = add_column (self, title, score_column (s, d));
      }

  self->scrolled = gtk_scrolled_window_new ();
  gtk_scrolled_window_set_child (GTK_SCROLLED_WINDOW (self->scrolled), GTK_WIDGET (self->view));
  gtk_widget_set_parent (self->scrolled, GTK_WIDGET (self));
  gtk_widget_set_vexpand (GTK_WIDGET (self), TRUE);
  gtk_accessible_update_property (GTK_ACCESSIBLE (self->view),
                                  GTK_ACCESSIBLE_PROPERTY_LABEL, _("Head detector scores"), -1);

  /* The heads most like induction heads first. */
  attn_detector_table_sort_by (self, ATTN_SCORE_PROBE, ATTN_DETECTOR_INDUCTION, GTK_SORT_DESCENDING);
}

GtkWidget *
attn_detector_table_new (void)
{
  return g_object_new (ATTN_TYPE_DETECTOR_TABLE, NULL);
}

void
attn_detector_table_set_scores (AttnDetectorTable *self,
                                AttnHeadScores    *scores)
{
  g_autoptr(GPtrArray) items = g_ptr_array_new_with_free_func (g_object_unref);

  g_return_if_fail (ATTN_IS_DETECTOR_TABLE (self));

  if (scores == self->scores)
    return;
  if (scores != NULL)
    attn_head_scores_ref (scores);
  g_clear_pointer (&self->scores, attn_head_scores_unref);
  self->scores = scores;

  if (scores != NULL)
    for (guint l = 0; l < attn_head_scores_get_n_layers (scores); l++)
      for (guint h = 0; h < attn_head_scores_get_n_heads (scores); h++)
        {
          AttnDetectorRow *row = g_object_new (ATTN_TYPE_DETECTOR_ROW, NULL);

          row->layer = l;
          row->head = h;
          row->index = l * attn_head_scores_get_n_heads (scores) + h;
          for (int s = 0; s < ATTN_SCORE_SOURCE_COUNT; s++)
            for (int d = 0; d < ATTN_DETECTOR_COUNT; d++)
              row->score[score_column (s, d)] = attn_head_scores_get (scores, s, d, l, h);
          g_ptr_array_add (items, row);
        }
  /* The probe's columns only when there is a probe. */
  for (int d = 0; d < ATTN_DETECTOR_COUNT; d++)
    gtk_column_view_column_set_visible (self->columns[1 + score_column (ATTN_SCORE_PROBE, d)],
                                        scores == NULL || attn_head_scores_has_probe (scores));
  g_list_store_splice (self->rows, 0, g_list_model_get_n_items (G_LIST_MODEL (self->rows)),
                       items->pdata, items->len);
}

AttnHeadScores *
attn_detector_table_get_scores (AttnDetectorTable *self)
{
  g_return_val_if_fail (ATTN_IS_DETECTOR_TABLE (self), NULL);
  return self->scores;
}

void
attn_detector_table_sort_by (AttnDetectorTable *self,
                             AttnScoreSource    source,
                             AttnDetector       detector,
                             GtkSortType        order)
{
  g_return_if_fail (ATTN_IS_DETECTOR_TABLE (self));
  g_return_if_fail (source < ATTN_SCORE_SOURCE_COUNT && detector < ATTN_DETECTOR_COUNT);

  gtk_column_view_sort_by_column (self->view, self->columns[1 + score_column (source, detector)], order);
}

guint
attn_detector_table_get_n_rows (AttnDetectorTable *self)
{
  g_return_val_if_fail (ATTN_IS_DETECTOR_TABLE (self), 0);
  return g_list_model_get_n_items (G_LIST_MODEL (self->sorted));
}

gboolean
attn_detector_table_get_row (AttnDetectorTable *self,
                             guint              position,
                             guint             *layer,
                             guint             *head)
{
  g_autoptr(AttnDetectorRow) row = NULL;

  g_return_val_if_fail (ATTN_IS_DETECTOR_TABLE (self), FALSE);

  row = g_list_model_get_item (G_LIST_MODEL (self->sorted), position);
  if (row == NULL)
    return FALSE;
  if (layer != NULL)
    *layer = row->layer;
  if (head != NULL)
    *head = row->head;
  return TRUE;
}

void
attn_detector_table_activate_row (AttnDetectorTable *self,
                                  guint              position)
{
  guint layer, head;

  g_return_if_fail (ATTN_IS_DETECTOR_TABLE (self));

  if (attn_detector_table_get_row (self, position, &layer, &head))
    g_signal_emit (self, signals [HEAD_ACTIVATED], 0, layer, head);
}
