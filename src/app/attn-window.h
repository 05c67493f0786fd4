/* attn-window.h
 *
 * Copyright 2026 The Attention authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <adwaita.h>

#include "attn-application.h"
#include "attn-document.h"

G_BEGIN_DECLS

#define ATTN_TYPE_WINDOW (attn_window_get_type ())
G_DECLARE_FINAL_TYPE (AttnWindow, attn_window, ATTN, WINDOW, AdwApplicationWindow)

/* @application may be NULL (tests). */
AttnWindow   *attn_window_new          (AttnApplication *application);
AttnDocument *attn_window_get_document (AttnWindow      *self);
/* Loads the model in @directory (NULL: the built-in one) in a thread.  On
 * success it replaces the current model; on failure the current model stays
 * and a toast shows why. */
void          attn_window_open_model   (AttnWindow      *self,
                                        const char      *directory);

G_END_DECLS
