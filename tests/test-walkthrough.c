/* test-walkthrough.c
 *
 * Copyright 2026 The Attention authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The walkthrough pane under Xvfb: it follows the document's selection (what
 * a heatmap click sets), its own controls move that selection, Next and
 * Back walk the eight steps, every step builds in both modes, and the
 * sandbox's sliders move the numbers as the seed's example says.
 */

#include "config.h"

#include <adwaita.h>
#include <math.h>
#include <string.h>

#include "ae-trace.h"
#include "attn-sandbox.h"
#include "attn-heatmap-view.h"
#include "attn-walkthrough.h"
#include "model-dir.h"

typedef struct
{
  GtkWindow       *window;
  AttnDocument    *document;
  AttnWalkthrough *walkthrough;
  GtkWidget       *heatmap;
} Fixture;

/* The fixture's pane: iterate() also waits for the steps it has asked the
 * document for, which are computed off the main thread. */
static AttnWalkthrough *pane;

static void
iterate (void)
{
  while (g_main_context_iteration (NULL, FALSE))
    ;
  while (pane != NULL && _attn_walkthrough_is_computing (pane))
    g_main_context_iteration (NULL, TRUE);
  while (g_main_context_iteration (NULL, FALSE))
    ;
}

static void
fixture_setup (Fixture       *f,
               gconstpointer  data)
{
  g_autofree char *model = g_test_build_filename (G_TEST_DIST, "fixtures", "models", "tiny-f32", NULL);
  g_autoptr(AttnEngine) engine = NULL;
  g_autoptr(GError) error = NULL;
  GtkWidget *paned = gtk_paned_new (GTK_ORIENTATION_HORIZONTAL);

  engine = attn_engine_new (model, NULL, &error);
  g_assert_no_error (error);

  f->document = attn_document_new ();
  attn_document_set_engine (f->document, engine);
  attn_document_set_text (f->document, "The cat sat on the mat.");
  attn_document_wait (f->document);
  g_assert_nonnull (attn_document_get_result (f->document));
  g_assert_cmpuint (attn_result_get_n_tokens (attn_document_get_result (f->document)), >=, 10);

  f->heatmap = attn_heatmap_view_new ();
  attn_attention_view_set_document (ATTN_ATTENTION_VIEW (f->heatmap), f->document);
  f->walkthrough = ATTN_WALKTHROUGH (attn_walkthrough_new ());
  pane = f->walkthrough;
  g_object_set (f->walkthrough, "document", f->document, NULL);

  gtk_paned_set_start_child (GTK_PANED (paned), f->heatmap);
  gtk_paned_set_end_child (GTK_PANED (paned), GTK_WIDGET (f->walkthrough));
  gtk_paned_set_position (GTK_PANED (paned), 540);
  f->window = GTK_WINDOW (gtk_window_new ());
  gtk_window_set_default_size (f->window, 1000, 700);
  gtk_window_set_child (f->window, paned);
  gtk_window_present (f->window);
  iterate ();
}

static void
fixture_teardown (Fixture       *f,
                  gconstpointer  data)
{
  gtk_window_destroy (f->window);
  pane = NULL;
  iterate ();
  g_clear_object (&f->document);
}

/* Selecting a heatmap cell sets the document's query and key; the pane
 * moves to that pair, layer and head. */
static void
test_follows_selection (Fixture       *f,
                        gconstpointer  data)
{
  const AttnSteps *s;

  g_assert_false (attn_walkthrough_get_sandbox (f->walkthrough));

  attn_document_set_layer (f->document, 1);
  attn_document_set_head (f->document, 2);
  attn_document_set_query (f->document, 5);
  attn_document_set_key (f->document, 3);
  iterate ();

  s = _attn_walkthrough_get_steps (f->walkthrough);
  g_assert_nonnull (s);
  g_assert_cmpuint (s->layer, ==, 1);
  g_assert_cmpuint (s->head, ==, 2);
  g_assert_cmpuint (s->query, ==, 5);
  g_assert_cmpuint (s->key, ==, 3);
  g_assert_false (s->masked);
  g_assert_cmpfloat_with_epsilon (s->weight,
                                  attn_result_get_weights (attn_document_get_result (f->document), 1, 2)[5 * s->n_tokens + 3],
                                  1e-6);

  /* a key in the query's future */
  attn_document_set_key (f->document, 7);
  iterate ();
  s = _attn_walkthrough_get_steps (f->walkthrough);
  g_assert_cmpuint (s->key, ==, 7);
  g_assert_true (s->masked);
  g_assert_cmpfloat (s->weight, ==, 0.0f);

  /* no query selected: nothing to show, and no crash on any step */
  attn_document_set_query (f->document, -1);
  iterate ();
  g_assert_null (_attn_walkthrough_get_steps (f->walkthrough));
  for (int i = 0; i < ATTN_STEP_COUNT; i++)
    attn_walkthrough_set_step (f->walkthrough, i);
}

