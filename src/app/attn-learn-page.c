/* attn-learn-page.c
 *
 * Copyright 2026 The Attention authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The text is ours, written for this app; the facts come from the papers
 * and lectures the last section lists.  Each section is a heading, a few
 * short paragraphs, one live figure and the buttons that open the full
 * view where the figure came from.
 */

#define G_LOG_DOMAIN "attn-learn-page"

#include "config.h"

#include <adwaita.h>
#include <glib/gi18n.h>
#include <string.h>

#include "attn-learn-ablation.h"
#include "attn-learn-block.h"
#include "attn-learn-encoder.h"
#include "attn-learn-example.h"
#include "attn-learn-glossary.h"
#include "attn-learn-heads.h"
#include "attn-learn-norms.h"
#include "attn-learn-page.h"
#include "attn-learn-reading.h"
#include "attn-learn-step.h"
#include "attn-result-vectors.h"
#include "attn-learn-tint.h"

struct _AttnLearnPage
{
  GtkWidget       parent_instance;

  GtkWidget      *scrolled;
  GtkWidget      *content;                          /* the clamp's box */
  GtkWidget      *sections[ATTN_LEARN_N_SECTIONS];  /* NULL: not in this build */
  GPtrArray      *figures;                          /* AttnLearnFigure, borrowed */
  AttnDocument   *document;
  char           *pending_focus;                    /* token to select once the example is computed */
  GtkWidget      *params_label;                     /* attention's share of a block's parameters */
  GtkWidget      *encoder;                          /* what a bidirectional model shows */
};

G_DEFINE_FINAL_TYPE (AttnLearnPage, attn_learn_page, GTK_TYPE_WIDGET)

enum {
  PROP_0,
  PROP_DOCUMENT,
  N_PROPS
};

enum {
  OPEN_VIEW,
  OPEN_WALKTHROUGH,
  N_SIGNALS
};

static GParamSpec *properties [N_PROPS];
static guint signals [N_SIGNALS];

/* The sentences the tour loads into the editor. */
#define EXAMPLE_CAT "The cat sat on the mat."
#define EXAMPLE_BANK "I went to the bank to deposit money, then sat on the river bank."
#define EXAMPLE_ANIMAL "The animal didn't cross the street because it was too tired."
#define EXAMPLE_TROPHY "The trophy didn't fit in the suitcase because it was too big."
#define EXAMPLE_REPEAT "river stone table music paper window letter water light money " \
                       "river stone table music paper window letter water light money"
#define EXAMPLE_LONG "When the little girl finally found the old key that her grandmother " \
                     "had hidden in the garden years ago, she ran back to the house to open the box."

/* ------------------------------------------------------------------------ */
/* Building blocks                                                          */

static GtkWidget *
add_paragraph (GtkWidget  *box,
               const char *markup)
{
  GtkWidget *label = gtk_label_new (NULL);

  gtk_label_set_markup (GTK_LABEL (label), markup);
  gtk_label_set_wrap (GTK_LABEL (label), TRUE);
  gtk_label_set_wrap_mode (GTK_LABEL (label), PANGO_WRAP_WORD_CHAR);
  gtk_label_set_xalign (GTK_LABEL (label), 0);
  gtk_widget_add_css_class (label, "learn-paragraph");
  gtk_box_append (GTK_BOX (box), label);
  return label;
}

static GtkWidget *
add_subheading (GtkWidget  *box,
                const char *text)
{
  GtkWidget *label = g_object_new (GTK_TYPE_LABEL,
                                   "label", text,
                                   "xalign", 0.0f,
                                   "wrap", TRUE,
                                   "accessible-role", GTK_ACCESSIBLE_ROLE_HEADING,
                                   NULL);

  gtk_widget_add_css_class (label, "heading");
  gtk_box_append (GTK_BOX (box), label);
  return label;
}

static GtkWidget *
add_button (GtkWidget  *box,
            const char *label,
            const char *name,
            GCallback   callback,
            gpointer    data)
{
  GtkWidget *button = gtk_button_new_with_mnemonic (label);
  GtkWidget *child = gtk_button_get_child (GTK_BUTTON (button));

  /* Long labels wrap rather than widen a narrow window. */
  gtk_label_set_wrap (GTK_LABEL (child), TRUE);
  gtk_label_set_justify (GTK_LABEL (child), GTK_JUSTIFY_LEFT);
  gtk_widget_set_name (button, name);
  gtk_widget_set_halign (button, GTK_ALIGN_START);
  g_signal_connect_swapped (button, "clicked", callback, data);
  gtk_box_append (GTK_BOX (box), button);
  return button;
}

