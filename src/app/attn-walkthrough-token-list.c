/* attn-walkthrough-token-list.c
 *
 * Copyright 2026 The Attention authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "attn-walkthrough"

#include "config.h"

#include <glib/gi18n.h>

#include "attn-walkthrough-blocks.h"
#include "attn-walkthrough-token-list.h"

/* Rows of up to this many tokens are listed whole, longer ones in part. */
#define TOKEN_LIST_SHOWN_MAX 16
/* How many of the largest values a partial list shows. */
#define TOKEN_LIST_TOP 6

/* Steps 5 and 6: the query's row as a list of "index  token  value", this
 * key highlighted and the future tokens dimmed, their value @masked_text.
 * Long rows list the largest values, the query, this key and the first
 * future token, and all of them behind an expander, built when opened. */
typedef struct
{
  float  *values;
  char  **labels;
  char   *masked_text;
  guint   n;
  guint   first_masked;
  guint   key;
} TokenList;

static void
token_list_free (TokenList *list)
{
  g_free (list->values);
  g_strfreev (list->labels);
  g_free (list->masked_text);
  g_free (list);
}

static GtkWidget *
list_label (const char *text,
            float       xalign)
{
  GtkWidget *label = gtk_label_new (text);

  gtk_label_set_xalign (GTK_LABEL (label), xalign);
  return label;
}

/* One row at @row, columns from @col: index, token, value. */
static void
token_list_attach (GtkGrid         *grid,
                   const TokenList *list,
                   guint            j,
                   int              col,
                   int              row)
{
  gboolean masked = j >= list->first_masked;
  g_autofree char *index = g_strdup_printf ("%u", j);
  g_autofree char *value = masked ? g_strdup (list->masked_text) : _attn_walkthrough_format_number (list->values[j]);
  g_autofree char *full = masked ? g_strdup (_("masked: a later token")) : g_strdup_printf ("%.9g", list->values[j]);
  g_autofree char *name = masked ? g_markup_printf_escaped ("<s>%s</s>", list->labels[j])
                                 : g_markup_escape_text (list->labels[j], -1);
  GtkWidget *cells[3] = { list_label (index, 1.0), list_label (NULL, 0.0), list_label (value, 1.0) };

  gtk_label_set_markup (GTK_LABEL (cells[1]), name);
  gtk_label_set_ellipsize (GTK_LABEL (cells[1]), PANGO_ELLIPSIZE_END);
  gtk_label_set_width_chars (GTK_LABEL (cells[1]), 6);
  gtk_label_set_max_width_chars (GTK_LABEL (cells[1]), 12);
  gtk_label_set_width_chars (GTK_LABEL (cells[2]), 6);
  gtk_widget_add_css_class (cells[0], "numeric");
  gtk_widget_add_css_class (cells[0], "dim-label");
  gtk_widget_add_css_class (cells[2], "numeric");
  gtk_widget_set_tooltip_text (cells[2], full);
  if (col > 0)
    gtk_widget_set_margin_start (cells[0], 12);
  for (int c = 0; c < 3; c++)
    {
      if (masked)
        gtk_widget_add_css_class (cells[c], "dim-label");
      if (j == list->key)
        {
          gtk_widget_add_css_class (cells[c], "heading");
          gtk_widget_add_css_class (cells[c], "accent");
        }
      gtk_grid_attach (grid, cells[c], col + c, row, 1, 1);
    }
}

static GtkWidget *
token_list_grid_new (void)
{
  GtkWidget *grid = gtk_grid_new ();

  gtk_grid_set_column_spacing (GTK_GRID (grid), 8);
  gtk_grid_set_row_spacing (GTK_GRID (grid), 1);
  gtk_widget_set_halign (grid, GTK_ALIGN_START);
  return grid;
}

/* Every token, in two columns (down, then across) when there are many. */
static GtkWidget *
token_list_all_new (const TokenList *list)
{
  GtkWidget *grid = token_list_grid_new ();
  guint rows = list->n > TOKEN_LIST_SHOWN_MAX / 2 ? (list->n + 1) / 2 : list->n;

  for (guint j = 0; j < list->n; j++)
    token_list_attach (GTK_GRID (grid), list, j, j < rows ? 0 : 3, j % rows);
  return grid;
}

static void
token_list_expanded_cb (GtkExpander *expander)
{
  if (!gtk_expander_get_expanded (expander) || gtk_expander_get_child (expander) != NULL)
    return;
  gtk_expander_set_child (expander, token_list_all_new (g_object_get_data (G_OBJECT (expander), "list")));
}

/* Keys the query sees: those up to itself, or all without a mask (the
 * sandbox in the article's order). */
size_t
_attn_walkthrough_n_visible (const AttnSteps *s)
{
  return s->bidirectional ? s->n_tokens : s->query + 1;
}

GtkWidget *
_attn_walkthrough_token_list_new (const AttnSteps   *s,
                                  const char *const *labels,
                                  const float       *values,
                                  const char        *masked_text)
{
  TokenList *list = g_new0 (TokenList, 1);
  GtkWidget *box, *grid, *expander;
  g_autofree gboolean *shown = NULL;
  g_autofree char *title = NULL;
  int row = 0;

  list->values = g_memdup2 (values, s->n_tokens * sizeof (float));
  list->labels = g_strdupv ((char **) labels);
  list->masked_text = g_strdup (masked_text);
  list->n = s->n_tokens;
  list->first_masked = _attn_walkthrough_n_visible (s);
  list->key = s->key;

  if (list->n <= TOKEN_LIST_SHOWN_MAX)
    {
      grid = token_list_all_new (list);
      token_list_free (list);
      return grid;
    }

  /* the largest visible values, by selection: TOKEN_LIST_TOP is tiny */
  shown = g_new0 (gboolean, list->n);
  for (guint r = 0; r < TOKEN_LIST_TOP; r++)
    {
      int best = -1;

      for (guint j = 0; j < list->first_masked; j++)
        if (!shown[j] && (best < 0 || values[j] > values[best]))
          best = j;
      if (best >= 0)
        shown[best] = TRUE;
    }
  shown[s->key] = shown[s->query] = TRUE;
  if (list->first_masked < list->n)
    shown[list->first_masked] = TRUE;

  box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 4);
  grid = token_list_grid_new ();
  for (guint j = 0; j < list->n; j++)
    {
      if (!shown[j])
        continue;
      if (j > 0 && !shown[j - 1])
        gtk_grid_attach (GTK_GRID (grid), list_label ("…", 1.0), 0, row++, 1, 1);
      token_list_attach (GTK_GRID (grid), list, j, 0, row++);
    }
  if (!shown[list->n - 1])
    gtk_grid_attach (GTK_GRID (grid), list_label ("…", 1.0), 0, row++, 1, 1);
  gtk_box_append (GTK_BOX (box), grid);

  title = g_strdup_printf (_("Show all %u tokens"), list->n);
  expander = gtk_expander_new (title);
  g_object_set_data_full (G_OBJECT (expander), "list", list, (GDestroyNotify) token_list_free);
  g_signal_connect (expander, "notify::expanded", G_CALLBACK (token_list_expanded_cb), NULL);
  gtk_box_append (GTK_BOX (box), expander);
  return box;
}