/* Issue 13: the pane asks the document for its steps, which are computed
 * off the main thread; a selection changed before they are in supersedes
 * them, and only the latest pair's steps are ever shown. */
static void
test_steps_off_main_thread (Fixture       *f,
                            gconstpointer  data)
{
  const AttnSteps *s;

  attn_document_set_layer (f->document, 0);
  attn_document_set_head (f->document, 1);
  attn_document_set_query (f->document, 3);
  attn_document_set_key (f->document, 1);
  /* Nothing computed in the calling thread: the request is out. */
  g_assert_true (_attn_walkthrough_is_computing (f->walkthrough));
  g_assert_null (_attn_walkthrough_get_steps (f->walkthrough));

  /* A newer pair before the first is in. */
  attn_document_set_query (f->document, 6);
  attn_document_set_key (f->document, 2);
  iterate ();
  g_assert_false (_attn_walkthrough_is_computing (f->walkthrough));
  s = _attn_walkthrough_get_steps (f->walkthrough);
  g_assert_nonnull (s);
  g_assert_cmpuint (s->query, ==, 6);
  g_assert_cmpuint (s->key, ==, 2);
  g_assert_cmpuint (s->head, ==, 1);

  /* Taking the query away cancels nothing left and shows no steps. */
  attn_document_set_query (f->document, 4);
  attn_document_set_query (f->document, -1);
  g_assert_false (_attn_walkthrough_is_computing (f->walkthrough));
  iterate ();
  g_assert_null (_attn_walkthrough_get_steps (f->walkthrough));
}

/* The widgets of @type under @widget, in the order they are laid out. */
static void
collect_widgets (GtkWidget *widget,
                 GType      type,
                 GPtrArray *found)
{
  if (G_TYPE_CHECK_INSTANCE_TYPE (widget, type))
    g_ptr_array_add (found, widget);
  for (GtkWidget *child = gtk_widget_get_first_child (widget); child; child = gtk_widget_get_next_sibling (child))
    collect_widgets (child, type, found);
}

/* A mapped label under @widget that reads @text, or NULL. */
static GtkWidget *
find_label (GtkWidget  *widget,
            const char *text)
{
  g_autoptr(GPtrArray) labels = g_ptr_array_new ();

  collect_widgets (widget, GTK_TYPE_LABEL, labels);
  for (guint i = 0; i < labels->len; i++)
    if (gtk_widget_get_mapped (labels->pdata[i]) &&
        g_strcmp0 (gtk_label_get_text (labels->pdata[i]), text) == 0)
      return labels->pdata[i];
  return NULL;
}

/* With no query picked, the pane still follows the document's layer and
 * head (set elsewhere: All Heads, the header's spin buttons), and asks
 * for a pair instead of showing the last one's steps. */
static void
test_no_query_follows_head (Fixture       *f,
                            gconstpointer  data)
{
  g_autoptr(GPtrArray) spins = g_ptr_array_new ();
  const char *prompt = "Click a token or a heatmap cell to choose the query and key.";

  collect_widgets (GTK_WIDGET (f->walkthrough), GTK_TYPE_SPIN_BUTTON, spins);
  g_assert_cmpuint (spins->len, ==, 2);   /* Layer, Head */

  attn_document_set_layer (f->document, 1);
  attn_document_set_head (f->document, 2);
  attn_document_set_query (f->document, 5);
  iterate ();
  g_assert_cmpfloat (gtk_spin_button_get_value (spins->pdata[0]), ==, 1);
  g_assert_cmpfloat (gtk_spin_button_get_value (spins->pdata[1]), ==, 2);
  g_assert_null (find_label (GTK_WIDGET (f->walkthrough), prompt));

  attn_document_set_query (f->document, -1);
  iterate ();
  attn_document_set_layer (f->document, 0);
  attn_document_set_head (f->document, 3);
  iterate ();
  g_assert_cmpint (attn_document_get_layer (f->document), ==, 0);
  g_assert_cmpint (attn_document_get_head (f->document), ==, 3);
  g_assert_cmpfloat (gtk_spin_button_get_value (spins->pdata[0]), ==, 0);
  g_assert_cmpfloat (gtk_spin_button_get_value (spins->pdata[1]), ==, 3);
  g_assert_null (_attn_walkthrough_get_steps (f->walkthrough));
  g_assert_nonnull (find_label (GTK_WIDGET (f->walkthrough), prompt));

  /* the pane's own Head control still moves the document with no query */
  gtk_spin_button_set_value (spins->pdata[1], 1);
  iterate ();
  g_assert_cmpint (attn_document_get_head (f->document), ==, 1);
  g_assert_cmpint (attn_document_get_query (f->document), ==, -1);

  /* a query again: the steps are those of the head now selected */
  attn_document_set_query (f->document, 4);
  iterate ();
  g_assert_cmpuint (_attn_walkthrough_get_steps (f->walkthrough)->layer, ==, 0);
  g_assert_cmpuint (_attn_walkthrough_get_steps (f->walkthrough)->head, ==, 1);
  g_assert_null (find_label (GTK_WIDGET (f->walkthrough), prompt));
}