/* A figure in a card, bound to the page's document. */
static GtkWidget *
add_figure (AttnLearnPage *self,
            GtkWidget     *box,
            GtkWidget     *figure,
            const char    *name)
{
  GtkWidget *frame = gtk_box_new (GTK_ORIENTATION_VERTICAL, 0);

  gtk_widget_add_css_class (frame, "card");
  gtk_widget_add_css_class (frame, "learn-figure");
  gtk_widget_set_name (figure, name);
  gtk_widget_set_margin_top (figure, 12);
  gtk_widget_set_margin_bottom (figure, 12);
  gtk_widget_set_margin_start (figure, 12);
  gtk_widget_set_margin_end (figure, 12);
  gtk_box_append (GTK_BOX (frame), figure);
  gtk_box_append (GTK_BOX (box), frame);
  g_ptr_array_add (self->figures, figure);
  g_object_bind_property (self, "document", figure, "document", G_BINDING_SYNC_CREATE);
  return figure;
}

static GtkWidget *
add_section (AttnLearnPage    *self,
             AttnLearnSection  section,
             const char       *title)
{
  GtkWidget *box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 12);
  GtkWidget *heading;
  g_autofree char *numbered = NULL;
  g_autofree char *name = g_strdup_printf ("section-%u", section + 1);

  /* Translators: a section heading of the Learn tour, "3. How it works" */
  numbered = g_strdup_printf (_("%u. %s"), section + 1, title);
  heading = g_object_new (GTK_TYPE_LABEL,
                          "label", numbered,
                          "xalign", 0.0f,
                          "wrap", TRUE,
                          "accessible-role", GTK_ACCESSIBLE_ROLE_HEADING,
                          NULL);
  gtk_widget_add_css_class (heading, "title-2");
  gtk_box_append (GTK_BOX (box), heading);
  gtk_widget_set_name (box, name);
  gtk_widget_add_css_class (box, "learn-section");
  gtk_accessible_update_relation (GTK_ACCESSIBLE (box),
                                  GTK_ACCESSIBLE_RELATION_LABELLED_BY, heading, NULL, -1);
  gtk_box_append (GTK_BOX (self->content), box);
  self->sections[section] = box;
  return box;
}

/* ------------------------------------------------------------------------ */
/* What the buttons do                                                      */

/* The selection the figures show becomes the document's, so the view that
 * opens shows the same query (and key). */
static void
commit_focus (AttnLearnPage *self)
{
  if (self->document == NULL || self->figures->len == 0)
    return;
  /* Every figure has the same query and key; the first one says which. */
  _attn_learn_figure_commit_focus (g_ptr_array_index (self->figures, 0));
}

static void
open_view (AttnLearnPage *self,
           const char    *view)
{
  commit_focus (self);
  g_signal_emit (self, signals[OPEN_VIEW], 0, view);
}

static void
open_step_cb (AttnLearnPage *self,
              GtkButton     *button)
{
  commit_focus (self);
  g_signal_emit (self, signals[OPEN_WALKTHROUGH], 0,
                 GPOINTER_TO_INT (g_object_get_data (G_OBJECT (button), "step")));
}

static void
open_heatmap_cb (AttnLearnPage *self)
{
  open_view (self, "heatmap");
}

static void
open_arcs_cb (AttnLearnPage *self)
{
  open_view (self, "arcs");
}

/* Selects the last occurrence of @word among the tokens (a model with a
 * short context may not have read the whole text): the last token of it,
 * which has read the whole word (a small vocabulary splits words). */
static gboolean
focus_word (AttnLearnPage *self,
            const char    *word)
{
  AttnResult *result = attn_document_get_result (self->document);
  const char *text;
  gsize len = strlen (word);

  if (result == NULL)
    return FALSE;
  text = attn_result_get_text (result);
  for (const char *p = g_strrstr (text, word); p != NULL;
       p = p > text ? g_strrstr_len (text, p - text + len - 1, word) : NULL)
    {
      gsize start = p - text, end = start + len;

      if ((p > text && g_ascii_isalnum (p[-1])) || g_ascii_isalnum (p[len]))
        continue;
      for (int i = (int) attn_result_get_n_tokens (result) - 1; i >= 0; i--)
        {
          gsize token_start, token_end;

          attn_result_get_token_span (result, i, &token_start, &token_end);
          if (token_start < end && token_end > start)
            {
              attn_document_set_query (self->document, i);
              return TRUE;
            }
        }
    }
  return FALSE;
}

static void update_params (AttnLearnPage *self);

static void
document_result_changed_cb (AttnLearnPage *self)
{
  AttnResult *result = attn_document_get_result (self->document);

  update_params (self);

  if (self->pending_focus == NULL || result == NULL
      || g_strcmp0 (attn_result_get_text (result), attn_document_get_text (self->document)) != 0)
    return;
  focus_word (self, self->pending_focus);
  g_clear_pointer (&self->pending_focus, g_free);
}

/* Loads @text into the editor (through the document, which the editor
 * follows) and selects @word in it once it is computed. */
static void
load_example (AttnLearnPage *self,
              const char    *text,
              const char    *word)
{
  if (self->document == NULL)
    return;
  g_free (self->pending_focus);
  self->pending_focus = g_strdup (word);
  attn_document_set_query (self->document, -1);
  attn_document_set_key (self->document, -1);
  if (g_strcmp0 (attn_document_get_text (self->document), text) == 0)
    document_result_changed_cb (self);
  else
    attn_document_set_text (self->document, text);
}

