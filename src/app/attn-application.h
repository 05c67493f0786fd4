/* attn-application.h
 *
 * Copyright 2026 The Attention authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <adwaita.h>

G_BEGIN_DECLS

#define ATTN_TYPE_APPLICATION (attn_application_get_type ())
G_DECLARE_FINAL_TYPE (AttnApplication, attn_application, ATTN, APPLICATION, AdwApplication)

AttnApplication *attn_application_new                (void);

/* The app's settings; borrowed.  Found in the installed schemas, or, for an
 * uninstalled build, in the build tree. */
GSettings       *attn_application_get_settings       (AttnApplication *self);

/* The same lookup without an application, for widgets and tests.
 * (transfer full) */
GSettings       *_attn_settings_new                  (void);

G_END_DECLS
