/* attn-engine.h
 *
 * Copyright 2026 The Attention authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The GObject face of one loaded model.  An AttnEngine is immutable once
 * loaded, so any number of threads may run it at once.
 */
#pragma once

#include <gio/gio.h>

#include "ae-model.h"
#include "attn-result.h"

G_BEGIN_DECLS

#define ATTN_ENGINE_ERROR (attn_engine_error_quark ())

typedef enum
{
  ATTN_ENGINE_ERROR_NOT_FOUND,     /* a model file is missing or unreadable */
  ATTN_ENGINE_ERROR_BAD_MODEL,     /* config, weights or tokenizer are malformed */
  ATTN_ENGINE_ERROR_UNSUPPORTED,   /* a model type, activation or dtype we do not run */
  ATTN_ENGINE_ERROR_TOO_LONG,      /* more tokens than the context holds */
  ATTN_ENGINE_ERROR_INVALID,       /* invalid text or argument */
  ATTN_ENGINE_ERROR_NO_MEMORY,
  ATTN_ENGINE_ERROR_CANCELLED,
} AttnEngineError;

GQuark attn_engine_error_quark (void);

#define ATTN_TYPE_ENGINE (attn_engine_get_type ())
G_DECLARE_FINAL_TYPE (AttnEngine, attn_engine, ATTN, ENGINE, GObject)

/* The directory of the model shipped with the app: $ATTENTION_MODELS_DIR,
 * then the installed data, then the source tree. */
char          *attn_engine_dup_builtin_dir (void);

/* Loads the model in @directory, which may also be a Hugging Face repo id
 * (ORG/NAME) in the cache: see attn_hub_resolve_model (). */
AttnEngine    *attn_engine_new            (const char           *directory,
                                           GCancellable         *cancellable,
                                           GError              **error);
void           attn_engine_new_async      (const char           *directory,
                                           GCancellable         *cancellable,
                                           GAsyncReadyCallback   callback,
                                           gpointer              user_data);
AttnEngine    *attn_engine_new_finish     (GAsyncResult         *result,
                                           GError              **error);

const AeModel *attn_engine_get_model      (AttnEngine           *self);
const char    *attn_engine_get_name       (AttnEngine           *self);
const char    *attn_engine_get_directory  (AttnEngine           *self);
guint          attn_engine_get_n_layers   (AttnEngine           *self);
guint          attn_engine_get_n_heads    (AttnEngine           *self);
guint          attn_engine_get_n_ctx      (AttnEngine           *self);

/* Tokenizes @text without running the model; the result has no trace. */
AttnResult    *attn_engine_tokenize       (AttnEngine           *self,
                                           const char           *text,
                                           GError              **error);

/* Tokenizes @text and runs the model on it, in the calling thread.  With
 * @truncate, tokens past the context are left out and counted in the
 * result; without it, such text is an ATTN_ENGINE_ERROR_TOO_LONG error. */
AttnResult    *attn_engine_run            (AttnEngine           *self,
                                           const char           *text,
                                           gboolean              truncate,
                                           GCancellable         *cancellable,
                                           GError              **error);
/* The same for the first @n_layers layers only (0: all); the result then
 * holds @n_layers layers. */
AttnResult    *attn_engine_run_layers     (AttnEngine           *self,
                                           const char           *text,
                                           gboolean              truncate,
                                           guint                 n_layers,
                                           GCancellable         *cancellable,
                                           GError              **error);

/* How to run: attn_engine_run() and attn_engine_run_layers() are two
 * settings of this. */
typedef struct
{
  gboolean          truncate;    /* leave out what does not fit, instead of an error */
  gboolean          whole_text;  /* truncating, still tokenize all of it (an exact count) */
  guint             n_layers;    /* 0: every layer (predictions need them all) */
  const AeAblation *ablation;    /* heads switched off, or NULL; copied into the result */
  /* No predictions: no residual stream kept and no output head over every
   * token (at T = 256 it is as much work as 5 layers);
   * attn_result_has_predictions() is FALSE. */
  gboolean          attention_only;
  /* For a caller that reads one layer's attention (attention-cli weights
   * --layer L): layers before @first_layer run but are not kept
   * (attn_result_get_weights() gives NULL for them); implies
   * attention_only. */
  guint             first_layer;
  /* An earlier result of this engine (or NULL): the tokens both texts start
   * with are copied from it, not computed again (a causal model's prefix
   * does not change; encoders and ablated runs compute everything).
   * attn_result_get_n_recomputed() says how many were computed. */
  AttnResult       *reuse;
  const char       *text_b;      /* sentence B of a pair, for encoders (attn-pair.h);
                                  * NULL or "": one sentence */
} AttnRunOptions;

AttnResult    *attn_engine_run_options    (AttnEngine           *self,
                                           const char           *text,
                                           const AttnRunOptions *options,
                                           GCancellable         *cancellable,
                                           GError              **error);

G_END_DECLS
