/* ae-config.c
 *
 * Copyright 2026 The Attention authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Reads a Hugging Face config.json into an AeConfig: the family (from
 * model_type or architectures), its description (ae-arch.c), the shape and
 * the options that change the computation.  An option the engine does not
 * compute is refused by name, never ignored; keys that only concern
 * training or generation (dropout, use_cache, token ids) are not read.
 * Every message starts with the file's base name so the person knows which
 * file to fix.
 */

#include <jansson.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "ae-config.h"
#include "ae-file.h"

/* Generous upper bounds: far above any GPT-2 we run, low enough that the
 * products below cannot overflow a size_t. */
#define MAX_LAYER  1024
#define MAX_HEAD   1024
#define MAX_EMBD   65536
#define MAX_CTX    (1 << 20)
#define MAX_VOCAB  (1 << 24)
#define MAX_INNER  (1 << 20)

static const char *
base_name (const char *path)
{
  const char *slash = strrchr (path, '/');

  return slash != NULL ? slash + 1 : path;
}

/* Reads the positive integer @key into @out; @required says whether its
 * absence is an error (otherwise @out is left alone and 0 is returned). */
static AeStatus
read_size (json_t     *root,
           const char *key,
           size_t      max,
           int         required,
           size_t     *out,
           AeError    *error)
{
  json_t *value = json_object_get (root, key);
  json_int_t n;

  if (value == NULL || json_is_null (value))
    {
      if (required)
        return ae_error_set (error, AE_STATUS_BAD_CONFIG, "“%s” is missing", key);
      return AE_STATUS_OK;
    }

  if (!json_is_integer (value))
    return ae_error_set (error, AE_STATUS_BAD_CONFIG, "“%s” must be an integer", key);

  n = json_integer_value (value);
  if (n < 1 || (unsigned long long) n > max)
    return ae_error_set (error, AE_STATUS_BAD_CONFIG,
                         "“%s” is %lld; it must be between 1 and %zu",
                         key, (long long) n, max);

  *out = (size_t) n;
  return AE_STATUS_OK;
}

/* Reads the number @key into @out when present (otherwise @out keeps its
 * default); it must lie in (lo, hi). */
static AeStatus
read_number (json_t     *root,
             const char *key,
             double      lo,
             double      hi,
             double     *out,
             AeError    *error)
{
  json_t *value = json_object_get (root, key);
  double x;

  if (value == NULL || json_is_null (value))
    return AE_STATUS_OK;
  if (!json_is_number (value))
    return ae_error_set (error, AE_STATUS_BAD_CONFIG, "“%s” must be a number", key);
  x = json_number_value (value);
  if (!(x > lo && x < hi))
    return ae_error_set (error, AE_STATUS_BAD_CONFIG,
                         "%s is %g; it must be between %g and %g", key, x, lo, hi);
  *out = x;
  return AE_STATUS_OK;
}

static AeStatus
read_bool (json_t     *root,
           const char *key,
           bool       *out,
           AeError    *error)
{
  json_t *value = json_object_get (root, key);

  if (value == NULL || json_is_null (value))
    return AE_STATUS_OK;
  if (!json_is_boolean (value))
    return ae_error_set (error, AE_STATUS_BAD_CONFIG, "“%s” must be true or false", key);
  *out = json_is_true (value);
  return AE_STATUS_OK;
}

/* NULL (and OK) when absent. */
static AeStatus
read_string (json_t      *root,
             const char  *key,
             const char **out,
             AeError     *error)
{
  json_t *value = json_object_get (root, key);

  *out = NULL;
  if (value == NULL || json_is_null (value))
    return AE_STATUS_OK;
  if (!json_is_string (value))
    return ae_error_set (error, AE_STATUS_BAD_CONFIG, "“%s” must be a string", key);
  *out = json_string_value (value);
  return AE_STATUS_OK;
}

/* The norm epsilon under @key: (0, 1), and large enough to stay a normal
 * float, or it would silently become 0 in the kernels. */
static AeStatus
read_epsilon (json_t     *root,
              const char *key,
              double      fallback,
              AeConfig   *config,
              AeError    *error)
{
  double eps = fallback;
  AeStatus status;

  if ((status = read_number (root, key, 0.0, 1.0, &eps, error)))
    return status;
  if (eps < 1e-30)
    return ae_error_set (error, AE_STATUS_BAD_CONFIG,
                         "%s is %g; it must be at least 1e-30", key, eps);
  config->layer_norm_epsilon = (float) eps;
  return AE_STATUS_OK;
}

