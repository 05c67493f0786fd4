/* attn-export-derived.h
 *
 * Copyright 2026 The Attention authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The figures of the views that draw something other than a head's
 * weights (ATTN_VIEW_DELTA, ATTN_VIEW_ROLLOUT): attn-export.c hands them
 * here for their size, drawing, checks and PDF title.  Not installed.
 */
#pragma once

#include "attn-export.h"

G_BEGIN_DECLS

void      _attn_derived_figure_size      (AttnResult              *result,
                                          const AttnFigureOptions *options,
                                          AttnView                 view,
                                          double                  *width,
                                          double                  *height);

void      _attn_render_derived_figure    (cairo_t                 *cr,
                                          AttnResult              *result,
                                          const AttnFigureOptions *options,
                                          AttnView                 view,
                                          guint                    layer,
                                          guint                    head,
                                          double                   width,
                                          double                   height);

/* FALSE with an ATTN_EXPORT_ERROR_INVALID error when a Δ figure has no
 * intact run of the same tokens; TRUE for every other view. */
gboolean  _attn_derived_figure_check     (AttnResult              *result,
                                          const AttnFigureOptions *options,
                                          GError                 **error);

/* The PDF title of a Δ or rollout figure; NULL for other views. */
char     *_attn_derived_figure_dup_title (AttnResult              *result,
                                          const AttnFigureOptions *options);

G_END_DECLS