/* Clicks the heatmap (its click gesture, as a pointer press would) until a
 * press lands on the cell (query, key); FALSE if none does. */
static gboolean
click_heatmap_cell (GtkWidget    *heatmap,
                    AttnDocument *document,
                    int           query,
                    int           key)
{
  g_autoptr(GListModel) controllers = gtk_widget_observe_controllers (heatmap);
  GtkGesture *click = NULL;
  int width = gtk_widget_get_width (heatmap), height = gtk_widget_get_height (heatmap);

  for (guint i = 0; i < g_list_model_get_n_items (controllers) && click == NULL; i++)
    {
      g_autoptr(GObject) controller = g_list_model_get_item (controllers, i);

      if (GTK_IS_GESTURE_CLICK (controller))
        click = GTK_GESTURE (controller);
    }
  g_assert_nonnull (click);
  g_assert_cmpint (width, >, 0);

  /* first a row of the query's, then along it the key's column */
  for (int y = 2; y < height; y += 3)
    for (int x = 2; x < width; x += 12)
      {
        g_signal_emit_by_name (click, "pressed", 1, (double) x, (double) y);
        if (attn_document_get_query (document) != query)
          continue;
        for (x = 2; x < width; x += 2)
          {
            g_signal_emit_by_name (click, "pressed", 1, (double) x, (double) y);
            if (attn_document_get_query (document) == query && attn_document_get_key (document) == key)
              return TRUE;
          }
        return FALSE;
      }
  return FALSE;
}

/* A click on a heatmap cell moves the pane to that pair. */
static void
test_heatmap_click (Fixture       *f,
                    gconstpointer  data)
{
  const AttnSteps *s;

  attn_walkthrough_set_step (f->walkthrough, ATTN_STEP_SCALE);
  g_assert_true (click_heatmap_cell (f->heatmap, f->document, 7, 4));
  iterate ();

  s = _attn_walkthrough_get_steps (f->walkthrough);
  g_assert_nonnull (s);
  g_assert_cmpuint (s->query, ==, 7);
  g_assert_cmpuint (s->key, ==, 4);
  g_assert_cmpuint (s->layer, ==, attn_document_get_layer (f->document));
  g_assert_cmpint (attn_walkthrough_get_step (f->walkthrough), ==, ATTN_STEP_SCALE);
}

/* The pane's own controls move the one selection. */
static void
test_controls_set_document (Fixture       *f,
                            gconstpointer  data)
{
  attn_document_set_query (f->document, 4);
  attn_document_set_key (f->document, 4);
  iterate ();

  gtk_widget_activate_action (GTK_WIDGET (f->walkthrough), "walkthrough.step", "i", 0);
  g_object_set (f->walkthrough, "step", 2, NULL);
  g_assert_cmpint (attn_walkthrough_get_step (f->walkthrough), ==, 2);

  /* the query drop-down is the first GtkDropDown in the pane */
  {
    GtkWidget *w = GTK_WIDGET (f->walkthrough);
    GtkDropDown *drops[2] = { NULL, NULL };
    guint n = 0;
    GtkWidget *stack[64];
    guint depth = 0;

    stack[depth++] = w;
    while (depth > 0 && n < 2)
      {
        GtkWidget *c = stack[--depth];
        GtkWidget *child;
        GPtrArray *children = g_ptr_array_new ();

        if (GTK_IS_DROP_DOWN (c))
          {
            drops[n++] = GTK_DROP_DOWN (c);
            g_ptr_array_unref (children);
            continue;
          }
        for (child = gtk_widget_get_first_child (c); child; child = gtk_widget_get_next_sibling (child))
          g_ptr_array_add (children, child);
        for (guint i = children->len; i > 0 && depth < G_N_ELEMENTS (stack); i--)
          stack[depth++] = children->pdata[i - 1];
        g_ptr_array_unref (children);
      }
    g_assert_nonnull (drops[0]);
    g_assert_nonnull (drops[1]);

    gtk_drop_down_set_selected (drops[0], 6);
    gtk_drop_down_set_selected (drops[1], 1);
    iterate ();
    g_assert_cmpint (attn_document_get_query (f->document), ==, 6);
    g_assert_cmpint (attn_document_get_key (f->document), ==, 1);
    g_assert_cmpuint (_attn_walkthrough_get_steps (f->walkthrough)->query, ==, 6);
    g_assert_cmpuint (_attn_walkthrough_get_steps (f->walkthrough)->key, ==, 1);
  }
  /* following the selection keeps the step */
  g_assert_cmpint (attn_walkthrough_get_step (f->walkthrough), ==, 2);
}

