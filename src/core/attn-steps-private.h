/* attn-steps-private.h
 *
 * Copyright 2026 The Attention authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "ae-steps.h"
#include "attn-steps.h"

G_BEGIN_DECLS

/* Wraps @ae_steps, which the new AttnSteps owns from then on. */
AttnSteps *_attn_steps_new_take (AeSteps *ae_steps);

/* Completes @task with @steps, or with @error (taken) when @steps is NULL. */
void       _attn_task_return_steps (GTask     *task,
                                    AttnSteps *steps,
                                    GError    *error);

G_END_DECLS
