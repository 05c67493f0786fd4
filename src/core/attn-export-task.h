/* attn-export-task.h
 *
 * Copyright 2026 The Attention authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Figures and values written off the main thread: a 1,000-token heatmap or
 * a whole model's weights take seconds to draw or write, and the window
 * must keep painting meanwhile.  The result is immutable and shared by
 * reference; the options and selection are copied when the call is made,
 * so the caller may change or free its own at once.  The errors are those
 * of attn_export_figure() and attn_values_write_file().
 */
#pragma once

#include <gio/gio.h>

#include "attn-export.h"
#include "attn-values.h"

G_BEGIN_DECLS

void     attn_export_figure_async      (AttnResult                *result,
                                        const AttnFigureOptions   *options,
                                        const char                *path,
                                        GCancellable              *cancellable,
                                        GAsyncReadyCallback        callback,
                                        gpointer                   user_data);
gboolean attn_export_figure_finish     (GAsyncResult              *async_result,
                                        GError                   **error);

void     attn_values_write_file_async  (AttnResult                *result,
                                        const AttnValuesSelection *selection,
                                        AttnValuesFormat           format,
                                        const char                *path,
                                        GCancellable              *cancellable,
                                        GAsyncReadyCallback        callback,
                                        gpointer                   user_data);
gboolean attn_values_write_file_finish (GAsyncResult              *async_result,
                                        GError                   **error);

G_END_DECLS