static guint n_step_notifies;

static void
step_notified_cb (void)
{
  n_step_notifies++;
}

/* Runs the pane's shortcut for @accel as the window would. */
static void
activate_shortcut (AttnWalkthrough *walkthrough,
                   const char      *accel)
{
  g_autoptr(GListModel) controllers = gtk_widget_observe_controllers (GTK_WIDGET (walkthrough));
  gboolean found = FALSE;

  for (guint i = 0; i < g_list_model_get_n_items (controllers); i++)
    {
      g_autoptr(GObject) controller = g_list_model_get_item (controllers, i);

      if (!GTK_IS_SHORTCUT_CONTROLLER (controller))
        continue;
      g_assert_cmpint (gtk_shortcut_controller_get_scope (GTK_SHORTCUT_CONTROLLER (controller)), ==,
                       GTK_SHORTCUT_SCOPE_GLOBAL);
      for (guint j = 0; j < g_list_model_get_n_items (G_LIST_MODEL (controller)); j++)
        {
          g_autoptr(GtkShortcut) shortcut = g_list_model_get_item (G_LIST_MODEL (controller), j);
          g_autofree char *trigger = gtk_shortcut_trigger_to_string (gtk_shortcut_get_trigger (shortcut));

          if (g_strcmp0 (trigger, accel) != 0)
            continue;
          g_assert_true (gtk_shortcut_action_activate (gtk_shortcut_get_action (shortcut), 0,
                                                       GTK_WIDGET (gtk_widget_get_root (GTK_WIDGET (walkthrough))),
                                                       gtk_shortcut_get_arguments (shortcut)));
          found = TRUE;
        }
    }
  g_assert_true (found);
}

/* Next and Back, as buttons and as the actions Ctrl+→ / Ctrl+← run. */
static void
test_next_back (Fixture       *f,
                gconstpointer  data)
{
  GtkWidget *next = _attn_walkthrough_get_button (f->walkthrough, TRUE);
  GtkWidget *back = _attn_walkthrough_get_button (f->walkthrough, FALSE);

  attn_document_set_query (f->document, 6);
  attn_document_set_key (f->document, 2);
  attn_walkthrough_set_step (f->walkthrough, 0);
  iterate ();
  n_step_notifies = 0;
  g_signal_connect (f->walkthrough, "notify::step", G_CALLBACK (step_notified_cb), NULL);

  g_assert_false (gtk_widget_get_sensitive (back));
  g_assert_true (gtk_widget_get_sensitive (next));

  for (int i = 1; i < ATTN_STEP_COUNT; i++)
    {
      g_signal_emit_by_name (next, "clicked");   /* what a click does */
      iterate ();
      g_assert_cmpint (attn_walkthrough_get_step (f->walkthrough), ==, i);
    }
  g_assert_false (gtk_widget_get_sensitive (next));
  g_assert_true (gtk_widget_get_sensitive (back));
  g_assert_cmpuint (n_step_notifies, ==, ATTN_STEP_COUNT - 1);

  g_signal_emit_by_name (back, "clicked");
  iterate ();
  g_assert_cmpint (attn_walkthrough_get_step (f->walkthrough), ==, ATTN_STEP_COUNT - 2);

  gtk_widget_activate_action (GTK_WIDGET (f->walkthrough), "walkthrough.previous", NULL);
  gtk_widget_activate_action (GTK_WIDGET (f->walkthrough), "walkthrough.previous", NULL);
  g_assert_cmpint (attn_walkthrough_get_step (f->walkthrough), ==, ATTN_STEP_COUNT - 4);
  gtk_widget_activate_action (GTK_WIDGET (f->walkthrough), "walkthrough.next", NULL);
  g_assert_cmpint (attn_walkthrough_get_step (f->walkthrough), ==, ATTN_STEP_COUNT - 3);

  /* Ctrl+→ / Ctrl+←: the pane's window-wide shortcuts */
  activate_shortcut (f->walkthrough, "<Control>Right");
  g_assert_cmpint (attn_walkthrough_get_step (f->walkthrough), ==, ATTN_STEP_COUNT - 2);
  activate_shortcut (f->walkthrough, "<Control>Left");
  activate_shortcut (f->walkthrough, "<Control>Left");
  g_assert_cmpint (attn_walkthrough_get_step (f->walkthrough), ==, ATTN_STEP_COUNT - 4);

  /* the step list: any step directly */
  gtk_widget_activate_action (GTK_WIDGET (f->walkthrough), "walkthrough.step", "i", 0);
  g_assert_cmpint (attn_walkthrough_get_step (f->walkthrough), ==, 0);
  g_assert_false (gtk_widget_get_sensitive (back));

  g_signal_handlers_disconnect_by_func (f->walkthrough, step_notified_cb, NULL);
}

