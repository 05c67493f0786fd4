/* attn-window-private.h
 *
 * Copyright 2026 The Attention authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The window's innards, shared by attn-window.c and attn-window-actions.c,
 * and the hooks UI tests use.
 */
#pragma once

#include "attn-arc-links-bar.h"
#include "attn-arc-view.h"
#include "attn-export.h"
#include "attn-compare-view.h"
#include "attn-detector-table.h"
#include "attn-detectors.h"
#include "attn-fit-box.h"
#include "attn-delta-view.h"
#include "attn-head-description.h"
#include "attn-head-grid.h"
#include "attn-learn-page.h"
#include "attn-heatmap-view.h"
#include "attn-model-view.h"
#include "attn-predictions-panel.h"
#include "attn-rollout-view.h"
#include "attn-pair-bar.h"
#include "attn-sentence-editor.h"
#include "attn-token-strip.h"
#include "attn-walkthrough.h"
#include "attn-weight-legend.h"
#include "attn-window.h"

G_BEGIN_DECLS

struct _AttnWindow
{
  AdwApplicationWindow  parent_instance;

  /* Template widgets */
  AdwToastOverlay      *toast_overlay;
  AdwSqueezer          *title_squeezer;
  AdwWindowTitle       *window_title;
  AdwViewSwitcherBar   *switcher_bar;
  GtkMenuButton        *model_button;
  GtkMenuButton        *export_button;
  GtkToggleButton      *walkthrough_button;
  GtkSpinButton        *layer_spin;
  GtkSpinButton        *head_spin;
  GtkLabel             *layer_count_label;
  GtkLabel             *head_count_label;
  AdwFlap              *flap;
  GtkBox               *walkthrough_slot;
  AttnSentenceEditor   *editor;
  AttnPairBar          *pair_bar;       /* Sentence B and the A → B filters (encoders) */
  GtkRevealer          *notice_revealer;
  GtkLabel             *notice_label;
  AttnTokenStrip       *token_strip;
  AttnWeightLegend     *weight_legend;
  AttnFitBox           *fit_box;           /* the views keep their share of a short window */
  GtkScrolledWindow    *panels_scroller;   /* editor, strip, legends: they scroll when short */
  GtkScrolledWindow    *description_scroller;
  GtkStack             *main_stack;
  AdwStatusPage        *status_page;
  AdwViewStack         *view_stack;
  AttnHeatmapView      *heatmap;
  GtkDropDown          *heatmap_mode;      /* weights, Δ or rollout (attn-window-modes.c) */
  GtkStack             *heatmap_mode_stack;
  AttnDeltaView        *delta_view;
  AttnRolloutView      *rollout_view;
  GtkLabel             *rollout_note;
  AttnArcView          *arc_view;
  AttnArcLinksBar      *arc_links_bar;
  AttnHeadGrid         *head_grid;
  AttnModelView        *model_view;
  GtkDropDown          *rank_dropdown;
  guint                 syncing_rank : 1;
  AttnHeadDescription  *head_description;
  AttnLearnPage        *learn_page;
  AttnPredictionsPanel *predictions_panel;
  AttnWalkthrough      *walkthrough;

  /* Head detectors (issue 14): attn-window-detectors.c */
  GtkWidget            *detector_bar;
  GtkDropDown          *score_dropdown;
  GtkDropDown          *score_source_dropdown;
  GtkSpinner           *detector_spinner;
  GtkStack             *heads_stack;
  AttnDetectorTable    *detector_table;
  AttnDetectors        *detectors;        /* owned */

  /* Compare with a second text (issue 14): attn-window-compare.c */
  GtkEntry             *compare_entry;
  GtkSpinner           *compare_spinner;
  GtkToggleButton      *compare_delta_button;
  GtkStack             *compare_stack;
  AdwStatusPage        *compare_status;
  AttnCompareView      *compare_view;
  GtkLabel             *compare_rank_label;
  GtkListBox           *compare_rank_list;
  AttnCompare          *compare;          /* owned */
  AttnCompareRank      *compare_ranks;    /* owned; the heads listed, n_compare_ranks of them */
  guint                 n_compare_ranks;

