/* attn-walkthrough.c
 *
 * Copyright 2026 The Attention authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "attn-walkthrough"

#include "config.h"

#include <math.h>
#include <string.h>

#include <glib/gi18n.h>

#include "attn-sandbox.h"
#include "attn-render.h"
#include "attn-token-strip.h"
#include "attn-learn-glossary.h"
#include "attn-walkthrough.h"
#include "attn-walkthrough-strip.h"

/* Vectors longer than this show their numbers only on request. */
#define NUMBERS_SHOWN_MAX 64
/* Rows of up to this many tokens are listed whole, longer ones in part. */
#define TOKEN_LIST_SHOWN_MAX 16
/* How many of the largest values a partial list shows. */
#define TOKEN_LIST_TOP 6
/* Matrices up to this many entries are shown as numbers, larger as cells. */
#define MATRIX_NUMBERS_MAX 64

struct _AttnWalkthrough
{
  GtkWidget       parent_instance;

  AttnDocument   *document;
  GSignalGroup   *document_signals;
  AttnResult     *result;          /* the result the model controls show; owned */
  AttnSteps      *steps;           /* what is on show; NULL when nothing is */
  GCancellable   *steps_cancellable; /* while the document computes the next steps */
  char           *message;         /* why nothing is on show */
  char          **token_labels;    /* (T + 1,) NULL-terminated; labels of steps' tokens */
  int             step;
  float           embeddings[ATTN_SANDBOX_N_TOKENS][ATTN_SANDBOX_DIM];
  GtkScale       *sliders[ATTN_SANDBOX_N_TOKENS][ATTN_SANDBOX_DIM];
  guint           updating : 1;    /* controls are being set from the document */

  /* template children */
  GtkWidget      *box;
  GtkStack       *mode_stack;
  GtkAdjustment  *layer_adjustment;
  GtkAdjustment  *head_adjustment;
  GtkDropDown    *query_drop;
  GtkWidget      *pieces_note;   /* shown while the views merge word pieces */
  GtkDropDown    *key_drop;
  GtkStringList  *query_tokens;
  GtkStringList  *key_tokens;
  GtkGrid        *slider_grid;
  GtkToggleButton *key_sat_button;
  GtkBox         *stepper;
  GtkStack       *scroller_stack;
  GtkScrolledWindow *model_scroller;
  GtkScrolledWindow *sandbox_scroller;
  GtkSwitch         *causal_switch;
  GtkToggleButton   *sat_first_button;
  GtkLabel          *sandbox_order_label;
  GtkWidget      *step_page;
  GtkLabel       *step_title;
  GtkLabel       *step_formula;
  GtkLabel       *step_explanation;
  GtkBox         *step_content;
  GtkLabel       *step_counter;
  GtkWidget      *back_button;
  GtkWidget      *next_button;
};

G_DEFINE_FINAL_TYPE (AttnWalkthrough, attn_walkthrough, GTK_TYPE_WIDGET)

enum {
  PROP_0,
  PROP_DOCUMENT,
  PROP_STEP,
  PROP_SANDBOX,
  N_PROPS
};

static GParamSpec *properties [N_PROPS];

static const char *const step_names[ATTN_STEP_COUNT] = {
  N_("Input"),
  N_("Project to Q, K, V"),
  N_("Rotate by position"),
  N_("Dot product"),
  N_("Scale"),
  N_("Mask"),
  N_("Softmax"),
  N_("Weighted sum of values"),
  N_("Heads joined"),
};

/* ----------------------------------------------------------------------------
 * building blocks for the step pages */

static char *
format_number (double value)
{
  /* a real minus sign, so columns of numbers line up; no "−0.000" */
  if (fabs (value) < 0.0005)
    value = 0.0;
  return value < 0 ? g_strdup_printf ("−%.3f", -value) : g_strdup_printf ("%.3f", value);
}