/* The first GtkButton (or subclass) under @widget labelled @label. */
static GtkWidget *
find_button (GtkWidget  *widget,
             const char *label)
{
  if (GTK_IS_BUTTON (widget) && g_strcmp0 (gtk_button_get_label (GTK_BUTTON (widget)), label) == 0)
    return widget;
  for (GtkWidget *child = gtk_widget_get_first_child (widget); child; child = gtk_widget_get_next_sibling (child))
    {
      GtkWidget *found = find_button (child, label);

      if (found != NULL)
        return found;
    }
  return NULL;
}

/* The sandbox: the seed's figures, then a slider moves q, the dot product
 * and the weight as the matrices say. */
static void
test_sandbox (Fixture       *f,
              gconstpointer  data)
{
  const AttnSteps *s;
  float q_before[ATTN_SANDBOX_DIM], dot_before, weight_before;
  char text[16];

  attn_walkthrough_set_sandbox (f->walkthrough, TRUE);
  iterate ();
  g_assert_true (attn_walkthrough_get_sandbox (f->walkthrough));

  /* The article's order by default: "cat" (0) then "sat" (1), no mask. */
  s = _attn_walkthrough_get_steps (f->walkthrough);
  g_assert_nonnull (s);
  g_assert_cmpint (_attn_walkthrough_get_sandbox_layout (f->walkthrough), ==, ATTN_SANDBOX_ARTICLE);
  g_assert_cmpuint (s->query, ==, 0);
  g_assert_cmpuint (s->key, ==, 1);
  g_assert_true (s->bidirectional);
  g_snprintf (text, sizeof text, "%.3f", s->weight);
  g_assert_cmpstr (text, ==, "0.506");
  g_snprintf (text, sizeof text, "%.3f", s->dot);
  g_assert_cmpstr (text, ==, "0.052");
  memcpy (q_before, s->q, sizeof q_before);
  dot_before = s->dot;
  weight_before = s->weight;

  /* the document's selection does not disturb the sandbox */
  attn_document_set_query (f->document, 3);
  iterate ();
  g_assert_cmpuint (_attn_walkthrough_get_steps (f->walkthrough)->query, ==, 0);

  /* The causal mask in that order hides "sat" from "cat"; "sat" first, as
   * a GPT needs, shows it again with the article's weight. */
  _attn_walkthrough_set_causal (f->walkthrough, TRUE, FALSE);
  iterate ();
  s = _attn_walkthrough_get_steps (f->walkthrough);
  g_assert_cmpint (_attn_walkthrough_get_sandbox_layout (f->walkthrough), ==, ATTN_SANDBOX_CAUSAL);
  g_assert_true (s->masked);
  g_assert_cmpfloat (s->weight, ==, 0.0f);
  for (int i = 0; i < ATTN_STEP_COUNT; i++)
    attn_walkthrough_set_step (f->walkthrough, i);
  _attn_walkthrough_set_causal (f->walkthrough, TRUE, TRUE);
  iterate ();
  s = _attn_walkthrough_get_steps (f->walkthrough);
  g_assert_cmpuint (s->query, ==, ATTN_SANDBOX_CAT);
  g_assert_cmpuint (s->key, ==, ATTN_SANDBOX_SAT);
  g_assert_false (s->masked);
  g_snprintf (text, sizeof text, "%.3f", s->weight);
  g_assert_cmpstr (text, ==, "0.506");
  _attn_walkthrough_set_causal (f->walkthrough, FALSE, FALSE);
  iterate ();

  /* slider 1 of "cat": 0.70 → −0.20 */
  _attn_walkthrough_set_embedding (f->walkthrough, TRUE, 0, -0.20);
  iterate ();
  s = _attn_walkthrough_get_steps (f->walkthrough);
  g_assert_cmpfloat_with_epsilon (s->x[0], -0.20, 1e-6);
  for (int j = 0; j < ATTN_SANDBOX_DIM; j++)
    g_assert_cmpfloat_with_epsilon (s->q[j] - q_before[j], -0.90 * attn_sandbox_w_q ()[j], 1e-5);
  g_assert_cmpfloat (fabs (s->dot - dot_before), >, 1e-3);
  g_assert_cmpfloat (s->weight, !=, weight_before);

  /* the key "cat": the query's attention to itself, the rest of its row */
  {
    float weight_sat = _attn_walkthrough_get_steps (f->walkthrough)->weight;
    GtkWidget *key_cat = find_button (GTK_WIDGET (f->walkthrough), "cat");

    g_assert_true (GTK_IS_TOGGLE_BUTTON (key_cat));
    gtk_toggle_button_set_active (GTK_TOGGLE_BUTTON (key_cat), TRUE);
    s = _attn_walkthrough_get_steps (f->walkthrough);
    g_assert_cmpuint (s->key, ==, 0);
    g_assert_cmpfloat_with_epsilon (s->weight, 1.0 - weight_sat, 1e-6);
    gtk_toggle_button_set_active (GTK_TOGGLE_BUTTON (find_button (GTK_WIDGET (f->walkthrough), "sat")), TRUE);
    g_assert_cmpuint (_attn_walkthrough_get_steps (f->walkthrough)->key, ==, 1);
  }

  /* every step builds, and Reset brings the seed back */
  for (int i = 0; i < ATTN_STEP_COUNT; i++)
    {
      attn_walkthrough_set_step (f->walkthrough, i);
      iterate ();
    }
  gtk_widget_activate_action (GTK_WIDGET (f->walkthrough), "walkthrough.reset-sandbox", NULL);
  iterate ();
  g_snprintf (text, sizeof text, "%.3f", _attn_walkthrough_get_steps (f->walkthrough)->weight);
  g_assert_cmpstr (text, ==, "0.506");

  attn_walkthrough_set_sandbox (f->walkthrough, FALSE);
  iterate ();
  g_assert_cmpuint (_attn_walkthrough_get_steps (f->walkthrough)->query, ==, 3);
}

