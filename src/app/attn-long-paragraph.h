/* attn-long-paragraph.h
 *
 * Copyright 2026 The Attention authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * A GtkTextView holding a long paragraph (50 KB on one line) lays the whole
 * paragraph out with Pango whenever its text or a tag on any part of it
 * changes: about 30 ms of CPU each time.  Two helpers keep that to once per
 * visible change: tag changes that touch only the characters whose state
 * differs, and a primer that builds the changed paragraph's full layout
 * once before GTK sizes it and again paints it.
 */
#pragma once

#include <gtk/gtk.h>

G_BEGIN_DECLS

/* Gives @tag to the characters in [@from, @to) (@on) or takes it away,
 * applying or removing only the runs whose state differs: every apply or
 * remove, even of a tag already there, makes GtkTextView lay the range out
 * again.  Offsets are in characters and clamped to the buffer; TRUE when
 * something changed. */
gboolean _attn_text_tag_set_range (GtkTextBuffer *buffer,
                                   GtkTextTag    *tag,
                                   int            from,
                                   int            to,
                                   gboolean       on);

/* Follows @view's buffer: after each change of its text or tags the
 * changed paragraph's layout is built once, in an idle before the next
 * frame.  GtkTextView sizes an invalid paragraph with a layout it does not
 * keep and then builds it again to paint; with the full one built first
 * it sizes from that: one Pango layout of the paragraph instead of two.
 * Lives as long as @view. */
void     _attn_text_view_prime_layouts (GtkTextView *view);

G_END_DECLS