static GtkWidget *
number_label (double value)
{
  g_autofree char *text = format_number (value);
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

static GtkWidget *
heading_new (const char *markup)
{
  GtkWidget *label = gtk_label_new (NULL);

  gtk_label_set_markup (GTK_LABEL (label), markup);
  gtk_label_set_xalign (GTK_LABEL (label), 0.0);
  gtk_label_set_wrap (GTK_LABEL (label), TRUE);
  gtk_widget_set_margin_top (label, 6);
  return label;
}

static GtkWidget *
text_new (const char *markup)
{
  GtkWidget *label = heading_new (markup);

  gtk_widget_set_margin_top (label, 0);
  gtk_label_set_selectable (GTK_LABEL (label), TRUE);
  return label;
}

/* A vector: its name, a coloured strip, and its numbers (behind an
 * expander when there are many). */
static AttnWalkthroughStrip *
add_vector (GtkBox      *box,
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

  gtk_box_append (box, heading_new (heading));
  attn_walkthrough_strip_set_values (ATTN_WALKTHROUGH_STRIP (strip), values, 1, n);
  attn_walkthrough_strip_set_marked (ATTN_WALKTHROUGH_STRIP (strip), marked);
  gtk_box_append (box, strip);

  gtk_box_append (box, numbers_block_new (values, n));
  return ATTN_WALKTHROUGH_STRIP (strip);
}

/* A matrix: numbers when small (the sandbox's 4 × 4), else cells. */
static GtkWidget *
matrix_new (const char  *name_markup,
            const float *m,
            guint        rows,
            guint        cols)
{
  GtkWidget *box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 4);
  g_autofree char *heading = g_strdup_printf ("%s <span alpha=\"60%%\">· %u × %u</span>", name_markup, rows, cols);

  gtk_box_append (GTK_BOX (box), heading_new (heading));

  gtk_widget_set_hexpand (box, TRUE);
  if (rows * cols <= MATRIX_NUMBERS_MAX)
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

static gboolean
all_zero (const float *x,
          guint        n)
{
  for (guint i = 0; i < n; i++)
    if (x[i] != 0.0f)
      return FALSE;
  return TRUE;
}

/* ----------------------------------------------------------------------------
 * the step pages */

/* printf into @string, escaping the arguments (not the format) for Pango markup */
static void G_GNUC_PRINTF (2, 3)
append_markup (GString    *string,
               const char *format,
               ...)
{
  g_autofree char *text = NULL;
  va_list args;

  va_start (args, format);
  text = g_markup_vprintf_escaped (format, args);
  va_end (args);
  g_string_append (string, text);
}

static const char *
token (AttnWalkthrough *self,
       size_t           index)
{
  return self->token_labels[index];
}

static void
show_input (AttnWalkthrough *self,
            const AttnSteps   *s,
            GString         *formula,
            GString         *explanation)
{
  g_autofree char *xq = g_markup_printf_escaped ("<b>x</b> — %s “%s”", _("query"), token (self, s->query));
  g_autofree char *xk = g_markup_printf_escaped ("<b>x<sub>key</sub></b> — %s “%s”", _("key"), token (self, s->key));

  if (s->heads_joined != NULL && s->rms_norm)
    {
      append_markup (formula, "x = RMSNorm(h<sub>i</sub>) = h<sub>i</sub> / rms(h<sub>i</sub>) · g");
      append_markup (explanation,
                              _("Attention in layer %zu reads each token's row of the residual stream after RMSNorm, "
                                "which divides the row by its root mean square (no mean is subtracted) and scales each "
                                "number by a learned gain: %zu numbers for the query and %zu for the key. "
                                "Blue is negative, orange positive."),
                              s->layer, s->n_embd, s->n_embd);
    }
  else if (s->heads_joined != NULL)
    {
      append_markup (formula, "x = LayerNorm(h<sub>i</sub>)");
      append_markup (explanation,
                              _("Attention in layer %zu reads each token's row of the residual stream after LayerNorm: "
                                "%zu numbers for the query and %zu for the key. Blue is negative, orange positive."),
                              s->layer, s->n_embd, s->n_embd);
    }
  else
    {
      append_markup (formula, "x = embedding(token)");
      append_markup (explanation, _("Each token starts as a list of numbers, its embedding: move the sliders above to change them. "
                                    "Blue is negative, orange positive."));
    }
  add_vector (self->step_content, xq, "x", s->x, s->n_embd, -1);
  add_vector (self->step_content, xk, "x_key", s->x_key, s->n_embd, -1);
}

static void
show_project (AttnWalkthrough *self,
              const AttnSteps   *s,
              GString         *formula,
              GString         *explanation)
{
  /* side by side: three columns of cells, or three small grids of numbers */
  GtkWidget *matrices = s->n_embd * s->head_size > MATRIX_NUMBERS_MAX ? gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 10)
                                                                      : gtk_flow_box_new ();
  const char *names[] = { "<b>W<sub>Q</sub></b>", "<b>W<sub>K</sub></b>", "<b>W<sub>V</sub></b>" };
  const float *ws[] = { s->w_q, s->w_k, s->w_v };
  const struct { const char *markup, *name; const float *values; } vectors[] = {
    { "<b>q</b>", "q", s->q }, { "<b>k</b>", "k", s->k }, { "<b>v</b>", "v", s->v },
    { "<b>b<sub>Q</sub></b>", "b_Q", s->b_q }, { "<b>b<sub>K</sub></b>", "b_K", s->b_k },
    { "<b>b<sub>V</sub></b>", "b_V", s->b_v },
  };
  gboolean biases = !all_zero (s->b_q, s->head_size) || !all_zero (s->b_k, s->head_size) ||
                    !all_zero (s->b_v, s->head_size);

  /* one formula a line, so none wraps in the middle */
  if (biases)
    append_markup (formula, "q = x·W<sub>Q</sub> + b<sub>Q</sub>\nk = x<sub>key</sub>·W<sub>K</sub> + b<sub>K</sub>\n"
                   "v = x<sub>key</sub>·W<sub>V</sub> + b<sub>V</sub>");
  else
    append_markup (formula, "q = x·W<sub>Q</sub>\nk = x<sub>key</sub>·W<sub>K</sub>\nv = x<sub>key</sub>·W<sub>V</sub>");
  if (s->heads_joined != NULL)
    append_markup (explanation,
                   _("Three learned matrices turn the tokens into a query (what “%s” looks for), a key (what “%s” offers) "
                     "and a value (what it passes on): %zu numbers each for this head."),
                   token (self, s->query), token (self, s->key), s->head_size);
  else
    append_markup (explanation,
                   _("Three fixed matrices, chosen so that the default embeddings give the textbook's numbers, turn the tokens "
                     "into a query (what “%s” looks for), a key (what “%s” offers) and a value (what it passes on): "
                     "%zu numbers each."),
                   token (self, s->query), token (self, s->key), s->head_size);
  if (s->n_kv_head < s->n_head)
    {
      size_t group = s->n_head / s->n_kv_head;

      /* Translators: grouped-query attention, e.g. "k and v from KV head 1, shared by heads 4–7." */
      append_markup (explanation, _(" k and v from KV head %zu, shared by heads %zu–%zu."),
                     s->kv_head, s->kv_head * group, s->kv_head * group + group - 1);
    }

  if (GTK_IS_FLOW_BOX (matrices))
    {
      gtk_flow_box_set_selection_mode (GTK_FLOW_BOX (matrices), GTK_SELECTION_NONE);
      gtk_flow_box_set_column_spacing (GTK_FLOW_BOX (matrices), 12);
      gtk_widget_set_can_focus (matrices, FALSE);
    }
  for (guint i = 0; i < G_N_ELEMENTS (names); i++)
    {
      GtkWidget *matrix = matrix_new (names[i], ws[i], s->n_embd, s->head_size);

      if (GTK_IS_FLOW_BOX (matrices))
        gtk_flow_box_append (GTK_FLOW_BOX (matrices), matrix);
      else
        gtk_box_append (GTK_BOX (matrices), matrix);
    }
  gtk_box_append (self->step_content, matrices);

  /* the results, then the biases that were added (when there are any) */
  for (guint i = 0; i < (biases ? G_N_ELEMENTS (vectors) : 3); i++)
    add_vector (self->step_content, vectors[i].markup, vectors[i].name, vectors[i].values, s->head_size, -1);
}