  /* State */
  AttnDocument         *document;         /* owned */
  GSettings            *settings;         /* owned */
  GMenu                *recent_menu;      /* owned; section of the model menu */
  GMenu                *hub_menu;         /* owned; the Hugging Face cache's models */
  char                 *hub_signature;    /* what hub_menu was built from, to skip rebuilds */
  GtkWindow            *download_dialog;  /* weak; the open "Download a Model" dialog */
  GCancellable         *load_cancellable; /* owned while a model loads */
  GtkFileChooserNative *chooser;          /* owned while a chooser is open */
  char                 *last_error;       /* owned; the last error shown, for tests */
  char                 *main_view;        /* owned; "heatmap" or "arcs": where the grid returns */
  char                 *model;            /* owned; the model in use, "" for the built-in one */
  AttnDisplay           hidden;           /* tokens the user hid from the maps */
  int                   initial_query;    /* $ATTENTION_SELECT_QUERY, for screenshots; -1 none */
};

void        _attn_window_class_actions_init (GtkWidgetClass *widget_class);
/* attn-window-fold.c: the panels above the views, scrolled in a short
 * window, follow the focus and the wheel. */
void        _attn_window_fold_init          (AttnWindow     *self);
/* A scroll of @dy (in @unit) at @x, @y of the panels' scrolled window:
 * TRUE when it scrolled the panels for the editor or the token strip
 * under it, which have nothing more to scroll that way. */
gboolean    _attn_window_fold_scroll        (AttnWindow     *self,
                                             double          x,
                                             double          y,
                                             double          dy,
                                             GdkScrollUnit   unit);
/* The head description shows under the views, never on the status page
 * nor the Learn tour (whose figures speak of their own heads). */
void        _attn_window_update_description (AttnWindow     *self);
/* The views' display from the settings (first token, row maxima) and the
 * tokens hidden by hand (self->hidden). */
void        _attn_window_apply_display      (AttnWindow     *self);
/* attn-window-hub.c: win.download-model, and the Hugging Face cache's
 * models in the model menu, listed again when they may have changed. */
void        _attn_window_class_hub_init     (GtkWidgetClass *widget_class);
void        _attn_window_rebuild_hub_menu   (AttnWindow     *self);
/* attn-window-learn.c: the Learn tour's buttons, and the tour on a first
 * launch. */
void        _attn_window_class_learn_init   (GtkWidgetClass *widget_class);
void        _attn_window_learn_init         (AttnWindow     *self);
void        _attn_window_actions_init       (AttnWindow     *self);
/* attn-window-detectors.c: the head detectors' overlay, table, chooser
 * and export (issue 14). */
void        _attn_window_class_detectors_init (GtkWidgetClass *widget_class);
void        _attn_window_detectors_init     (AttnWindow     *self);
void        _attn_window_detectors_dispose  (AttnWindow     *self);
/* attn-window-compare.c: the Compare page (issue 14). */
void        _attn_window_class_compare_init (GtkWidgetClass *widget_class);
void        _attn_window_compare_init       (AttnWindow     *self);
void        _attn_window_compare_dispose    (AttnWindow     *self);
/* Writes the comparison's values (.csv or .json) off the main thread;
 * finish with g_task_propagate_boolean (). */
void        _attn_window_export_compare_async (AttnWindow          *self,
                                               const char          *path,
                                               GAsyncReadyCallback  callback,
                                               gpointer             user_data);
/* What the detectors and the comparison add to a figure export of the
 * current view: the grid's scores, the second text. */
void        _attn_window_detectors_fill_figure (AttnWindow        *self,
                                                AttnFigureOptions *options);
void        _attn_window_compare_fill_figure  (AttnWindow        *self,
                                               AttnFigureOptions *options);

/* Writes the head scores (the detector table) to @path, .csv or .json,
 * off the main thread; finish with g_task_propagate_boolean (). */
void        _attn_window_export_scores_async (AttnWindow          *self,
                                              const char          *path,
                                              GAsyncReadyCallback  callback,
                                              gpointer             user_data);
/* Writes a file of values to @path off the main thread; finish with
 * g_task_propagate_boolean (). */
typedef void (*AttnValuesWriter) (AttnWindow          *self,
                                  const char          *path,
                                  GAsyncReadyCallback  callback,
                                  gpointer             user_data);
/* attn-window-save-values.c: a save dialog for CSV or JSON named @name
 * first, whose file @write writes. */
