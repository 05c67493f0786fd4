/* attn-download-dialog.h
 *
 * Copyright 2026 The Attention authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * "Download a Model…": a short list of models known to work and a field
 * for any repo id, then the download's progress (bytes, rate and time left
 * per file and in total) with Cancel.  The dialog is not modal: the window
 * stays usable, and when the model is in, "downloaded" hands its repo id
 * to whoever opens it.
 */
#pragma once

#include <adwaita.h>

G_BEGIN_DECLS

#define ATTN_TYPE_DOWNLOAD_DIALOG (attn_download_dialog_get_type ())
G_DECLARE_FINAL_TYPE (AttnDownloadDialog, attn_download_dialog, ATTN, DOWNLOAD_DIALOG, AdwWindow)

AttnDownloadDialog *attn_download_dialog_new   (GtkWindow          *parent);

/* Starts downloading @repo_id (what the list's buttons and the field do). */
void                attn_download_dialog_start (AttnDownloadDialog *self,
                                                const char         *repo_id);

/* For tests: "choose", "running", "failed" or "done". */
const char         *_attn_download_dialog_get_state   (AttnDownloadDialog *self);
/* For tests: the error shown, or NULL. */
const char         *_attn_download_dialog_get_error   (AttnDownloadDialog *self);
/* For tests: how many file rows the progress view shows. */
guint               _attn_download_dialog_get_n_rows  (AttnDownloadDialog *self);
/* For tests: the total line ("… of … · rate · time left"). */
const char         *_attn_download_dialog_get_total_text (AttnDownloadDialog *self);
void                _attn_download_dialog_cancel      (AttnDownloadDialog *self);

G_END_DECLS