/* Rotary positions: q and k before and after, and the angles of the pairs. */
static void
show_rotate (AttnWalkthrough *self,
             const AttnSteps   *s,
             GString         *formula,
             GString         *explanation)
{
  size_t pairs = s->rotary_dim / 2;

  if (s->rotary_dim == 0)
    {
      append_markup (formula, "q′ = q,  k′ = k");
      append_markup (explanation, s->heads_joined != NULL
                                  ? _("Nothing turns here: this model adds a learned position embedding to each token "
                                      "before step 1, so q and k already carry where their tokens stand. Models with "
                                      "rotary positions (Llama, Qwen2, Pythia) rotate q and k at this step instead.")
                                  : _("The sandbox has no positions. Models with rotary positions (Llama, Qwen2, "
                                      "Pythia) rotate q and k here by where their tokens stand."));
      return;
    }

  append_markup (formula, "q′ = R(%zu·θ) q,  k′ = R(%zu·θ) k", s->query, s->key);
  append_markup (explanation,
                 _("Rotary positions: the first %zu of the %zu numbers form %zu pairs (d, d + %zu), and each pair "
                   "turns by its token's position times its own frequency θ<sub>i</sub>. “%s” is at %zu and “%s” at "
                   "%zu, so in q′·k′ only the difference, %zu positions, remains: the score depends on how far apart "
                   "the tokens are."),
                 s->rotary_dim, s->head_size, pairs, pairs, token (self, s->query), s->query,
                 token (self, s->key), s->key, s->query - s->key);
  add_vector (self->step_content, "<b>q</b>", "q", s->q, s->head_size, -1);
  add_vector (self->step_content, _("<b>q′</b> — q rotated"), "q_rot", s->q_rot, s->head_size, -1);
  add_vector (self->step_content, "<b>k</b>", "k", s->k, s->head_size, -1);
  add_vector (self->step_content, _("<b>k′</b> — k rotated"), "k_rot", s->k_rot, s->head_size, -1);
  add_vector (self->step_content, _("<b>θ<sub>i</sub></b> (radians per position)"), "theta", s->freq, pairs, -1);
  add_vector (self->step_content, _("<b>angles of q</b>"), "angle_q", s->angle_q, pairs, -1);
  add_vector (self->step_content, _("<b>angles of k</b>"), "angle_k", s->angle_k, pairs, -1);
}

