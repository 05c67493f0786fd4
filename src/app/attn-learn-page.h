/* attn-learn-page.h
 *
 * Copyright 2026 The Attention authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The Learn tour: how attention works, in sections of short paragraphs,
 * each with a live figure drawn from the document (the sentence in the
 * editor, the loaded model, the selected layer, head and tokens) and
 * buttons that open the full view or the walkthrough at the same place.
 * The page asks its window to open things through signals, so it knows
 * nothing of the window.
 */
#pragma once

#include <gtk/gtk.h>

#include "attn-document.h"

G_BEGIN_DECLS

/* The sections, in reading order. */
typedef enum
{
  ATTN_LEARN_SECTION_WHAT,
  ATTN_LEARN_SECTION_WHY,
  ATTN_LEARN_SECTION_STEPS,
  ATTN_LEARN_SECTION_HEADS,
  ATTN_LEARN_SECTION_EXAMPLE,
  ATTN_LEARN_SECTION_BLOCK,
  ATTN_LEARN_SECTION_TERMS,
  ATTN_LEARN_SECTION_MISCONCEPTIONS,
  ATTN_LEARN_SECTION_READING,
  ATTN_LEARN_N_SECTIONS
} AttnLearnSection;

#define ATTN_TYPE_LEARN_PAGE (attn_learn_page_get_type ())
G_DECLARE_FINAL_TYPE (AttnLearnPage, attn_learn_page, ATTN, LEARN_PAGE, GtkWidget)

GtkWidget    *attn_learn_page_new          (void);
AttnDocument *attn_learn_page_get_document (AttnLearnPage    *self);
void          attn_learn_page_set_document (AttnLearnPage    *self,
                                            AttnDocument     *document);
/* Scrolls to @section and moves the keyboard focus there. */
void          attn_learn_page_show_section (AttnLearnPage    *self,
                                            AttnLearnSection  section);

/* For tests and screenshots: a section's box (NULL when this build does
 * not have it) and the widget named @name inside the page. */
GtkWidget    *_attn_learn_page_get_section (AttnLearnPage    *self,
                                            AttnLearnSection  section);
GtkWidget    *_attn_learn_page_find        (AttnLearnPage    *self,
                                            const char       *name);

G_END_DECLS
