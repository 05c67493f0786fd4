/* attn-head-grid-ablation.h
 *
 * Copyright 2026 The Attention authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Switching heads off from the all-heads grid (issue 14): Ctrl+click, or
 * "x" on the keyboard cursor's head, switches a head off or back on; a
 * right click (or the Menu key, Shift+F10) opens a menu with the same, the
 * zero / mean chooser and "every head back on".  All of it goes through the
 * document's ablation, so the Predict view's list, the grid's marks and
 * every view follow the one state.  The actions live in the grid's
 * "ablation" group: ablation.toggle (uu), ablation.kind ("zero" | "mean"),
 * ablation.restore.
 */
#pragma once

#include "attn-head-grid.h"

G_BEGIN_DECLS

void _attn_head_grid_ablation_init    (AttnHeadGrid   *grid);
/* Places the menu; for the grid's size_allocate. */
void _attn_head_grid_ablation_allocate (AttnHeadGrid  *grid);
/* Unparents the menu; for the grid's dispose. */
void _attn_head_grid_ablation_dispose (AttnHeadGrid   *grid);

G_END_DECLS
