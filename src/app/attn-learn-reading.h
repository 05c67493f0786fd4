/* attn-learn-reading.h
 *
 * Copyright 2026 The Attention authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The Learn tour's further reading (section 9).
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

guint  _attn_learn_reading_get_n_references (void);
/* Reference @index as label markup: the citation linked, then why to read
 * it (translated). */
char  *_attn_learn_reading_dup_markup       (guint index);

G_END_DECLS