/* "The largest terms: d 12 (0.433), …": the dimensions that decide q·k. */
static char *
largest_products (const AttnSteps *s)
{
  g_autoptr(GString) text = g_string_new (_("Largest terms:"));
  guint order[3] = { 0 };
  guint n = MIN (s->head_size, G_N_ELEMENTS (order));

  /* the n largest |q_d k_d|, by selection: n is tiny */
  for (guint r = 0; r < n; r++)
    {
      int best = -1;

      for (guint d = 0; d < s->head_size; d++)
        {
          gboolean taken = FALSE;

          for (guint t = 0; t < r; t++)
            taken |= order[t] == d;
          if (!taken && (best < 0 || fabsf (s->products[d]) > fabsf (s->products[best])))
            best = d;
        }
      order[r] = best;
    }

  for (guint r = 0; r < n; r++)
    {
      g_autofree char *value = format_number (s->products[order[r]]);

      g_string_append_printf (text, "%s d<sub>%u</sub> = %s", r > 0 ? "," : "", order[r], value);
    }
  g_string_append_printf (text, _(" of %zu, summing to %.3f."), s->head_size, s->dot);
  return g_string_free (g_steal_pointer (&text), FALSE);
}

static void
show_dot (AttnWalkthrough *self,
          const AttnSteps   *s,
          GString         *formula,
          GString         *explanation)
{
  g_autofree char *dot = format_number (s->dot);
  g_autofree char *largest = largest_products (s);

  append_markup (formula, "q·k = Σ<sub>d</sub> q<sub>d</sub> k<sub>d</sub> = <b>%s</b>", dot);
  append_markup (explanation, _("Multiply q and k number by number and add the products up: "
                                "the sum is large when the query and the key point the same way."));
  if (s->rotary_dim > 0)
    append_markup (explanation, _(" These are q and k as rotated in step 3."));
  add_vector (self->step_content, "<b>q</b>", "q", s->q_rot, s->head_size, -1);
  add_vector (self->step_content, "<b>k</b>", "k", s->k_rot, s->head_size, -1);
  add_vector (self->step_content, "<b>q<sub>d</sub> k<sub>d</sub></b>", "q⊙k", s->products, s->head_size, -1);
  gtk_box_append (self->step_content, text_new (largest));
}