/* A key that must hold one value because the engine computes only that
 * (e.g. a boolean option it does not implement). */
static AeStatus
refuse_bool (json_t     *root,
             const char *key,
             bool        supported,
             AeError    *error)
{
  bool value = supported;
  AeStatus status;

  if ((status = read_bool (root, key, &value, error)))
    return status;
  if (value != supported)
    return ae_error_set (error, AE_STATUS_UNSUPPORTED,
                         "%s is %s; only %s is supported", key,
                         value ? "true" : "false", supported ? "true" : "false");
  return AE_STATUS_OK;
}

static AeStatus
read_gelu (json_t     *root,
           const char *key,
           AeConfig   *config,
           AeError    *error)
{
  const char *act;
  AeStatus status;

  if ((status = read_string (root, key, &act, error)) || act == NULL)
    return status;
  if (strcmp (act, "gelu_new") == 0 || strcmp (act, "gelu_pytorch_tanh") == 0)
    config->arch.mlp = AE_MLP_GELU_TANH;
  else if (strcmp (act, "gelu") == 0)
    config->arch.mlp = AE_MLP_GELU_ERF;
  else
    return ae_error_set (error, AE_STATUS_UNSUPPORTED,
                         "%s is “%s”; only “gelu_new” and “gelu” are supported", key, act);
  return AE_STATUS_OK;
}

static AeStatus
read_gpt2 (AeConfig *config,
           json_t   *root,
           AeError  *error)
{
  AeStatus status;

  if ((status = read_gelu (root, "activation_function", config, error)))
    return status;

  if ((status = read_size (root, "n_layer", MAX_LAYER, 1, &config->n_layer, error)) ||
      (status = read_size (root, "n_head", MAX_HEAD, 1, &config->n_head, error)) ||
      (status = read_size (root, "n_embd", MAX_EMBD, 1, &config->n_embd, error)) ||
      (status = read_size (root, "vocab_size", MAX_VOCAB, 1, &config->vocab_size, error)))
    return status;

  /* n_positions is the size of wpe; older configs only carry n_ctx. */
  if ((status = read_size (root, "n_positions", MAX_CTX, 0, &config->n_ctx, error)))
    return status;
  if (config->n_ctx == 0 &&
      (status = read_size (root, "n_ctx", MAX_CTX, 0, &config->n_ctx, error)))
    return status;
  if (config->n_ctx == 0)
    return ae_error_set (error, AE_STATUS_BAD_CONFIG, "“n_positions” (or “n_ctx”) is missing");

  if (config->n_embd % config->n_head != 0)
    return ae_error_set (error, AE_STATUS_BAD_CONFIG,
                         "n_embd (%zu) is not a multiple of n_head (%zu)",
                         config->n_embd, config->n_head);
  config->n_kv_head = config->n_head;
  config->head_size = config->n_embd / config->n_head;

  /* n_inner: the MLP width, 4·n_embd when null. */
  config->n_inner = 4 * config->n_embd;
  if ((status = read_size (root, "n_inner", MAX_INNER, 0, &config->n_inner, error)))
    return status;

  /* The options real GPT-2 checkpoints set that change the scores;
   * reorder_and_upcast_attn only changes how half-precision training
   * computes the same scores, and this engine computes in float32. */
  if ((status = read_bool (root, "scale_attn_weights", &config->scale_attn_weights, error)) ||
      (status = read_bool (root, "scale_attn_by_inverse_layer_idx",
                           &config->scale_attn_by_inverse_layer_idx, error)) ||
      (status = read_bool (root, "reorder_and_upcast_attn", &(bool) { false }, error)) ||
      (status = refuse_bool (root, "add_cross_attention", false, error)) ||
      (status = read_bool (root, "tie_word_embeddings", &config->tie_word_embeddings, error)))
    return status;

  return read_epsilon (root, "layer_norm_epsilon", 1e-5, config, error);
}

/* rope_scaling: null, or an object whose "rope_type" (or older "type")
 * is "default", "linear" or "llama3". */
