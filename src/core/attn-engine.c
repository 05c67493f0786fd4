/* attn-engine.c
 *
 * Copyright 2026 The Attention authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "attn-engine"

#include "config.h"

#include <stdatomic.h>

#include <string.h>

#include <glib/gi18n.h>

#include "attn-engine-private.h"
#include "attn-predictions.h"
#include "attn-hub-cache.h"

struct _AttnEngine
{
  GObject  parent_instance;
  AeModel *model;      /* owned; NULL only while being constructed */
  char    *name;       /* the repo id for a Hugging Face cache snapshot, else the folder's name */
};

G_DEFINE_FINAL_TYPE (AttnEngine, attn_engine, G_TYPE_OBJECT)

enum {
  PROP_0,
  PROP_NAME,
  PROP_DIRECTORY,
  PROP_N_LAYERS,
  PROP_N_HEADS,
  PROP_N_CTX,
  N_PROPS
};

static GParamSpec *properties [N_PROPS];

G_DEFINE_QUARK (attn-engine-error-quark, attn_engine_error)

static AttnEngineError
code_for_status (AeStatus status)
{
  switch (status)
    {
    case AE_STATUS_IO:               return ATTN_ENGINE_ERROR_NOT_FOUND;
    case AE_STATUS_UNSUPPORTED:      return ATTN_ENGINE_ERROR_UNSUPPORTED;
    case AE_STATUS_TOO_LONG:         return ATTN_ENGINE_ERROR_TOO_LONG;
    case AE_STATUS_INVALID_ARGUMENT: return ATTN_ENGINE_ERROR_INVALID;
    case AE_STATUS_NO_MEMORY:        return ATTN_ENGINE_ERROR_NO_MEMORY;
    case AE_STATUS_CANCELLED:        return ATTN_ENGINE_ERROR_CANCELLED;
    case AE_STATUS_BAD_CONFIG:
    case AE_STATUS_BAD_WEIGHTS:
    case AE_STATUS_BAD_TOKENIZER:
    case AE_STATUS_NOT_FINITE:
    case AE_STATUS_OK:
    case AE_STATUS_COUNT:
    default:                         return ATTN_ENGINE_ERROR_BAD_MODEL;
    }
}

gboolean
_attn_engine_status_to_error (AeStatus       status,
                              const AeError *ae_error,
                              GError       **error)
{
  if (status == AE_STATUS_OK)
    return TRUE;

  if (ae_error != NULL && ae_error->status == status && ae_error->message[0] != '\0')
    g_set_error_literal (error, ATTN_ENGINE_ERROR, code_for_status (status), ae_error->message);
  else
    g_set_error_literal (error, ATTN_ENGINE_ERROR, code_for_status (status),
                         ae_status_to_string (status));
  return FALSE;
}

gboolean
_attn_status_to_error (AeStatus       status,
                       const AeError *ae_error,
                       GError       **error)
{
  return _attn_engine_status_to_error (status, ae_error, error);
}

char *
attn_engine_dup_builtin_dir (void)
{
  const char *models_dir = g_getenv ("ATTENTION_MODELS_DIR");
  const char *candidates[] = { models_dir, ATTN_MODELS_DIR, ATTN_SOURCE_MODELS_DIR };

  for (guint i = 0; i < G_N_ELEMENTS (candidates); i++)
    {
      g_autofree char *dir = NULL;

      if (candidates[i] == NULL)
        continue;

      dir = g_build_filename (candidates[i], ATTN_BUILTIN_MODEL, NULL);
      if (g_file_test (dir, G_FILE_TEST_IS_DIR))
        return g_steal_pointer (&dir);
    }

  /* Not found anywhere: name the installed location, so loading it gives an
   * error that says where the model was expected. */
  return g_build_filename (ATTN_MODELS_DIR, ATTN_BUILTIN_MODEL, NULL);
}

static void
attn_engine_finalize (GObject *object)
{
  AttnEngine *self = (AttnEngine *)object;

  g_clear_pointer (&self->model, ae_model_free);
  g_clear_pointer (&self->name, g_free);

  G_OBJECT_CLASS (attn_engine_parent_class)->finalize (object);
}