static void load_cat_cb (AttnLearnPage *self) { load_example (self, EXAMPLE_CAT, "sat"); }
static void load_bank_cb (AttnLearnPage *self) { load_example (self, EXAMPLE_BANK, "bank"); }
static void load_animal_cb (AttnLearnPage *self) { load_example (self, EXAMPLE_ANIMAL, "it"); }
static void load_long_cb (AttnLearnPage *self) { load_example (self, EXAMPLE_LONG, "open"); }
static void load_repeat_cb (AttnLearnPage *self) { load_example (self, EXAMPLE_REPEAT, "table"); }

static void
download_cb (AttnLearnPage *self)
{
  gtk_widget_activate_action (GTK_WIDGET (self), "win.download-model", NULL);
}

/* ------------------------------------------------------------------------ */
/* The sections                                                             */

static void
build_what (AttnLearnPage *self)
{
  GtkWidget *box = add_section (self, ATTN_LEARN_SECTION_WHAT, _("What attention is"));

  add_paragraph (box, _("A language model reads text as a row of <b>tokens</b>: words, pieces of "
                        "words and punctuation. To decide what one token means here, it needs "
                        "the others. <b>Attention</b> is how a token gathers them: it gives every "
                        "token it can see a weight between 0 and 1, the weights add up to 1, and "
                        "the token takes in a blend of the others in those proportions."));
  add_paragraph (box, _("Think of a highlighter. Choose a token, and every earlier token is marked "
                        "as brightly as the chosen one attends to it. Below is the sentence from "
                        "the editor, highlighted for the outlined token by the selected head of "
                        "the loaded model. Click any token to move the highlighter; the layer and "
                        "head selectors in the header bar change whose attention you see."));
  add_figure (self, box, attn_learn_tint_new (), "figure-what");
  add_paragraph (box, _("Bright (yellow) tokens get much of the weight, dark (purple) ones little; "
                        "the faded tokens come after the outlined one, and a model that writes left "
                        "to right cannot see them. Every number in this tour is computed by the "
                        "model on your sentence. "
                        "Type in the editor above and the figures follow."));
  add_button (box, _("Open in the _Heatmap"), "open-what-heatmap", G_CALLBACK (open_heatmap_cb), self);
  add_button (box, _("Open as _Arcs"), "open-what-arcs", G_CALLBACK (open_arcs_cb), self);
}

static void
build_why (AttnLearnPage *self)
{
  GtkWidget *box = add_section (self, ATTN_LEARN_SECTION_WHY, _("Why it matters"));

  add_paragraph (box, _("Before transformers, recurrent networks read a sentence one word at a time "
                        "and squeezed everything so far into one memory vector, so early words "
                        "faded before they were needed. Attention lets every token look straight "
                        "at every other one. Four things follow; each button loads an example into "
                        "the editor and selects the token to watch."));
  add_figure (self, box, attn_learn_tint_new (), "figure-why");

  add_subheading (box, _("Context"));
  add_paragraph (box, _("A word is read in the light of its neighbours: “sat” needs to know who "
                        "sat, and attention lets it fetch “cat” from two tokens back."));
  add_button (box, _("Try “The cat sat on the mat.”"), "example-context", G_CALLBACK (load_cat_cb), self);

  add_subheading (box, _("Disambiguation"));
  add_paragraph (box, _("The same word can mean different things: a bank for money, the bank of a "
                        "river. The surrounding words decide, and attention is how they reach it. "
                        "A pronoun is the same puzzle: to read “it”, the model has to find what "
                        "“it” stands for."));
  add_button (box, _("Try the two banks"), "example-bank", G_CALLBACK (load_bank_cb), self);
  add_button (box, _("Try what “it” refers to"), "example-it", G_CALLBACK (load_animal_cb), self);

  add_subheading (box, _("Parallel processing"));
  add_paragraph (box, _("A recurrent network must finish word five before it starts word six. "
                        "Attention computes the weights of all tokens at once, as a few matrix "
                        "products, which is why transformers train so well on parallel hardware: "
                        "a head's whole heatmap comes out of one multiplication."));
  add_button (box, _("Try a longer sentence"), "example-long", G_CALLBACK (load_long_cb), self);

  add_subheading (box, _("Long range"));
  add_paragraph (box, _("Any two tokens are one step apart, however far apart they stand. In a "
                        "repeated sequence, a head can reach ten tokens back to the word that "
                        "followed last time."));
  add_button (box, _("Try a repeated sequence"), "example-repeat", G_CALLBACK (load_repeat_cb), self);
  add_paragraph (box, _("The built-in model is small and was trained briefly; a published model such "
                        "as GPT-2 small shows these patterns far more clearly."));
  add_button (box, _("_Download a Model…"), "download-why", G_CALLBACK (download_cb), self);
}