static AeStatus
read_rope_scaling (AeConfig *config,
                   json_t   *root,
                   AeError  *error)
{
  json_t *scaling = json_object_get (root, "rope_scaling");
  const char *type = NULL;
  AeStatus status;

  config->rope_scaling = AE_ROPE_SCALING_NONE;
  if (scaling == NULL || json_is_null (scaling))
    return AE_STATUS_OK;
  if (!json_is_object (scaling))
    return ae_error_set (error, AE_STATUS_BAD_CONFIG, "“rope_scaling” must be an object or null");

  if ((status = read_string (scaling, "rope_type", &type, error)))
    return status;
  if (type == NULL && (status = read_string (scaling, "type", &type, error)))
    return status;
  if (type == NULL)
    return ae_error_set (error, AE_STATUS_BAD_CONFIG, "“rope_scaling” has no “rope_type”");
  if (strcmp (type, "default") == 0)
    return AE_STATUS_OK;

  if (strcmp (type, "linear") != 0 && strcmp (type, "llama3") != 0)
    return ae_error_set (error, AE_STATUS_UNSUPPORTED,
                         "rope_scaling type is “%s”; only “linear” and “llama3” are supported",
                         type);

  config->rope_factor = 0.0;
  if ((status = read_number (scaling, "factor", 0.0, 1e6, &config->rope_factor, error)))
    return status;
  if (config->rope_factor == 0.0)
    return ae_error_set (error, AE_STATUS_BAD_CONFIG, "“rope_scaling” has no “factor”");

  if (strcmp (type, "linear") == 0)
    {
      config->rope_scaling = AE_ROPE_SCALING_LINEAR;
      return AE_STATUS_OK;
    }

  config->rope_scaling = AE_ROPE_SCALING_LLAMA3;
  config->rope_low_freq_factor = 0.0;
  config->rope_high_freq_factor = 0.0;
  config->rope_original_max_positions = 0.0;
  if ((status = read_number (scaling, "low_freq_factor", 0.0, 1e6,
                             &config->rope_low_freq_factor, error)) ||
      (status = read_number (scaling, "high_freq_factor", 0.0, 1e6,
                             &config->rope_high_freq_factor, error)) ||
      (status = read_number (scaling, "original_max_position_embeddings", 0.0, 1e9,
                             &config->rope_original_max_positions, error)))
    return status;
  if (config->rope_low_freq_factor == 0.0 || config->rope_high_freq_factor == 0.0 ||
      config->rope_original_max_positions == 0.0)
    return ae_error_set (error, AE_STATUS_BAD_CONFIG,
                         "“rope_scaling” of type llama3 needs “low_freq_factor”, "
                         "“high_freq_factor” and “original_max_position_embeddings”");
  if (!(config->rope_high_freq_factor > config->rope_low_freq_factor))
    return ae_error_set (error, AE_STATUS_BAD_CONFIG,
                         "rope_scaling's high_freq_factor must be larger than low_freq_factor");
  return AE_STATUS_OK;
}

/* The fields Llama, Mistral, Qwen2 and GPT-NeoX name alike. */
static AeStatus
read_hf_shape (AeConfig *config,
               json_t   *root,
               AeError  *error)
{
  AeStatus status;

  if ((status = read_size (root, "num_hidden_layers", MAX_LAYER, 1, &config->n_layer, error)) ||
      (status = read_size (root, "num_attention_heads", MAX_HEAD, 1, &config->n_head, error)) ||
      (status = read_size (root, "hidden_size", MAX_EMBD, 1, &config->n_embd, error)) ||
      (status = read_size (root, "intermediate_size", MAX_INNER, 1, &config->n_inner, error)) ||
      (status = read_size (root, "vocab_size", MAX_VOCAB, 1, &config->vocab_size, error)) ||
      (status = read_size (root, "max_position_embeddings", MAX_CTX, 1, &config->n_ctx, error)))
    return status;

  config->n_kv_head = config->n_head;
  if ((status = read_size (root, "num_key_value_heads", MAX_HEAD, 0, &config->n_kv_head, error)))
    return status;
  if (config->n_head % config->n_kv_head != 0)
    return ae_error_set (error, AE_STATUS_BAD_CONFIG,
                         "num_attention_heads (%zu) is not a multiple of num_key_value_heads (%zu)",
                         config->n_head, config->n_kv_head);

  config->head_size = 0;
  if ((status = read_size (root, "head_dim", MAX_EMBD, 0, &config->head_size, error)))
    return status;
  if (config->head_size == 0)
    {
      if (config->n_embd % config->n_head != 0)
        return ae_error_set (error, AE_STATUS_BAD_CONFIG,
                             "hidden_size (%zu) is not a multiple of num_attention_heads (%zu)",
                             config->n_embd, config->n_head);
      config->head_size = config->n_embd / config->n_head;
    }
  return AE_STATUS_OK;
}