static void
show_scale (AttnWalkthrough *self,
            const AttnSteps   *s,
            GString         *formula,
            GString         *explanation)
{
  g_autofree char *dot = format_number (s->dot);
  g_autofree char *score = format_number (s->score);
  g_autofree char *details = NULL;

  append_markup (formula, "score = q·k / √d<sub>k</sub> = %s / √%zu = <b>%s</b>", dot, s->head_size, score);
  append_markup (explanation,
                          _("Dividing by √d<sub>k</sub>, the square root of the head size, keeps scores in a range where the softmax "
                            "still compares them, however long the vectors are."));
  details = g_markup_printf_escaped ("d<sub>k</sub> = %zu    √d<sub>k</sub> = %.3f    1/√d<sub>k</sub> = %.3f",
                                     s->head_size, sqrt ((double) s->head_size), s->scale);
  gtk_box_append (self->step_content, text_new (details));
}

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
  g_autofree char *value = masked ? g_strdup (list->masked_text) : format_number (list->values[j]);
  g_autofree char *full = masked ? g_strdup (_("masked: a later token")) : g_strdup_printf ("%.9g", list->values[j]);
  g_autofree char *name = masked ? g_markup_printf_escaped ("<s>%s</s>", list->labels[j])
                                 : g_markup_escape_text (list->labels[j], -1);
  GtkWidget *cells[3] = { list_label (index, 1.0), list_label (NULL, 0.0), list_label (value, 1.0) };

  gtk_label_set_markup (GTK_LABEL (cells[1]), name);
  gtk_label_set_ellipsize (GTK_LABEL (cells[1]), PANGO_ELLIPSIZE_END);
  gtk_label_set_width_chars (GTK_LABEL (cells[1]), 8);
  gtk_label_set_max_width_chars (GTK_LABEL (cells[1]), 12);
  gtk_label_set_width_chars (GTK_LABEL (cells[2]), 6);
  gtk_widget_add_css_class (cells[0], "numeric");
  gtk_widget_add_css_class (cells[0], "dim-label");
  gtk_widget_add_css_class (cells[2], "numeric");
  gtk_widget_set_tooltip_text (cells[2], full);
  if (col > 0)
    gtk_widget_set_margin_start (cells[0], 18);
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
static size_t
n_visible (const AttnSteps *s)
{
  return s->bidirectional ? s->n_tokens : s->query + 1;
}