static void
build_steps (AttnLearnPage *self)
{
  static const char *titles[ATTN_LEARN_N_STEPS] = {
    N_("Step 1: queries, keys and values"),
    N_("Step 2: scores"),
    N_("Step 3: scaling and softmax"),
    N_("Step 4: a weighted sum of values"),
    N_("Step 5: the causal mask"),
    N_("Step 6: many heads, joined by W_O"),
  };
  static const char *texts[ATTN_LEARN_N_STEPS] = {
    N_("Every token enters the layer as a vector of numbers. The head makes three new vectors from "
       "it with three learned matrices: a <b>query</b> (what this token is looking for), a <b>key</b> "
       "(what it can be found by) and a <b>value</b> (what it passes on)."),
    N_("To decide how much a query should take from a key, the head compares them with a dot "
       "product: multiply the two vectors number by number and add the products. Vectors that point "
       "the same way give a large score."),
    N_("The scores are divided by the square root of the head size, so that longer vectors do not "
       "make them extreme, and the softmax turns the row into weights between 0 and 1 that add up "
       "to 1."),
    N_("The head's output for the query is the values of the tokens it sees, each multiplied by its "
       "weight and added up. A token with weight 0.5 contributes half its value."),
    N_("A model that writes text left to right must not peek at the words it has not written yet. "
       "Before the softmax, the scores of all later tokens are replaced by minus infinity, so their "
       "weights are exactly 0."),
    N_("A layer runs several heads at once, each with its own matrices and so its own pattern. Their "
       "outputs are put side by side and multiplied by one more matrix, W_O, which gives a vector as "
       "wide as the model's; it is added to the token's vector (the residual stream)."),
  };
  static const AttnTerm terms[ATTN_LEARN_N_STEPS] = {
    ATTN_TERM_QUERY, ATTN_TERM_SCORE, ATTN_TERM_SOFTMAX, ATTN_TERM_VALUE, ATTN_TERM_CAUSAL_MASK,
    ATTN_TERM_MULTI_HEAD,
  };
  GtkWidget *box = add_section (self, ATTN_LEARN_SECTION_STEPS, _("How it works, in six steps"));

  add_paragraph (box, _("Here is one head at work, with its real numbers for the outlined query "
                        "and one key it looks at (the one it weights most after the first token and "
                        "itself, or the key you pin by "
                        "hovering and clicking in the heatmap). Colours: blue negative, red "
                        "positive. Each step opens in the walkthrough, which shows every number."));
  for (guint i = 0; i < ATTN_LEARN_N_STEPS; i++)
    {
      g_autofree char *figure = g_strdup_printf ("figure-step-%u", i + 1);
      g_autofree char *name = g_strdup_printf ("open-step-%u", i + 1);
      GtkWidget *button;

      _attn_learn_glossary_add_tooltip (add_subheading (box, _(titles[i])), terms[i]);
      add_paragraph (box, _(texts[i]));
      add_figure (self, box, attn_learn_step_new (i), figure);
      button = add_button (box, _("Open This Step in the _Walkthrough"), name, G_CALLBACK (open_step_cb), self);
      g_object_set_data (G_OBJECT (button), "step", GINT_TO_POINTER (i));
    }
}

static void
open_head_cb (AttnLearnPage *self,
              guint          layer,
              guint          head)
{
  attn_document_set_layer (self->document, layer);
  attn_document_set_head (self->document, head);
  open_view (self, "heatmap");
}

static void
open_grid_cb (AttnLearnPage *self)
{
  open_view (self, "grid");
}