/* The text of every mapped label under @widget, one per line. */
static char *
mapped_text (GtkWidget *widget)
{
  g_autoptr(GPtrArray) labels = g_ptr_array_new ();
  GString *text = g_string_new (NULL);

  collect_widgets (widget, GTK_TYPE_LABEL, labels);
  for (guint i = 0; i < labels->len; i++)
    if (gtk_widget_get_mapped (labels->pdata[i]))
      g_string_append_printf (text, "%s\n", gtk_label_get_text (labels->pdata[i]));
  return g_string_free (text, FALSE);
}

/* "0.123" or "−0.123", as the pane prints numbers. */
static char *
pane_number (double value)
{
  if (fabs (value) < 0.0005)
    value = 0.0;
  return value < 0 ? g_strdup_printf ("−%.3f", -value) : g_strdup_printf ("%.3f", value);
}

/* Every step of the model builds, mapped, for a visible and a masked key,
 * and shows that step: its title and counter, a page unlike the one
 * before, and the step's own number (the dot product, the scaled score,
 * the softmax weight) from the steps the pane computed.  The test used to
 * read back only the step number it had just set. */
static void
test_every_step (Fixture       *f,
                 gconstpointer  data)
{
  static const char *const titles[ATTN_STEP_COUNT] = {
    "Input", "Project to Q, K, V", "Rotate by position", "Dot product", "Scale", "Mask",
    "Softmax", "Weighted sum of values", "Heads joined",
  };
  int keys[] = { 2, 9 };

  attn_document_set_query (f->document, 6);
  for (guint k = 0; k < G_N_ELEMENTS (keys); k++)
    {
      g_autofree char *previous = NULL;

      attn_document_set_key (f->document, keys[k]);
      for (int i = 0; i < ATTN_STEP_COUNT; i++)
        {
          g_autofree char *text = NULL;
          g_autofree char *title = g_strdup_printf ("%d  %s", i + 1, titles[i]);
          g_autofree char *counter = g_strdup_printf ("Step %d of %d", i + 1, ATTN_STEP_COUNT);
          g_autofree char *number = NULL;
          const AttnSteps *s;

          attn_walkthrough_set_step (f->walkthrough, i);
          iterate ();
          g_assert_cmpint (attn_walkthrough_get_step (f->walkthrough), ==, i);
          s = _attn_walkthrough_get_steps (f->walkthrough);
          g_assert_nonnull (s);
          g_assert_cmpuint (s->query, ==, 6);
          g_assert_cmpuint (s->key, ==, keys[k]);

          text = mapped_text (GTK_WIDGET (f->walkthrough));
          if (strstr (text, title) == NULL || strstr (text, counter) == NULL)
            g_error ("step %d does not show “%s” and “%s”:\n%s", i, title, counter, text);
          g_assert_cmpstr (text, !=, previous);

          if (i == ATTN_STEP_DOT)
            number = pane_number (s->dot);
          else if (i == ATTN_STEP_SCALE)
            number = pane_number (s->score);
          else if (i == ATTN_STEP_SOFTMAX)
            number = pane_number (s->weight);
          if (number != NULL && strstr (text, number) == NULL)
            g_error ("step %d does not show its number %s:\n%s", i, number, text);

          g_free (previous);
          previous = g_steal_pointer (&text);
        }
    }
}