static AeStatus
read_llama (AeConfig *config,
            json_t   *root,
            AeError  *error)
{
  const char *act;
  bool attention_bias = false, mlp_bias = false, use_sliding_window = false;
  double partial = 1.0;
  AeStatus status;

  if ((status = read_hf_shape (config, root, error)))
    return status;

  if ((status = read_string (root, "hidden_act", &act, error)))
    return status;
  if (act != NULL && strcmp (act, "silu") != 0)
    return ae_error_set (error, AE_STATUS_UNSUPPORTED,
                         "hidden_act is “%s”; only “silu” is supported", act);

  config->rope_theta = 10000.0;
  if ((status = read_epsilon (root, "rms_norm_eps", 1e-6, config, error)) ||
      (status = read_number (root, "rope_theta", 0.0, 1e12, &config->rope_theta, error)) ||
      (status = read_rope_scaling (config, root, error)) ||
      (status = read_number (root, "partial_rotary_factor", 0.0, 1.0 + 1e-9, &partial, error)) ||
      (status = read_bool (root, "tie_word_embeddings", &config->tie_word_embeddings, error)))
    return status;
  if (partial != 1.0)
    return ae_error_set (error, AE_STATUS_UNSUPPORTED,
                         "partial_rotary_factor is %g; only 1 is supported for %s",
                         partial, config->arch.name);
  config->rotary_dim = config->head_size;

  /* Llama may put biases on the attention and the MLP; Qwen2 always has
   * q/k/v biases (in the description). */
  if (config->arch.family == AE_FAMILY_LLAMA)
    {
      if ((status = read_bool (root, "attention_bias", &attention_bias, error)) ||
          (status = read_bool (root, "mlp_bias", &mlp_bias, error)))
        return status;
      config->arch.qkv_bias = config->arch.out_bias = attention_bias;
      config->arch.mlp_bias = mlp_bias;
    }

  if (config->arch.family == AE_FAMILY_MISTRAL &&
      (status = read_size (root, "sliding_window", MAX_CTX, 0, &config->sliding_window, error)))
    return status;

  /* Qwen2's window applies only to some layers, chosen by
   * max_window_layers (which layers, transformers' code and its docs
   * disagree on): not computed.  A window no shorter than the context hides
   * nothing, on any layer, so such a config runs exactly as plain causal
   * attention; so does one without a window size. */
  if (config->arch.family == AE_FAMILY_QWEN2 &&
      (status = read_bool (root, "use_sliding_window", &use_sliding_window, error)))
    return status;
  if (use_sliding_window)
    {
      size_t window = 0;

      if ((status = read_size (root, "sliding_window", MAX_CTX, 0, &window, error)))
        return status;
      if (window != 0 && window < config->n_ctx)
        return ae_error_set (error, AE_STATUS_UNSUPPORTED,
                             "use_sliding_window is true with sliding_window %zu shorter than "
                             "max_position_embeddings %zu: Qwen2's sliding window on some "
                             "layers (max_window_layers) is not supported",
                             window, config->n_ctx);
    }

  return AE_STATUS_OK;
}