static void
build_heads (AttnLearnPage *self)
{
  GtkWidget *box = add_section (self, ATTN_LEARN_SECTION_HEADS, _("Many heads, many patterns"));
  GtkWidget *figure;

  add_paragraph (box, _("Each layer runs several heads, and training gives each one a habit of its "
                        "own. Studies of trained models keep finding the same few: heads that look "
                        "at the <b>previous token</b>; heads that park their weight on the "
                        "<b>first token</b> when nothing else is relevant (an attention sink); "
                        "<b>induction heads</b>, which find the last time the current token "
                        "appeared and look at what came next; and <b>broad</b> heads that spread "
                        "their weight over the whole context."));
  add_paragraph (box, _("Below is every head of the loaded model on your sentence, labelled by what "
                        "its weights do (the same rule as the line under the views). Click a map, or "
                        "move to it with the arrow keys, to select that head; double-click it or "
                        "press Enter to open it in the heatmap. Under the maps, the clearest head "
                        "of each kind."));
  figure = add_figure (self, box, attn_learn_heads_new (), "figure-heads");
  g_signal_connect_object (figure, "open-head", G_CALLBACK (open_head_cb), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (figure, "repeat-requested", G_CALLBACK (load_repeat_cb), self, G_CONNECT_SWAPPED);
  add_button (box, _("Open _All Heads"), "open-heads-grid", G_CALLBACK (open_grid_cb), self);
}

static void load_trophy_cb (AttnLearnPage *self) { load_example (self, EXAMPLE_TROPHY, "it"); }

/* "it" as the query and "trophy" as the key, ranked in the model view. */
static void
find_trophy_heads_cb (AttnLearnPage *self)
{
  AttnLearnExample *figure = ATTN_LEARN_EXAMPLE (_attn_learn_page_find (self, "figure-example"));
  int it, trophy, suitcase;

  if (!attn_learn_example_get_tokens (figure, &it, &trophy, &suitcase))
    {
      load_trophy_cb (self);
      return;
    }
  attn_document_set_query (self->document, it);
  attn_document_set_key (self->document, trophy);
  g_signal_emit (self, signals[OPEN_VIEW], 0, "model");
}

static void
build_example (AttnLearnPage *self)
{
  GtkWidget *box = add_section (self, ATTN_LEARN_SECTION_EXAMPLE,
                                _("A worked example: the trophy and the suitcase"));

  add_paragraph (box, _("“The trophy didn't fit in the suitcase because it was too big.” What is "
                        "too big? People answer “the trophy” without thinking; change “big” to "
                        "“small” and the answer flips to “the suitcase”. Sentences like this "
                        "(Winograd schemas) were designed so that only understanding, not word "
                        "statistics, resolves the pronoun."));
  add_button (box, _("_Load the Example"), "example-trophy", G_CALLBACK (load_trophy_cb), self);
  add_paragraph (box, _("The figure shows, head by head, how much weight “it” gives to “trophy” "
                        "and to “suitcase” (summed over each word's pieces), the six heads that "
                        "look at them most first."));
  add_figure (self, box, attn_learn_example_new (), "figure-example");
  add_paragraph (box, _("<b>An honest note.</b> This model reads left to right. When it reaches "
                        "“it”, the word that decides the answer, “big”, has not come yet, so no "
                        "head at “it” can know which noun is meant: whatever preference you see "
                        "there comes from habits such as looking at the subject, not from the "
                        "meaning of the sentence. A left-to-right model can only settle the "
                        "question later, at “big” or after it. A bidirectional model such as BERT "
                        "reads the whole sentence at once, so its “it” can see “big”; and larger "
                        "models trained on far more text, such as GPT-2, show heads that link "
                        "pronouns to the nouns they stand for much more clearly than the small "
                        "built-in model."));
  add_button (box, _("Find These Heads in the _Model View"), "open-example-model",
              G_CALLBACK (find_trophy_heads_cb), self);
  add_button (box, _("_Download a Larger Model…"), "download-example", G_CALLBACK (download_cb), self);

  add_subheading (box, _("What a bidirectional model shows"));
  self->encoder = attn_learn_encoder_new ();
  gtk_widget_set_name (self->encoder, "encoder");
  gtk_box_append (GTK_BOX (box), self->encoder);
}

static void
build_block (AttnLearnPage *self)
{
  GtkWidget *box = add_section (self, ATTN_LEARN_SECTION_BLOCK, _("Inside a transformer block"));

  add_paragraph (box, _("Attention is one half of a transformer block. Each token carries a vector, "
                        "the <b>residual stream</b>, from layer to layer. A block reads it twice and "
                        "writes to it twice: a norm rescales it, attention moves information in "
                        "from other tokens and <i>adds</i> its result; a second norm rescales the "
                        "sum, and the feed-forward layer (MLP) works on this token alone, widening "
                        "the vector, applying a non-linearity and narrowing it again, and adds its "
                        "result too. Nothing is overwritten, so later layers can still read what "
                        "earlier ones wrote."));
  add_paragraph (box, _("The diagram is the selected layer of the loaded model for the outlined "
                        "token, with the real widths and the lengths of its vectors; the bars below "
                        "show, layer by layer, how much attention and the MLP add. Change the layer "
                        "in the header bar to walk up the stack."));
  _attn_learn_glossary_add_tooltip (add_figure (self, box, attn_learn_block_new (), "figure-block"),
                                    ATTN_TERM_RESIDUAL_STREAM);
  add_button (box, _("Open the _Walkthrough at the Heads' Join"), "open-block-walkthrough",
              G_CALLBACK (open_step_cb), self);
  g_object_set_data (G_OBJECT (_attn_learn_page_find (self, "open-block-walkthrough")), "step",
                     GINT_TO_POINTER (ATTN_LEARN_STEP_HEADS));
}

/* The sink head (the clearest on this sentence) into the figures. */
static void
show_sink_cb (AttnLearnPage *self)
{
  AttnLearnHeads *heads = ATTN_LEARN_HEADS (_attn_learn_page_find (self, "figure-heads"));
  guint layer, head;

  if (attn_learn_heads_get_exemplar (heads, ATTN_LEARN_PATTERN_SINK, &layer, &head))
    {
      attn_document_set_layer (self->document, layer);
      attn_document_set_head (self->document, head);
    }
}

/* How much of a block is attention, in parameters, for the loaded model. */
static void
update_params (AttnLearnPage *self)
{
  AttnResult *result = self->document ? attn_document_get_result (self->document) : NULL;
  g_autofree char *text = NULL;
  g_autofree char *attention_text = NULL;
  g_autofree char *mlp_text = NULL;
  AttnShape shape;
  guint64 attention, mlp;

  if (self->params_label == NULL)
    return;
  if (result == NULL || !attn_result_get_shape (result, &shape) || shape.n_inner == 0)
    {
      gtk_label_set_text (GTK_LABEL (self->params_label), "");
      return;
    }
  /* W_Q and W_O are C × NH·hs; W_K and W_V C × NKV·hs; the MLP has two
   * C × F matrices, three when gated (SwiGLU).  Biases and norms are left
   * out: they are a rounding error. */
  attention = (guint64) shape.n_embd * shape.head_size * (2 * shape.n_head + 2 * shape.n_kv_head);
  mlp = (guint64) shape.n_embd * shape.n_inner * (shape.gated_mlp ? 3 : 2);
  attention_text = g_strdup_printf ("%'" G_GUINT64_FORMAT, attention);
  mlp_text = g_strdup_printf ("%'" G_GUINT64_FORMAT, mlp);
  /* Translators: the two counts are numbers of weights, formatted for the locale */
  text = g_strdup_printf (_("In the loaded model, each block has %s weights in attention (W_Q, W_K, W_V "
                            "and W_O) and %s in the MLP: attention is %.0f %% of a block. The block "
                            "diagram above shows which of the two added more to the outlined token in "
                            "each layer."),
                          attention_text, mlp_text, 100.0 * attention / (attention + mlp));
  gtk_label_set_text (GTK_LABEL (self->params_label), text);
}

/* The Predict view at the measured token with that head alone off: the
 * query first, so the view notes the intact prediction it then compares. */
static void
open_ablation_cb (AttnLearnPage *self,
                  guint          layer,
                  guint          head,
                  guint          position)
{
  attn_document_set_query (self->document, (int) position);
  attn_head_effects_apply (self->document, layer, head);
  g_signal_emit (self, signals[OPEN_VIEW], 0, "predict");
}

static void
build_misconceptions (AttnLearnPage *self)
{
  GtkWidget *box = add_section (self, ATTN_LEARN_SECTION_MISCONCEPTIONS, _("Misconceptions, shown"));
  GtkWidget *figure;

  add_subheading (box, _("“High weight means the token matters”"));
  add_paragraph (box, _("A weight says how much of a token's value is taken, not how big that value "
                        "is. Many heads give most of their weight to the first token when they have "
                        "nothing better to do, and that token's value is small, so it adds little. "
                        "The figure puts each key's weight beside its share of what the head passes "
                        "on, the length of weight × value (before W_O)."));
  add_figure (self, box, attn_learn_norms_new (), "figure-norms");
  add_button (box, _("Show the _Sink Head"), "norms-sink", G_CALLBACK (show_sink_cb), self);

  add_subheading (box, _("“Attention is the whole model”"));
  self->params_label = add_paragraph (box, "");
  gtk_widget_set_name (self->params_label, "params");
  update_params (self);

  add_subheading (box, _("“A head that looks at the right word is the one that does the work”"));
  add_paragraph (box, _("The test is to switch the head off (ablation) and see whether the "
                        "prediction changes. Studies that do this find that many heads can be "
                        "removed with little effect while a few matter a lot, and that where a head "
                        "looks does not tell which kind it is."));
  add_paragraph (box, _("Here is that test on your sentence: the loaded model runs once more for "
                        "each head with that head alone switched off, and the figure sets how hard "
                        "the head looks beside how much the prediction after the outlined token "
                        "moves. Click a token in the editor's strip to test another prediction."));
  figure = add_figure (self, box, attn_learn_ablation_new (), "figure-ablation");
  g_signal_connect_object (figure, "open-ablation", G_CALLBACK (open_ablation_cb), self, G_CONNECT_SWAPPED);
}

static void
build_terms (AttnLearnPage *self)
{
  GtkWidget *box = add_section (self, ATTN_LEARN_SECTION_TERMS, _("Key terms"));
  GtkWidget *list;

  add_paragraph (box, _("The words this tour and the views use. The same definitions appear as "
                        "tooltips where the views show these things."));
  list = _attn_learn_glossary_new ();
  gtk_widget_set_name (list, "glossary");
  gtk_box_append (GTK_BOX (box), list);
}

static void
build_reading (AttnLearnPage *self)
{
  GtkWidget *box = add_section (self, ATTN_LEARN_SECTION_READING, _("Further reading"));

  add_paragraph (box, _("The papers, lectures and guides this tour draws on. Links open in your "
                        "web browser; everything else in the app works offline."));
  for (guint i = 0; i < _attn_learn_reading_get_n_references (); i++)
    {
      g_autofree char *markup = _attn_learn_reading_dup_markup (i);

      add_paragraph (box, markup);
    }
}

/* ------------------------------------------------------------------------ */

static void
contents_row_activated_cb (AttnLearnPage *self,
                           GtkListBoxRow *row)
{
  attn_learn_page_show_section (self, GPOINTER_TO_UINT (g_object_get_data (G_OBJECT (row), "section")));
}

/* The title, a line on what the tour is, and a list of the sections this
 * build has, at the top (built last, so it knows which sections exist). */
static void
build_contents (AttnLearnPage *self)
{
  GtkWidget *title = g_object_new (GTK_TYPE_LABEL,
                                   "label", _("Learn How Attention Works"),
                                   "xalign", 0.0f,
                                   "wrap", TRUE,
                                   "accessible-role", GTK_ACCESSIBLE_ROLE_HEADING,
                                   NULL);
  GtkWidget *intro = gtk_label_new (_("A short tour of the idea behind transformers, told with the "
                                      "model that is loaded and the sentence in the editor. Read it "
                                      "top to bottom, or jump to a section."));
  GtkWidget *list = gtk_list_box_new ();

  gtk_widget_add_css_class (title, "title-1");
  gtk_label_set_wrap (GTK_LABEL (intro), TRUE);
  gtk_label_set_xalign (GTK_LABEL (intro), 0);
  gtk_box_prepend (GTK_BOX (self->content), list);
  gtk_box_prepend (GTK_BOX (self->content), intro);
  gtk_box_prepend (GTK_BOX (self->content), title);

  gtk_widget_set_name (list, "contents");
  gtk_list_box_set_selection_mode (GTK_LIST_BOX (list), GTK_SELECTION_NONE);
  gtk_widget_add_css_class (list, "boxed-list");
  gtk_accessible_update_property (GTK_ACCESSIBLE (list),
                                  GTK_ACCESSIBLE_PROPERTY_LABEL, _("Contents"), -1);
  for (guint i = 0; i < ATTN_LEARN_N_SECTIONS; i++)
    {
      GtkWidget *label, *row;

      if (self->sections[i] == NULL)
        continue;
      /* The section's own heading text. */
      label = gtk_label_new (gtk_label_get_text (GTK_LABEL (gtk_widget_get_first_child (self->sections[i]))));
      gtk_label_set_xalign (GTK_LABEL (label), 0);
      gtk_label_set_wrap (GTK_LABEL (label), TRUE);
      gtk_widget_set_margin_top (label, 8);
      gtk_widget_set_margin_bottom (label, 8);
      gtk_widget_set_margin_start (label, 12);
      gtk_widget_set_margin_end (label, 12);
      row = gtk_list_box_row_new ();
      gtk_list_box_row_set_child (GTK_LIST_BOX_ROW (row), label);
      g_object_set_data (G_OBJECT (row), "section", GUINT_TO_POINTER (i));
      gtk_list_box_append (GTK_LIST_BOX (list), row);
    }
  g_signal_connect_swapped (list, "row-activated", G_CALLBACK (contents_row_activated_cb), self);
}

static void
attn_learn_page_dispose (GObject *object)
{
  AttnLearnPage *self = ATTN_LEARN_PAGE (object);

  attn_learn_page_set_document (self, NULL);
  g_clear_pointer (&self->scrolled, gtk_widget_unparent);
  g_clear_pointer (&self->figures, g_ptr_array_unref);

  G_OBJECT_CLASS (attn_learn_page_parent_class)->dispose (object);
}

static void
attn_learn_page_finalize (GObject *object)
{
  AttnLearnPage *self = ATTN_LEARN_PAGE (object);

  g_clear_pointer (&self->pending_focus, g_free);

  G_OBJECT_CLASS (attn_learn_page_parent_class)->finalize (object);
}

static void
attn_learn_page_get_property (GObject    *object,
                              guint       prop_id,
                              GValue     *value,
                              GParamSpec *pspec)
{
  AttnLearnPage *self = ATTN_LEARN_PAGE (object);

  switch (prop_id)
    {
    case PROP_DOCUMENT:
      g_value_set_object (value, self->document);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
attn_learn_page_set_property (GObject      *object,
                              guint         prop_id,
                              const GValue *value,
                              GParamSpec   *pspec)
{
  AttnLearnPage *self = ATTN_LEARN_PAGE (object);

  switch (prop_id)
    {
    case PROP_DOCUMENT:
      attn_learn_page_set_document (self, g_value_get_object (value));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
attn_learn_page_class_init (AttnLearnPageClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = attn_learn_page_dispose;
  object_class->finalize = attn_learn_page_finalize;
  object_class->get_property = attn_learn_page_get_property;
  object_class->set_property = attn_learn_page_set_property;

  properties [PROP_DOCUMENT] =
    g_param_spec_object ("document", NULL, NULL,
                         ATTN_TYPE_DOCUMENT,
                         (G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS));
  g_object_class_install_properties (object_class, N_PROPS, properties);

  /**
   * AttnLearnPage::open-view:
   * @view: "heatmap", "arcs", "grid", "model" or "predict"
   *
   * A button asks for a view, the document's selection already set.
   */
  signals [OPEN_VIEW] =
    g_signal_new ("open-view", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL, G_TYPE_NONE, 1, G_TYPE_STRING);
  /**
   * AttnLearnPage::open-walkthrough:
   * @step: the tour's step, an #AttnLearnStepKind
   *
   * A button asks for the walkthrough at the step that shows @step, for
   * the document's query and key.
   */
  signals [OPEN_WALKTHROUGH] =
    g_signal_new ("open-walkthrough", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL, G_TYPE_NONE, 1, G_TYPE_INT);

  gtk_widget_class_set_layout_manager_type (widget_class, GTK_TYPE_BIN_LAYOUT);
  gtk_widget_class_set_css_name (widget_class, "learnpage");
}

static void
attn_learn_page_init (AttnLearnPage *self)
{
  GtkWidget *clamp = adw_clamp_new ();

  self->figures = g_ptr_array_new ();
  self->scrolled = gtk_scrolled_window_new ();
  gtk_scrolled_window_set_policy (GTK_SCROLLED_WINDOW (self->scrolled),
                                  GTK_POLICY_NEVER, GTK_POLICY_AUTOMATIC);
  gtk_widget_set_parent (self->scrolled, GTK_WIDGET (self));

  self->content = gtk_box_new (GTK_ORIENTATION_VERTICAL, 18);
  gtk_widget_set_margin_top (self->content, 18);
  gtk_widget_set_margin_bottom (self->content, 24);
  gtk_widget_set_margin_start (self->content, 12);
  gtk_widget_set_margin_end (self->content, 12);
  adw_clamp_set_maximum_size (ADW_CLAMP (clamp), 760);
  adw_clamp_set_tightening_threshold (ADW_CLAMP (clamp), 560);
  adw_clamp_set_child (ADW_CLAMP (clamp), self->content);
  gtk_scrolled_window_set_child (GTK_SCROLLED_WINDOW (self->scrolled), clamp);

  build_what (self);
  build_why (self);
  build_steps (self);
  build_heads (self);
  build_example (self);
  build_block (self);
  build_terms (self);
  build_misconceptions (self);
  build_reading (self);
  build_contents (self);
}

GtkWidget *
attn_learn_page_new (void)
{
  return g_object_new (ATTN_TYPE_LEARN_PAGE, NULL);
}

AttnDocument *
attn_learn_page_get_document (AttnLearnPage *self)
{
  g_return_val_if_fail (ATTN_IS_LEARN_PAGE (self), NULL);
  return self->document;
}

void
attn_learn_page_set_document (AttnLearnPage *self,
                              AttnDocument  *document)
{
  g_return_if_fail (ATTN_IS_LEARN_PAGE (self));
  g_return_if_fail (document == NULL || ATTN_IS_DOCUMENT (document));

  if (self->document == document)
    return;
  if (self->document != NULL)
    g_signal_handlers_disconnect_by_data (self->document, self);
  g_set_object (&self->document, document);
  attn_learn_encoder_set_document (ATTN_LEARN_ENCODER (self->encoder), document);
  if (document != NULL)
    g_signal_connect_object (document, "notify::result",
                             G_CALLBACK (document_result_changed_cb), self, G_CONNECT_SWAPPED);
  update_params (self);
  g_object_notify_by_pspec (G_OBJECT (self), properties [PROP_DOCUMENT]);
}

void
attn_learn_page_show_section (AttnLearnPage    *self,
                              AttnLearnSection  section)
{
  GtkAdjustment *adjustment;
  graphene_point_t point;
  GtkWidget *box;

  g_return_if_fail (ATTN_IS_LEARN_PAGE (self));
  g_return_if_fail (section < ATTN_LEARN_N_SECTIONS);

  box = self->sections[section];
  if (box == NULL)
    return;
  /* Focus first (the viewport would scroll to the focused button), then
   * put the heading at the top. */
  gtk_widget_child_focus (box, GTK_DIR_TAB_FORWARD);
  adjustment = gtk_scrolled_window_get_vadjustment (GTK_SCROLLED_WINDOW (self->scrolled));
  if (gtk_widget_compute_point (box, self->content, &GRAPHENE_POINT_INIT (0, 0), &point))
    gtk_adjustment_set_value (adjustment, point.y);
}

GtkWidget *
_attn_learn_page_get_section (AttnLearnPage    *self,
                              AttnLearnSection  section)
{
  g_return_val_if_fail (ATTN_IS_LEARN_PAGE (self), NULL);
  g_return_val_if_fail (section < ATTN_LEARN_N_SECTIONS, NULL);
  return self->sections[section];
}

static GtkWidget *
find_named (GtkWidget  *widget,
            const char *name)
{
  if (g_strcmp0 (gtk_widget_get_name (widget), name) == 0)
    return widget;
  for (GtkWidget *child = gtk_widget_get_first_child (widget); child != NULL;
       child = gtk_widget_get_next_sibling (child))
    {
      GtkWidget *found = find_named (child, name);

      if (found != NULL)
        return found;
    }
  return NULL;
}

GtkWidget *
_attn_learn_page_find (AttnLearnPage *self,
                       const char    *name)
{
  g_return_val_if_fail (ATTN_IS_LEARN_PAGE (self), NULL);
  return find_named (self->content, name);
}