/* The pane's steps, if any, are those of the document's result: q as
 * recomputed from the weights equals q in the trace. */
static void
assert_steps_match_result (Fixture *f)
{
  const AttnSteps *s = _attn_walkthrough_get_steps (f->walkthrough);
  AttnResult *result = attn_document_get_result (f->document);
  const float *q;

  if (s == NULL)
    return;
  g_assert_nonnull (result);
  q = ae_trace_q (attn_result_get_trace (result), s->layer, s->head) + s->query * s->head_size;
  for (size_t i = 0; i < s->head_size; i++)
    g_assert_cmpfloat_with_epsilon (s->q[i], q[i], 1e-5);
}

/* Switching to a model of the same shape (issue 11): the pane never shows
 * steps computed from the new weights over the old trace.  Right after the
 * switch it has no steps; once the new run is in, its steps agree with the
 * new result's weights. */
static void
test_engine_switch (Fixture       *f,
                    gconstpointer  data)
{
  g_autofree char *dir = copy_model ("tiny-f32");
  g_autoptr(AttnEngine) engine = NULL;

  patch_tensor (dir, "h.0.attn.c_attn.weight", 0, 512, 0.25f);
  engine = attn_engine_new (dir, NULL, NULL);
  g_assert_nonnull (engine);

  attn_document_set_layer (f->document, 0);
  attn_document_set_head (f->document, 0);
  attn_document_set_query (f->document, 6);
  attn_document_set_key (f->document, 2);
  iterate ();
  g_assert_nonnull (_attn_walkthrough_get_steps (f->walkthrough));

  /* A new model, then a new query, before its run is in (no main loop
   * iteration: the pane follows the document synchronously): the old code
   * recomputed q from the new weights over the old trace here. */
  attn_document_set_engine (f->document, engine);
  assert_steps_match_result (f);
  attn_document_set_query (f->document, 5);
  assert_steps_match_result (f);

  attn_document_wait (f->document);
  iterate ();
  g_assert_true (attn_result_get_engine (attn_document_get_result (f->document)) == engine);
  g_assert_nonnull (_attn_walkthrough_get_steps (f->walkthrough));
  assert_steps_match_result (f);
  remove_dir (dir);
}

/* An encoder (BERT) has no mask: the steps see every key, Next and Back
 * and Ctrl+arrows step over the mask, whose stepper button says why, and
 * the softmax page says it too. */