static AeStatus
read_neox (AeConfig *config,
           json_t   *root,
           AeError  *error)
{
  double pct = 0.25;
  bool parallel = true, bias = true;
  json_t *scaling;
  AeStatus status;

  if ((status = read_hf_shape (config, root, error)))
    return status;
  if (config->n_kv_head != config->n_head)
    return ae_error_set (error, AE_STATUS_UNSUPPORTED,
                         "num_key_value_heads is %zu; GPT-NeoX has one k/v head per head (%zu)",
                         config->n_kv_head, config->n_head);

  config->rope_theta = 10000.0;
  if ((status = read_gelu (root, "hidden_act", config, error)) ||
      (status = read_epsilon (root, "layer_norm_eps", 1e-5, config, error)) ||
      (status = read_number (root, "rotary_pct", 0.0, 1.0 + 1e-9, &pct, error)) ||
      (status = read_number (root, "rotary_emb_base", 0.0, 1e12, &config->rope_theta, error)) ||
      (status = read_number (root, "rope_theta", 0.0, 1e12, &config->rope_theta, error)) ||
      (status = read_bool (root, "use_parallel_residual", &parallel, error)) ||
      (status = read_bool (root, "attention_bias", &bias, error)) ||
      (status = read_bool (root, "tie_word_embeddings", &config->tie_word_embeddings, error)))
    return status;

  scaling = json_object_get (root, "rope_scaling");
  if (scaling != NULL && !json_is_null (scaling))
    return ae_error_set (error, AE_STATUS_UNSUPPORTED,
                         "rope_scaling is set; GPT-NeoX models are supported without it");

  /* As NeoX computes it: int(head_size · rotary_pct). */
  config->rotary_dim = (size_t) ((double) config->head_size * pct);
  if (config->rotary_dim == 0 || config->rotary_dim % 2 != 0)
    return ae_error_set (error, AE_STATUS_BAD_CONFIG,
                         "rotary_pct %g of head size %zu gives %zu rotary dimensions; "
                         "it must be a positive even number", pct, config->head_size,
                         config->rotary_dim);

  config->arch.residual = parallel ? AE_RESIDUAL_PARALLEL : AE_RESIDUAL_SEQUENTIAL;
  config->arch.qkv_bias = config->arch.out_bias = bias;
  return AE_STATUS_OK;
}

/* A non-negative integer (an id): 0 is allowed, unlike read_size. */
static AeStatus
read_id (json_t     *root,
         const char *key,
         size_t      max,
         size_t     *out,
         AeError    *error)
{
  json_t *value = json_object_get (root, key);

  if (value == NULL || json_is_null (value))
    return AE_STATUS_OK;
  if (!json_is_integer (value) || json_integer_value (value) < 0 ||
      (unsigned long long) json_integer_value (value) > max)
    return ae_error_set (error, AE_STATUS_BAD_CONFIG,
                         "“%s” must be an integer between 0 and %zu", key, max);
  *out = (size_t) json_integer_value (value);
  return AE_STATUS_OK;
}

/* BERT and RoBERTa name their fields alike (BertConfig, RobertaConfig). */
static AeStatus
read_bert (AeConfig *config,
           json_t   *root,
           AeError  *error)
{
  const char *position_type;
  AeStatus status;

  if ((status = read_hf_shape (config, root, error)))
    return status;
  if (config->n_kv_head != config->n_head || config->head_size * config->n_head != config->n_embd)
    return ae_error_set (error, AE_STATUS_UNSUPPORTED,
                         "%s has one k/v head per head and hidden_size / num_attention_heads "
                         "as head size", config->arch.name);

  config->type_vocab_size = 2;
  config->pad_token_id = config->arch.family == AE_FAMILY_ROBERTA ? 1 : 0;
  if ((status = read_gelu (root, "hidden_act", config, error)) ||
      (status = read_epsilon (root, "layer_norm_eps", 1e-12, config, error)) ||
      (status = read_size (root, "type_vocab_size", MAX_HEAD, 0, &config->type_vocab_size, error)) ||
      (status = read_id (root, "pad_token_id", MAX_VOCAB, &config->pad_token_id, error)) ||
      (status = read_string (root, "position_embedding_type", &position_type, error)) ||
      (status = refuse_bool (root, "is_decoder", false, error)) ||
      (status = refuse_bool (root, "add_cross_attention", false, error)) ||
      (status = read_bool (root, "tie_word_embeddings", &config->tie_word_embeddings, error)))
    return status;
  if (position_type != NULL && strcmp (position_type, "absolute") != 0)
    return ae_error_set (error, AE_STATUS_UNSUPPORTED,
                         "position_embedding_type is “%s”; only “absolute” is supported",
                         position_type);

  /* RoBERTa numbers positions from pad_token_id + 1: the table has that
   * many rows more than the longest input. */
  if (config->arch.position_ids == AE_POSITIONS_PAST_PADDING)
    {
      config->position_offset = config->pad_token_id + 1;
      if (config->n_ctx <= config->position_offset)
        return ae_error_set (error, AE_STATUS_BAD_CONFIG,
                             "max_position_embeddings (%zu) leaves no position past "
                             "pad_token_id (%zu)", config->n_ctx, config->pad_token_id);
      config->n_ctx -= config->position_offset;
    }
  return AE_STATUS_OK;
}

