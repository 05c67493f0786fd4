/* attn-learn-reading.c
 *
 * Copyright 2026 The Attention authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The tour's references: the papers, lectures and guides its facts come
 * from, each with a line on why to read it.
 */

#define G_LOG_DOMAIN "attn-learn-reading"

#include "config.h"

#include <glib/gi18n.h>

#include "attn-learn-reading.h"

typedef struct
{
  const char *citation;   /* not translated: authors, year, title */
  const char *url;
  const char *what;       /* translated: why to read it */
} Reference;

static const Reference references[] = {
  { "Vaswani et al. (2017), “Attention Is All You Need”, NeurIPS.",
    "https://arxiv.org/abs/1706.03762",
    N_("The paper that introduced the transformer: scaled dot-product attention, multiple heads, W_O.") },
  { "Bahdanau, Cho and Bengio (2015), “Neural Machine Translation by Jointly Learning to Align and Translate”, ICLR.",
    "https://arxiv.org/abs/1409.0473",
    N_("Attention before transformers: a translation model that learns where to look in the source sentence.") },
  { "Jay Alammar (2018), “The Illustrated Transformer”.",
    "https://jalammar.github.io/illustrated-transformer/",
    N_("A picture-by-picture guide to queries, keys, values and heads.") },
  { "3Blue1Brown (2024), “Attention in transformers, step-by-step” (Deep Learning, chapter 6).",
    "https://www.3blue1brown.com/lessons/attention",
    N_("A visual lecture on the same six steps, with the geometry of queries and keys.") },
  { "Andrej Karpathy (2023), “Let's build GPT: from scratch, in code, spelled out”.",
    "https://www.youtube.com/watch?v=kCc8FmEb1nY",
    N_("A lecture that writes a small GPT, causal mask and all, line by line.") },
  { "Clark, Khandelwal, Levy and Manning (2019), “What Does BERT Look At? An Analysis of BERT's Attention”.",
    "https://arxiv.org/abs/1906.04341",
    N_("Heads that attend to the previous token, to separators and to syntactic relations.") },
  { "Elhage et al. (2021), “A Mathematical Framework for Transformer Circuits”.",
    "https://transformer-circuits.pub/2021/framework/index.html",
    N_("The residual stream view of a transformer used in the block section.") },
  { "Olsson et al. (2022), “In-context Learning and Induction Heads”.",
    "https://transformer-circuits.pub/2022/in-context-learning-and-induction-heads/index.html",
    N_("Induction heads: how models continue repeated text, and why it matters for in-context learning.") },
  { "Abnar and Zuidema (2020), “Quantifying Attention Flow in Transformers”, ACL.",
    "https://arxiv.org/abs/2005.00928",
    N_("Attention rollout and flow: following information through all layers, not one head.") },
  { "Jain and Wallace (2019), “Attention is not Explanation”; Wiegreffe and Pinter (2019), “Attention is not not Explanation”.",
    "https://arxiv.org/abs/1902.10186",
    N_("The debate on how far attention weights explain a prediction.") },
  { "Kobayashi, Kuribayashi, Yokoi and Inui (2020), “Attention is Not Only a Weight: Analyzing Transformers with Vector Norms”, EMNLP.",
    "https://arxiv.org/abs/2004.10102",
    N_("Weight times the size of the value: why a heavily attended token may add little.") },
  { "Michel, Levy and Neubig (2019), “Are Sixteen Heads Really Better than One?”, NeurIPS.",
    "https://arxiv.org/abs/1905.10650",
    N_("Ablating heads: many can be removed with little loss, a few cannot.") },
  { "Xiao et al. (2023), “Efficient Streaming Language Models with Attention Sinks”.",
    "https://arxiv.org/abs/2309.17453",
    N_("Why so much weight goes to the first token.") },
  { "Levesque, Davis and Morgenstern (2012), “The Winograd Schema Challenge”, KR.",
    "https://cdn.aaai.org/ocs/4492/4492-21843-1-PB.pdf",
    N_("Where the trophy and the suitcase come from.") },
};

guint
_attn_learn_reading_get_n_references (void)
{
  return G_N_ELEMENTS (references);
}

char *
_attn_learn_reading_dup_markup (guint index)
{
  g_autofree char *citation = NULL;
  g_autofree char *url = NULL;

  g_return_val_if_fail (index < G_N_ELEMENTS (references), NULL);

  citation = g_markup_escape_text (references[index].citation, -1);
  url = g_markup_escape_text (references[index].url, -1);
  return g_strdup_printf ("<a href=\"%s\">%s</a>\n%s", url, citation, _(references[index].what));
}