void        _attn_window_save_values        (AttnWindow       *self,
                                             const char       *title,
                                             const char       *name,
                                             AttnValuesWriter  write);
/* attn-window-actions.c: the views' Links filter of @result's pair, which
 * every export of it follows; all links without a pair. */
AttnPairFilter _attn_window_get_pair_filter (AttnWindow     *self,
                                             AttnResult     *result);
/* The toast (or error dialog) that ends an export of @file. */
void        _attn_window_export_done        (AttnWindow     *self,
                                             GFile          *file,
                                             gboolean        success,
                                             GError         *error);
/* attn-window-modes.c: what the heatmap page shows, and what exports
 * write in its Δ and rollout modes. */
typedef enum
{
  ATTN_HEATMAP_MODE_WEIGHTS,
  ATTN_HEATMAP_MODE_DELTA,
  ATTN_HEATMAP_MODE_ROLLOUT,
} AttnHeatmapMode;

void            _attn_window_class_modes_init        (GtkWidgetClass      *widget_class);
void            _attn_window_modes_init              (AttnWindow          *self);
AttnHeatmapMode _attn_window_get_heatmap_mode        (AttnWindow          *self);
void            _attn_window_set_heatmap_mode        (AttnWindow          *self,
                                                      AttnHeatmapMode      mode);
/* The figure of the heatmap page's Δ or rollout mode (view, intact run);
 * FALSE with an error when Δ's intact run is not there.  Other pages and
 * the weights mode leave @options as they are. */
gboolean        _attn_window_modes_figure            (AttnWindow          *self,
                                                      AttnFigureOptions   *options,
                                                      GError             **error);
/* TRUE when "Export Values" writes the mode's matrices, not weights. */
gboolean        _attn_window_modes_has_values        (AttnWindow          *self);
gboolean        _attn_window_modes_write_values      (AttnWindow          *self,
                                                      const char          *path,
                                                      GError             **error);
/* Starts the write (finish: attn_matrix_values_write_file_finish ());
 * FALSE with an error, and no callback, when there is nothing to write. */
gboolean        _attn_window_modes_write_values_async (AttnWindow         *self,
                                                      const char          *path,
                                                      GAsyncReadyCallback  callback,
                                                      gpointer             user_data,
                                                      GError             **error);

/* Enables the actions that need a model or a result. */
void        _attn_window_update_actions     (AttnWindow     *self);
/* Shows @heading and @detail in a dialog; @message, the one-line form, is
 * kept for the status page and for tests. */
void        _attn_window_show_error         (AttnWindow     *self,
                                             const char     *heading,
                                             const char     *detail,
                                             const char     *message);

/* Which weights "Export Values…" writes. */
typedef enum
{
  ATTN_EXPORT_RANGE_HEAD,
  ATTN_EXPORT_RANGE_LAYER,
  ATTN_EXPORT_RANGE_MODEL,
} AttnExportRange;

/* What the export dialog lets a person choose beyond the file. */
typedef struct
{
  double          png_scale;      /* 1, 2 or 4 */
  gboolean        dark;
  gboolean        show_title;
  gboolean        show_colorbar;
  AttnExportRange range;
} AttnExportChoices;

/* ×2, the window's own theme, title and colour bar, every layer and head. */
void        _attn_window_export_choices_init (AttnWindow        *self,
                                              AttnExportChoices *choices);

/* Writes the current view ("view"), every head ("all-heads") or the
 * weights ("values") to @path, its format named by the extension.
 * @choices may be NULL for the defaults. */
gboolean    _attn_window_export             (AttnWindow              *self,
                                             const char              *purpose,
                                             const char              *path,
                                             const AttnExportChoices *choices,
                                             GError                 **error);
/* The same, written off the main thread. */
void        _attn_window_export_async       (AttnWindow              *self,
                                             const char              *purpose,
                                             const char              *path,
                                             const AttnExportChoices *choices,
                                             GAsyncReadyCallback      callback,
                                             gpointer                 user_data);
gboolean    _attn_window_export_finish      (AttnWindow              *self,
                                             GAsyncResult            *result,
                                             GError                 **error);

/* For tests: the message of the last error shown, or NULL. */
const char *_attn_window_get_last_error     (AttnWindow     *self);
/* For tests: TRUE while a model is loading. */
gboolean    _attn_window_is_loading         (AttnWindow     *self);

G_END_DECLS