/* DistilBertConfig: its own names; no token types, epsilon fixed at 1e-12. */
static AeStatus
read_distilbert (AeConfig *config,
                 json_t   *root,
                 AeError  *error)
{
  AeStatus status;

  if ((status = read_size (root, "n_layers", MAX_LAYER, 1, &config->n_layer, error)) ||
      (status = read_size (root, "n_heads", MAX_HEAD, 1, &config->n_head, error)) ||
      (status = read_size (root, "dim", MAX_EMBD, 1, &config->n_embd, error)) ||
      (status = read_size (root, "hidden_dim", MAX_INNER, 1, &config->n_inner, error)) ||
      (status = read_size (root, "vocab_size", MAX_VOCAB, 1, &config->vocab_size, error)) ||
      (status = read_size (root, "max_position_embeddings", MAX_CTX, 1, &config->n_ctx, error)) ||
      (status = read_gelu (root, "activation", config, error)) ||
      (status = read_id (root, "pad_token_id", MAX_VOCAB, &config->pad_token_id, error)) ||
      (status = read_bool (root, "tie_word_embeddings", &config->tie_word_embeddings, error)))
    return status;
  if (config->n_embd % config->n_head != 0)
    return ae_error_set (error, AE_STATUS_BAD_CONFIG,
                         "dim (%zu) is not a multiple of n_heads (%zu)",
                         config->n_embd, config->n_head);
  config->n_kv_head = config->n_head;
  config->head_size = config->n_embd / config->n_head;
  config->layer_norm_epsilon = 1e-12f;
  return AE_STATUS_OK;
}

/* The family: model_type first, then the first of "architectures", and
 * GPT-2 when config.json names neither (the original GPT-2 configs). */
static AeStatus
read_family (json_t   *root,
             AeFamily *family,
             AeError  *error)
{
  static const struct { const char *name; AeFamily family; } classes[] = {
    { "GPT2LMHeadModel", AE_FAMILY_GPT2 },
    { "GPT2Model", AE_FAMILY_GPT2 },
    { "LlamaForCausalLM", AE_FAMILY_LLAMA },
    { "MistralForCausalLM", AE_FAMILY_MISTRAL },
    { "Qwen2ForCausalLM", AE_FAMILY_QWEN2 },
    { "GPTNeoXForCausalLM", AE_FAMILY_GPT_NEOX },
    { "BertModel", AE_FAMILY_BERT },
    { "BertForMaskedLM", AE_FAMILY_BERT },
    { "BertForPreTraining", AE_FAMILY_BERT },
    { "DistilBertModel", AE_FAMILY_DISTILBERT },
    { "DistilBertForMaskedLM", AE_FAMILY_DISTILBERT },
    { "RobertaModel", AE_FAMILY_ROBERTA },
    { "RobertaForMaskedLM", AE_FAMILY_ROBERTA },
  };
  const char *model_type;
  json_t *archs = json_object_get (root, "architectures");
  AeStatus status;

  if ((status = read_string (root, "model_type", &model_type, error)))
    return status;
  if (model_type != NULL)
    {
      if (!ae_arch_family_from_model_type (model_type, family))
        return ae_error_set (error, AE_STATUS_UNSUPPORTED,
                             "model_type is “%s”; supported are gpt2, llama, mistral, "
                             "qwen2, gpt_neox, bert, distilbert and roberta", model_type);
      return AE_STATUS_OK;
    }

  *family = AE_FAMILY_GPT2;
  if (archs == NULL || json_is_null (archs))
    return AE_STATUS_OK;
  if (!json_is_array (archs) || json_array_size (archs) == 0 ||
      !json_is_string (json_array_get (archs, 0)))
    return ae_error_set (error, AE_STATUS_BAD_CONFIG,
                         "“architectures” must be a list of class names");

  for (size_t i = 0; i < sizeof classes / sizeof classes[0]; i++)
    if (strcmp (json_string_value (json_array_get (archs, 0)), classes[i].name) == 0)
      {
        *family = classes[i].family;
        return AE_STATUS_OK;
      }
  return ae_error_set (error, AE_STATUS_UNSUPPORTED,
                       "architectures names “%s”; supported are GPT2LMHeadModel, "
                       "LlamaForCausalLM, MistralForCausalLM, Qwen2ForCausalLM, "
                       "GPTNeoXForCausalLM, BertModel, BertForMaskedLM, DistilBertModel, "
                       "DistilBertForMaskedLM, RobertaModel and RobertaForMaskedLM",
                       json_string_value (json_array_get (archs, 0)));
}