static void
attn_engine_get_property (GObject    *object,
                          guint       prop_id,
                          GValue     *value,
                          GParamSpec *pspec)
{
  AttnEngine *self = ATTN_ENGINE (object);

  switch (prop_id)
    {
    case PROP_NAME:
      g_value_set_string (value, attn_engine_get_name (self));
      break;
    case PROP_DIRECTORY:
      g_value_set_string (value, attn_engine_get_directory (self));
      break;
    case PROP_N_LAYERS:
      g_value_set_uint (value, attn_engine_get_n_layers (self));
      break;
    case PROP_N_HEADS:
      g_value_set_uint (value, attn_engine_get_n_heads (self));
      break;
    case PROP_N_CTX:
      g_value_set_uint (value, attn_engine_get_n_ctx (self));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
attn_engine_class_init (AttnEngineClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->finalize = attn_engine_finalize;
  object_class->get_property = attn_engine_get_property;

  properties [PROP_NAME] =
    g_param_spec_string ("name", NULL, NULL, NULL,
                         (G_PARAM_READABLE | G_PARAM_STATIC_STRINGS));
  properties [PROP_DIRECTORY] =
    g_param_spec_string ("directory", NULL, NULL, NULL,
                         (G_PARAM_READABLE | G_PARAM_STATIC_STRINGS));
  properties [PROP_N_LAYERS] =
    g_param_spec_uint ("n-layers", NULL, NULL, 0, G_MAXUINT, 0,
                       (G_PARAM_READABLE | G_PARAM_STATIC_STRINGS));
  properties [PROP_N_HEADS] =
    g_param_spec_uint ("n-heads", NULL, NULL, 0, G_MAXUINT, 0,
                       (G_PARAM_READABLE | G_PARAM_STATIC_STRINGS));
  properties [PROP_N_CTX] =
    g_param_spec_uint ("n-ctx", NULL, NULL, 0, G_MAXUINT, 0,
                       (G_PARAM_READABLE | G_PARAM_STATIC_STRINGS));

  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
attn_engine_init (AttnEngine *self)
{
}

/* Weights that are all finite can still overflow float32 (huge values):
 * such a model would load and then show NaN for every sentence, and the app
 * would keep it as the current and a recent model.  One short pass at load
 * refuses it with the layer that overflowed.  It costs a few milliseconds
 * beside reading the weights. */
static gboolean
probe (AttnEngine  *self,
       GError     **error)
{
  static const char text[] = "The cat sat on the mat.";
  const AeModel *model = self->model;
  AeTokens tokens = { 0 };
  AeTrace *trace = NULL;
  AeError ae_error = { 0 };
  AeStatus status;

  status = ae_tokenizer_encode (ae_model_tokenizer (model), text, strlen (text), &tokens, &ae_error);
  if (status == AE_STATUS_OK)
    status = ae_model_forward (model, tokens.ids,
                               MIN (tokens.n_tokens, ae_model_config (model)->n_ctx),
                               NULL, &trace, &ae_error);
  ae_tokens_clear (&tokens);
  ae_trace_free (trace);
  if (status == AE_STATUS_NOT_FINITE)
    ae_error_prefix (&ae_error, _("The model cannot be run"));
  return _attn_engine_status_to_error (status, &ae_error, error);
}

AttnEngine *
attn_engine_new (const char    *directory,
                 GCancellable  *cancellable,
                 GError       **error)
{
  g_autoptr(AttnEngine) self = NULL;
  g_autofree char *resolved = NULL;
  AeError ae_error = { 0 };
  AeStatus status;

  g_return_val_if_fail (directory != NULL, NULL);

  if (g_cancellable_set_error_if_cancelled (cancellable, error))
    return NULL;

  /* A repo id ("openai-community/gpt2") is the cached snapshot of its
   * refs/main, found without network; a folder passes unchanged. */
  resolved = attn_hub_resolve_model (directory, error);
  if (resolved == NULL)
    return NULL;
  directory = resolved;

  self = g_object_new (ATTN_TYPE_ENGINE, NULL);
  status = ae_model_load (&self->model, directory, &ae_error);
  if (!_attn_engine_status_to_error (status, &ae_error, error))
    return NULL;

  /* A snapshot's folder is named after a commit hash: the repo id says
   * more ("openai-community/gpt2"). */
  self->name = attn_hub_repo_id_from_path (directory);
  if (self->name == NULL)
    self->name = g_strdup (ae_model_name (self->model));

  if (!probe (self, error))
    return NULL;

  return g_steal_pointer (&self);
}

static void
load_in_thread (GTask        *task,
                gpointer      source_object,
                gpointer      task_data,
                GCancellable *cancellable)
{
  const char *directory = task_data;
  GError *error = NULL;
  AttnEngine *engine = attn_engine_new (directory, cancellable, &error);

  if (engine == NULL)
    g_task_return_error (task, error);
  else
    g_task_return_pointer (task, engine, g_object_unref);
}

void
attn_engine_new_async (const char          *directory,
                       GCancellable        *cancellable,
                       GAsyncReadyCallback  callback,
                       gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;

  g_return_if_fail (directory != NULL);

  task = g_task_new (NULL, cancellable, callback, user_data);
  g_task_set_source_tag (task, attn_engine_new_async);
  g_task_set_task_data (task, g_strdup (directory), g_free);
  g_task_run_in_thread (task, load_in_thread);
}

AttnEngine *
attn_engine_new_finish (GAsyncResult  *result,
                        GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, NULL), NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}

const AeModel *
attn_engine_get_model (AttnEngine *self)
{
  g_return_val_if_fail (ATTN_IS_ENGINE (self), NULL);
  return self->model;
}

const char *
attn_engine_get_name (AttnEngine *self)
{
  g_return_val_if_fail (ATTN_IS_ENGINE (self), NULL);
  return self->name;
}

const char *
attn_engine_get_directory (AttnEngine *self)
{
  g_return_val_if_fail (ATTN_IS_ENGINE (self), NULL);
  return self->model ? ae_model_dir (self->model) : NULL;
}

guint
attn_engine_get_n_layers (AttnEngine *self)
{
  g_return_val_if_fail (ATTN_IS_ENGINE (self), 0);
  return self->model ? ae_model_config (self->model)->n_layer : 0;
}

guint
attn_engine_get_n_heads (AttnEngine *self)
{
  g_return_val_if_fail (ATTN_IS_ENGINE (self), 0);
  return self->model ? ae_model_config (self->model)->n_head : 0;
}

guint
attn_engine_get_n_ctx (AttnEngine *self)
{
  g_return_val_if_fail (ATTN_IS_ENGINE (self), 0);
  return self->model ? ae_model_config (self->model)->n_ctx : 0;
}

static void
set_flag_cb (GCancellable *cancellable,
             gpointer      user_data)
{
  atomic_store ((AeCancelFlag *) user_data, 1);
}

/* With @max_tokens > 0 the tokenizer stops once it has that many tokens:
 * the rest of a long text is never tokenized. */
static gboolean
encode (AttnEngine          *self,
        const char          *text,
        gsize                max_tokens,
        const AeCancelFlag  *cancel,
        AeTokens            *tokens,
        GError             **error)
{
  return _attn_engine_encode (self, text, NULL, max_tokens, cancel, tokens, error);
}

/* Every result knows the engine that made it (attn_result_get_engine). */
static AttnResult *
tie (AttnEngine *self,
     AttnResult *result)
{
  _attn_result_set_engine (result, self);
  return result;
}

AttnResult *
attn_engine_tokenize (AttnEngine  *self,
                      const char  *text,
                      GError     **error)
{
  AeTokens tokens = { 0 };

  g_return_val_if_fail (ATTN_IS_ENGINE (self), NULL);
  g_return_val_if_fail (text != NULL, NULL);

  if (!encode (self, text, 0, NULL, &tokens, error))
    return NULL;

  return tie (self, _attn_result_new (text, attn_engine_get_name (self),
                                     ae_model_tokenizer (self->model), &tokens, 0, NULL));
}

static AttnResult *run (AttnEngine           *self,
                        const char           *text,
                        const AttnRunOptions *options,
                        GCancellable         *cancellable,
                        GError              **error);

/* The app's call: truncating, it stops tokenizing once the context is
 * full (a long paste costs only what fits), so n_dropped is 1 then. */
AttnResult *
attn_engine_run (AttnEngine    *self,
                 const char    *text,
                 gboolean       truncate,
                 GCancellable  *cancellable,
                 GError       **error)
{
  AttnRunOptions options = { .truncate = truncate };

  return run (self, text, &options, cancellable, error);
}

/* attention-cli's: tokenizes all of the text, so --truncate can say how
 * many tokens it left out. */
AttnResult *
attn_engine_run_layers (AttnEngine    *self,
                        const char    *text,
                        gboolean       truncate,
                        guint          n_layers,
                        GCancellable  *cancellable,
                        GError       **error)
{
  AttnRunOptions options = { .truncate = truncate, .whole_text = TRUE, .n_layers = n_layers };

  return run (self, text, &options, cancellable, error);
}

AttnResult *
attn_engine_run_options (AttnEngine           *self,
                         const char           *text,
                         const AttnRunOptions *options,
                         GCancellable         *cancellable,
                         GError              **error)
{
  g_return_val_if_fail (options != NULL, NULL);
  return run (self, text, options, cancellable, error);
}

static AttnResult *
run (AttnEngine           *self,
     const char           *text,
     const AttnRunOptions *options,
     GCancellable         *cancellable,
     GError              **error)
{
  AeTokens tokens = { 0 };
  AeTrace *trace = NULL;
  AeError ae_error = { 0 };
  AeStatus status;
  gsize n_ctx;
  guint n_dropped = 0;
  AeCancelFlag cancelled = 0;
  gulong handler = 0;
  gboolean ok, truncate = options->truncate;
  AttnRunOutputs outputs = { 0 };
  const char *text_b = options->text_b != NULL && options->text_b[0] ? options->text_b : NULL;
  AttnResult *result;

  g_return_val_if_fail (ATTN_IS_ENGINE (self), NULL);
  g_return_val_if_fail (text != NULL, NULL);

  if (cancellable != NULL)
    handler = g_cancellable_connect (cancellable, G_CALLBACK (set_flag_cb), &cancelled, NULL);

  /* Truncating, only what fits is tokenized; the tokenizer says whether
   * text was left over (at least one more token), not how many tokens the
   * rest would make, which would cost tokenizing all of it. */
  n_ctx = ae_model_config (self->model)->n_ctx;
  ok = _attn_engine_encode (self, text, text_b, truncate && !options->whole_text ? n_ctx : 0,
                            &cancelled, &tokens, error);
  if (ok && tokens.truncated)
    n_dropped = 1;
  if (ok && tokens.n_tokens > n_ctx)
    {
      if (!truncate)
        {
          g_set_error (error, ATTN_ENGINE_ERROR, ATTN_ENGINE_ERROR_TOO_LONG,
                       _("The text is %zu tokens long, but the model “%s” reads at most %zu"),
                       tokens.n_tokens, attn_engine_get_name (self), n_ctx);
          ae_tokens_clear (&tokens);
          ok = FALSE;
        }
      else if (text_b != NULL)
        {
          /* a pair keeps its separators: encoded again up to the context */
          n_dropped = (guint) (tokens.n_tokens - n_ctx);
          ae_tokens_clear (&tokens);
          ok = _attn_engine_encode (self, text, text_b, n_ctx, &cancelled, &tokens, error);
        }
      else
        {
          /* Tokenized in full: the count is exact, and the tokens kept end
           * where the last one that fits ends. */
          n_dropped = (guint) (tokens.n_tokens - n_ctx);
          tokens.n_tokens = n_ctx;
          tokens.truncated = TRUE;
          tokens.n_bytes_read = tokens.ends[n_ctx - 1];
        }
    }
  if (!ok)
    {
      if (cancellable != NULL)
        g_cancellable_disconnect (cancellable, handler);
      return NULL;
    }

  /* the pass, with the hooks for predictions and ablation */
  status = _attn_run_forward (self->model, tokens.ids, tokens.type_ids, tokens.n_tokens, options,
                              &cancelled, &trace, &outputs, &ae_error);

  if (cancellable != NULL)
    g_cancellable_disconnect (cancellable, handler);

  if (!_attn_engine_status_to_error (status, &ae_error, error))
    {
      ae_tokens_clear (&tokens);
      return NULL;
    }

  result = _attn_result_new_pair (text, text_b, attn_engine_get_name (self),
                                  ae_model_tokenizer (self->model), &tokens, n_dropped, trace);
  _attn_result_set_outputs (result, &outputs);
  return tie (self, result);
}