static GtkWidget *
token_list_new (AttnWalkthrough *self,
                const AttnSteps   *s,
                const float     *values,
                const char      *masked_text)
{
  TokenList *list = g_new0 (TokenList, 1);
  GtkWidget *box, *grid, *expander;
  g_autofree gboolean *shown = NULL;
  g_autofree char *title = NULL;
  int row = 0;

  list->values = g_memdup2 (values, s->n_tokens * sizeof (float));
  list->labels = g_strdupv (self->token_labels);
  list->masked_text = g_strdup (masked_text);
  list->n = s->n_tokens;
  list->first_masked = n_visible (s);
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

static void
show_mask (AttnWalkthrough *self,
           const AttnSteps   *s,
           GString         *formula,
           GString         *explanation)
{
  g_autofree char *score = format_number (s->score);
  g_autofree char *verdict = NULL;

  if (s->bidirectional)
    {
      append_markup (formula, _("no mask: score<sub>ij</sub> stays as it is"));
      append_markup (explanation, _("Here there is no mask, as in the article: every token sees every other, the "
                                    "ones after it too. A GPT reads left to right and masks the future; switch on "
                                    "the causal mask to see what that changes."));
      gtk_box_append (self->step_content, token_list_new (self, s, s->scores, "−∞"));
      return;
    }

  append_markup (formula, "j &gt; i  ⇒  score<sub>ij</sub> = −∞");
  append_markup (explanation, _("GPT-2 reads left to right: a token may look only at itself and at tokens before it. "
                                "Keys in the query's future get −∞, which the softmax turns into a weight of 0."));
  if (s->masked)
    verdict = g_markup_printf_escaped (_("Key %zu “%s” comes after query %zu “%s”: it is in the future, "
                                         "so its score %s becomes <b>−∞</b>."),
                                       s->key, token (self, s->key), s->query, token (self, s->query), score);
  else
    verdict = g_markup_printf_escaped (_("Key %zu “%s” is not after query %zu “%s”: it is visible, "
                                         "so its score stays <b>%s</b>."),
                                       s->key, token (self, s->key), s->query, token (self, s->query), score);
  gtk_box_append (self->step_content, text_new (verdict));
  gtk_box_append (self->step_content, token_list_new (self, s, s->scores, "−∞"));
}

/* An encoder's walkthrough has no mask step: nothing is hidden from any
 * query, so the step would change nothing (the sandbox keeps its page,
 * where the causal-mask switch is). */
static gboolean
skips_mask (AttnWalkthrough *self)
{
  return !attn_walkthrough_get_sandbox (self) && self->result != NULL
         && attn_result_is_bidirectional (self->result);
}

static const char *
mask_skipped_text (void)
{
  return _("This model has no mask step: an encoder such as BERT lets each token attend to every token, "
           "before and after it, so no score is set to −∞.");
}

static void
show_softmax (AttnWalkthrough *self,
              const AttnSteps   *s,
              GString         *formula,
              GString         *explanation)
{
  GtkWidget *bars = attn_walkthrough_strip_new (ATTN_WALKTHROUGH_STRIP_BARS, _("Softmax row"));
  g_autofree char *weight = format_number (s->weight);
  g_autofree char *summary = NULL;
  double sum = 0.0, max = 0.0;

  for (size_t j = 0; j < s->n_tokens; j++)
    {
      sum += s->weights[j];
      max = MAX (max, s->weights[j]);
    }

  append_markup (formula, "w<sub>j</sub> = e<sup>score<sub>j</sub></sup> / Σ<sub>i</sub> e<sup>score<sub>i</sub></sup>"
                 "\nw<sub>%zu</sub> = <b>%s</b>", s->key, weight);
  if (s->bidirectional && s->heads_joined != NULL)
    {
      append_markup (explanation, "%s", mask_skipped_text ());
      g_string_append_c (explanation, ' ');
    }
  append_markup (explanation, _("The softmax turns the query's whole row of scores into weights that are positive "
                                "and sum to 1. The marked bar is “%s”."), token (self, s->key));

  attn_walkthrough_strip_set_values (ATTN_WALKTHROUGH_STRIP (bars), s->weights, 1, s->n_tokens);
  attn_walkthrough_strip_set_labels (ATTN_WALKTHROUGH_STRIP (bars), (const char *const *) self->token_labels,
                                     s->scores, _("score"));
  attn_walkthrough_strip_set_marked (ATTN_WALKTHROUGH_STRIP (bars), s->key);
  attn_walkthrough_strip_set_first_masked (ATTN_WALKTHROUGH_STRIP (bars), n_visible (s));
  {
    /* what the bars show, for screen readers: this key's weight */
    g_autofree char *description = g_strdup_printf (_("“%s” gets weight %.3f of the %zu visible tokens; the largest is %.3f"),
                                                    token (self, s->key), s->weight, n_visible (s), max);

    gtk_accessible_update_property (GTK_ACCESSIBLE (bars), GTK_ACCESSIBLE_PROPERTY_DESCRIPTION, description, -1);
  }
  gtk_box_append (self->step_content, bars);

  if (s->bidirectional)
    summary = g_markup_printf_escaped (_("Σ<sub>j</sub> w<sub>j</sub> = %.3f over all %zu tokens, before and after the query. "
                                         "The tallest bar is %.3f. Hover a bar for its token, weight and score."),
                                       sum, s->n_tokens, max);
  else
    summary = g_markup_printf_escaped (_("Σ<sub>j</sub> w<sub>j</sub> = %.3f over %zu visible tokens; %zu after the query are masked. "
                                         "The tallest bar is %.3f. Hover a bar for its token, weight and score."),
                                       sum, n_visible (s), s->n_tokens - n_visible (s), max);
  gtk_box_append (self->step_content, text_new (summary));
  gtk_box_append (self->step_content, token_list_new (self, s, s->weights, "0"));
}

static void
show_values (AttnWalkthrough *self,
             const AttnSteps   *s,
             GString         *formula,
             GString         *explanation)
{
  g_autofree char *weight = format_number (s->weight);
  g_autofree char *share = g_markup_printf_escaped ("<b>w·v</b> — %s “%s”", _("this key's share"), token (self, s->key));

  append_markup (formula, "out = Σ<sub>j</sub> w<sub>j</sub> v<sub>j</sub>");
  if (s->masked)
    {
      append_markup (explanation, _("The head's output for the query is the average of the visible tokens' values, "
                                    "weighted by attention. “%s” is in the query's future, so it contributes nothing."),
                     token (self, s->key));
    }
  else
    {
      g_string_append_c (formula, '\n');
      append_markup (formula, _("share of “%s” = %s · v"), token (self, s->key), weight);
      append_markup (explanation, _("The head's output for the query is the average of the visible tokens' values, "
                                    "weighted by attention; this key contributes its weight times its value."));
    }
  add_vector (self->step_content, "<b>v</b>", "v", s->v, s->head_size, -1);
  if (!s->masked)
    add_vector (self->step_content, share, "w·v", s->share, s->head_size, -1);
  add_vector (self->step_content, "<b>out</b> = Σ<sub>j</sub> w<sub>j</sub> v<sub>j</sub>", "head output",
              s->head_output, s->head_size, -1);
}

static void
show_heads (AttnWalkthrough *self,
            const AttnSteps   *s,
            GString         *formula,
            GString         *explanation)
{
  AttnWalkthroughStrip *joined;

  if (s->heads_joined == NULL)
    {
      append_markup (formula, "attn = [head<sub>0</sub> ‖ … ‖ head<sub>H−1</sub>]·W<sub>O</sub> + b<sub>O</sub>");
      append_markup (explanation, _("The sandbox has a single head, so there is nothing to join. In the model, every "
                                    "head's output is laid side by side and projected back to the model's width by W<sub>O</sub>; "
                                    "switch to Model to see it."));
      return;
    }

  append_markup (formula, "attn = [head<sub>0</sub> ‖ … ‖ head<sub>%zu</sub>]·W<sub>O</sub> + b<sub>O</sub>",
                 s->n_head - 1);
  append_markup (explanation,
                          _("All %zu heads' outputs for “%s” are laid side by side (%zu numbers; this head's part, "
                            "%zu to %zu, is outlined) and projected by W<sub>O</sub>. The result is added to the residual stream."),
                          s->n_head, token (self, s->query), s->n_head * s->head_size, s->head * s->head_size,
                          (s->head + 1) * s->head_size - 1);
  /* the rest of the block, where it is summarised */
  if (s->swiglu)
    append_markup (explanation, _(" Then the block's MLP, a SwiGLU (down(silu(gate·x) ⊙ up·x)), adds its own part."));
  else
    append_markup (explanation, _(" Then the block's MLP (a GELU layer) adds its own part."));
  joined = add_vector (self->step_content, "<b>[head<sub>0</sub> ‖ … ‖ head<sub>H−1</sub>]</b>", "heads joined",
                       s->heads_joined, s->n_head * s->head_size, -1);
  attn_walkthrough_strip_set_marked_range (joined, s->head * s->head_size, s->head_size);
  add_vector (self->step_content, "<b>attn</b> = […]·W<sub>O</sub> + b<sub>O</sub>", "attention output",
              s->attn_output, s->n_embd, -1);
}

static void
show_step (AttnWalkthrough *self)
{
  static void (*const pages[ATTN_STEP_COUNT]) (AttnWalkthrough *, const AttnSteps *, GString *, GString *) = {
    show_input, show_project, show_rotate, show_dot, show_scale, show_mask, show_softmax, show_values, show_heads,
  };
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
        tooltip = g_strdup_printf (_("%d  %s — skipped. %s"), ATTN_STEP_MASK + 1, _(step_names[ATTN_STEP_MASK]),
                                   mask_skipped_text ());
      else
        tooltip = g_strdup_printf ("%d  %s", ATTN_STEP_MASK + 1, _(step_names[ATTN_STEP_MASK]));
      gtk_widget_set_sensitive (mask_button, !skip);
      gtk_widget_set_tooltip_text (mask_button, tooltip);
      gtk_accessible_update_property (GTK_ACCESSIBLE (mask_button), GTK_ACCESSIBLE_PROPERTY_LABEL, tooltip, -1);
      /* with the Learn tour's definition, as build_stepper () gave it */
      if (!skip && _attn_learn_glossary_term_for_step (ATTN_STEP_MASK) >= 0)
        _attn_learn_glossary_add_tooltip (mask_button, _attn_learn_glossary_term_for_step (ATTN_STEP_MASK));
    }

  while ((child = gtk_widget_get_first_child (GTK_WIDGET (self->step_content))) != NULL)
    gtk_box_remove (self->step_content, child);

  title = g_strdup_printf ("%d  %s", self->step + 1, _(step_names[self->step]));
  counter = g_strdup_printf (_("Step %d of %d"), self->step + 1, ATTN_STEP_COUNT);
  gtk_label_set_label (self->step_title, title);
  gtk_label_set_label (self->step_counter, counter);
  {
    int term = _attn_learn_glossary_term_for_step (self->step);
    g_autofree char *definition = term >= 0 ? _attn_learn_glossary_dup_tooltip (term) : NULL;

    gtk_widget_set_tooltip_text (GTK_WIDGET (self->step_title), definition);
  }

  if (self->steps != NULL)
    pages[self->step] (self, self->steps, formula, explanation);
  else
    append_markup (explanation, "%s", self->message ? self->message : "");

  g_string_prepend (formula, "<span size=\"large\">");
  append_markup (formula, "</span>");
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

static void
recompute_sandbox (AttnWalkthrough *self)
{
  AttnSandboxLayout layout = _attn_walkthrough_get_sandbox_layout (self);
  const char *names[ATTN_SANDBOX_N_TOKENS];
  g_autoptr(GError) error = NULL;
  AttnSteps *steps;

  cancel_steps (self);

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

  steps = attn_sandbox_run_layout (self->embeddings[ATTN_SANDBOX_CAT], self->embeddings[ATTN_SANDBOX_SAT],
                                   layout, ATTN_SANDBOX_CAT,
                                   gtk_toggle_button_get_active (self->key_sat_button) ? ATTN_SANDBOX_SAT : ATTN_SANDBOX_CAT,
                                   &error);
  if (steps == NULL)
    {
      set_message (self, error->message);
      return;
    }
  set_message (self, NULL);
  self->steps = steps;
  set_token_labels (self, names, ATTN_SANDBOX_N_TOKENS);
}

static void
recompute (AttnWalkthrough *self)
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
    recompute (self);
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
  recompute (self);
  g_object_notify_by_pspec (G_OBJECT (self), properties [PROP_SANDBOX]);
}