static AeStatus
read_config (AeConfig *config,
             json_t   *root,
             AeError  *error)
{
  AeFamily family;
  AeStatus status;

  if (!json_is_object (root))
    return ae_error_set (error, AE_STATUS_BAD_CONFIG, "the file is not a JSON object");

  /* Refuse other families first: their shape fields mean something else. */
  if ((status = read_family (root, &family, error)))
    return status;

  /* Quantised checkpoints store weights the kernels cannot read. */
  if (json_object_get (root, "quantization_config") != NULL)
    return ae_error_set (error, AE_STATUS_UNSUPPORTED,
                         "quantization_config is set; quantised checkpoints are not supported");

  config->arch = *ae_arch_for_family (family);
  config->scale_attn_weights = true;
  /* GPT-2 ties its head to wte, the encoders their masked-LM decoder to
   * the word embeddings; the Hugging Face default for the others is untied
   * unless config.json says so. */
  config->tie_word_embeddings = family == AE_FAMILY_GPT2 || config->arch.bidirectional;

  switch (family)
    {
    case AE_FAMILY_GPT2:
      status = read_gpt2 (config, root, error);
      break;
    case AE_FAMILY_GPT_NEOX:
      status = read_neox (config, root, error);
      break;
    case AE_FAMILY_BERT:
    case AE_FAMILY_ROBERTA:
      status = read_bert (config, root, error);
      break;
    case AE_FAMILY_DISTILBERT:
      status = read_distilbert (config, root, error);
      break;
    case AE_FAMILY_LLAMA:
    case AE_FAMILY_MISTRAL:
    case AE_FAMILY_QWEN2:
    case AE_FAMILY_COUNT:
    default:
      status = read_llama (config, root, error);
      break;
    }
  if (status)
    return status;

  if (config->n_head * config->head_size > MAX_EMBD)
    return ae_error_set (error, AE_STATUS_BAD_CONFIG,
                         "%zu heads of size %zu are too wide", config->n_head, config->head_size);
  return AE_STATUS_OK;
}

AeStatus
ae_config_load (AeConfig   *config,
                const char *path,
                AeError    *error)
{
  json_error_t jerror;
  json_t *root;
  char *text;
  size_t len;
  AeStatus status;

  memset (config, 0, sizeof *config);

  /* Only a regular file of sane size is read (a FIFO would block). */
  if ((status = ae_file_read (path, AE_FILE_MAX_TEXT_BYTES, &text, &len, error)))
    {
      ae_error_prefix (error, base_name (path));
      return status;
    }
  root = json_loadb (text, len, JSON_REJECT_DUPLICATES, &jerror);
  free (text);
  if (root == NULL)
    {
      status = ae_error_set (error, AE_STATUS_BAD_CONFIG,
                             "invalid JSON at line %d, column %d: %s",
                             jerror.line, jerror.column, jerror.text);
      ae_error_prefix (error, base_name (path));
      return status;
    }

  status = read_config (config, root, error);
  json_decref (root);

  if (status != AE_STATUS_OK)
    {
      memset (config, 0, sizeof *config);
      ae_error_prefix (error, base_name (path));
    }

  return status;
}

void
ae_config_rope_inv_freq (const AeConfig *config,
                         double         *inv_freq)
{
  size_t n = config->rotary_dim / 2;

  for (size_t i = 0; i < n; i++)
    {
      double f = 1.0 / pow (config->rope_theta, (double) (2 * i) / (double) config->rotary_dim);

      if (config->rope_scaling == AE_ROPE_SCALING_LINEAR)
        f /= config->rope_factor;
      else if (config->rope_scaling == AE_ROPE_SCALING_LLAMA3)
        {
          /* Long wavelengths are stretched by factor, short ones kept, and
           * those between blended by where the wavelength falls. */
          double orig = config->rope_original_max_positions;
          double low = config->rope_low_freq_factor, high = config->rope_high_freq_factor;
          double wavelen = 2.0 * M_PI / f;

          if (wavelen > orig / low)
            f /= config->rope_factor;
          else if (wavelen >= orig / high)
            {
              double smooth = (orig / wavelen - low) / (high - low);

              f = (1.0 - smooth) * f / config->rope_factor + smooth * f;
            }
        }
      inv_freq[i] = f;
    }
}