static void
test_encoder_skips_mask (Fixture       *f,
                         gconstpointer  data)
{
  g_autofree char *dir = model_path ("bert-mlm");
  g_autoptr(AttnEngine) engine = attn_engine_new (dir, NULL, NULL);
  GtkWidget *next = _attn_walkthrough_get_button (f->walkthrough, TRUE);
  GtkWidget *back = _attn_walkthrough_get_button (f->walkthrough, FALSE);
  GtkWidget *mask_button = NULL;
  g_autofree char *text = NULL;
  const AttnSteps *s;
  guint T;

  g_assert_nonnull (engine);
  attn_document_set_engine (f->document, engine);
  attn_document_set_text (f->document, "the cat sat on the mat");
  attn_document_wait (f->document);
  iterate ();
  g_assert_true (attn_result_is_bidirectional (attn_document_get_result (f->document)));
  T = attn_result_get_n_tokens (attn_document_get_result (f->document));

  /* a key after the query: visible, with a weight of its own */
  attn_document_set_query (f->document, 1);
  attn_document_set_key (f->document, T - 1);
  attn_walkthrough_set_step (f->walkthrough, ATTN_STEP_SCALE);
  iterate ();
  s = _attn_walkthrough_get_steps (f->walkthrough);
  g_assert_nonnull (s);
  g_assert_true (s->bidirectional);
  g_assert_false (s->masked);
  g_assert_cmpfloat (s->weight, >, 0.0f);
  g_assert_cmpfloat_with_epsilon (s->weight,
                                  attn_result_get_weights (attn_document_get_result (f->document), 0, 0)[T + T - 1],
                                  1e-6);

  g_signal_emit_by_name (next, "clicked");
  iterate ();
  g_assert_cmpint (attn_walkthrough_get_step (f->walkthrough), ==, ATTN_STEP_SOFTMAX);
  text = mapped_text (GTK_WIDGET (f->walkthrough));
  if (strstr (text, "no mask step") == NULL || strstr (text, "attend to every token") == NULL
      || strstr (text, "before and after the query") == NULL)
    g_error ("the softmax page does not say why there is no mask:\n%s", text);
  g_signal_emit_by_name (back, "clicked");
  iterate ();
  g_assert_cmpint (attn_walkthrough_get_step (f->walkthrough), ==, ATTN_STEP_SCALE);
  activate_shortcut (f->walkthrough, "<Control>Right");
  g_assert_cmpint (attn_walkthrough_get_step (f->walkthrough), ==, ATTN_STEP_SOFTMAX);
  attn_walkthrough_set_step (f->walkthrough, ATTN_STEP_MASK);
  g_assert_cmpint (attn_walkthrough_get_step (f->walkthrough), !=, ATTN_STEP_MASK);

  /* the stepper's sixth button: off, and its tooltip says why */
  mask_button = find_button (GTK_WIDGET (f->walkthrough), "6");
  g_assert_nonnull (mask_button);
  g_assert_false (gtk_widget_get_sensitive (mask_button));
  g_assert_nonnull (strstr (gtk_widget_get_tooltip_text (mask_button), "skipped"));

  /* the sandbox keeps its mask page (with the causal-mask switch) */
  attn_walkthrough_set_sandbox (f->walkthrough, TRUE);
  iterate ();
  attn_walkthrough_set_step (f->walkthrough, ATTN_STEP_MASK);
  iterate ();
  g_assert_cmpint (attn_walkthrough_get_step (f->walkthrough), ==, ATTN_STEP_MASK);
  g_assert_true (gtk_widget_get_sensitive (mask_button));
  attn_walkthrough_set_sandbox (f->walkthrough, FALSE);
  iterate ();
  g_assert_cmpint (attn_walkthrough_get_step (f->walkthrough), ==, ATTN_STEP_SOFTMAX);
}

static void
test_new_destroy (void)
{
  GtkWidget *walkthrough = attn_walkthrough_new ();
  g_autoptr(AttnDocument) document = attn_document_new ();

  g_object_ref_sink (walkthrough);
  attn_walkthrough_set_document (ATTN_WALKTHROUGH (walkthrough), document);
  g_assert_true (attn_walkthrough_get_document (ATTN_WALKTHROUGH (walkthrough)) == document);
  g_assert_null (_attn_walkthrough_get_steps (ATTN_WALKTHROUGH (walkthrough)));
  g_assert_finalize_object (walkthrough);
}

int
main (int   argc,
      char *argv[])
{
  if (g_getenv ("DISPLAY") == NULL && g_getenv ("WAYLAND_DISPLAY") == NULL)
    return 77;   /* meson: SKIP */

  gtk_test_init (&argc, &argv, NULL);
  adw_init ();

  g_test_add_func ("/attention/walkthrough/new-destroy", test_new_destroy);
  g_test_add ("/attention/walkthrough/follows-selection", Fixture, NULL,
              fixture_setup, test_follows_selection, fixture_teardown);
  g_test_add ("/attention/walkthrough/steps-off-main-thread", Fixture, NULL,
              fixture_setup, test_steps_off_main_thread, fixture_teardown);
  g_test_add ("/attention/walkthrough/no-query-follows-head", Fixture, NULL,
              fixture_setup, test_no_query_follows_head, fixture_teardown);
  g_test_add ("/attention/walkthrough/heatmap-click", Fixture, NULL,
              fixture_setup, test_heatmap_click, fixture_teardown);
  g_test_add ("/attention/walkthrough/controls-set-document", Fixture, NULL,
              fixture_setup, test_controls_set_document, fixture_teardown);
  g_test_add ("/attention/walkthrough/next-back", Fixture, NULL,
              fixture_setup, test_next_back, fixture_teardown);
  g_test_add ("/attention/walkthrough/sandbox", Fixture, NULL,
              fixture_setup, test_sandbox, fixture_teardown);
  g_test_add ("/attention/walkthrough/engine-switch", Fixture, NULL,
              fixture_setup, test_engine_switch, fixture_teardown);
  g_test_add ("/attention/walkthrough/every-step", Fixture, NULL,
              fixture_setup, test_every_step, fixture_teardown);
  g_test_add ("/attention/walkthrough/encoder-skips-mask", Fixture, NULL,
              fixture_setup, test_encoder_skips_mask, fixture_teardown);

  return g_test_run ();
}