static void
sandbox_key_toggled_cb (AttnWalkthrough *self)
{
  if (attn_walkthrough_get_sandbox (self))
    recompute (self);
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
    recompute (self);
}

/* ----------------------------------------------------------------------------
 * the sandbox's controls */

static void
build_sandbox (AttnWalkthrough *self)
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
      gtk_grid_attach (grid, heading_new (markup), 0, 0, 3, 1);
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

static void
reset_sandbox (AttnWalkthrough *self,
               const char      *action_name,
               GVariant        *parameter)
{
  for (int t = 0; t < ATTN_SANDBOX_N_TOKENS; t++)
    for (int d = 0; d < ATTN_SANDBOX_DIM; d++)
      gtk_range_set_value (GTK_RANGE (self->sliders[t][d]), attn_sandbox_default_embedding (t)[d]);
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
      g_autofree char *tooltip = g_strdup_printf ("%d  %s", i + 1, _(step_names[i]));
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
  gtk_widget_class_install_action (widget_class, "walkthrough.reset-sandbox", NULL, (GtkWidgetActionActivateFunc) reset_sandbox);
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

  build_sandbox (self);
  build_stepper (self);
  add_shortcuts (self);
  recompute (self);
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
  recompute (self);
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

GtkWidget *
_attn_walkthrough_get_button (AttnWalkthrough *self,
                              gboolean         next)
{
  g_return_val_if_fail (ATTN_IS_WALKTHROUGH (self), NULL);

  return next ? self->next_button : self->back_button;
}
