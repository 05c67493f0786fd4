/* ae-model.c
 *
 * Copyright 2026 The Attention authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Loads a GPT-2 from a Hugging Face directory and runs its forward pass,
 * keeping every head's q, k, v, scores and weights in an AeTrace.
 *
 * Weights follow llama2.c: the safetensors file stays mapped read-only and
 * F32 tensors are used in place; anything else (F16, BF16, or an F32 tensor
 * whose offset is not 4-byte aligned) is converted once into a single owned
 * float block.  The forward pass follows llm.c: one scratch allocation per
 * call, carved into arrays with shape comments, and a loop over layers that
 * is a flat list of kernel calls (ae-ops.h).
 *
 * Shape letters: L layers, NH heads, T tokens, C = n_embd, hs = C / NH,
 * V vocab size.
 */

#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "ae-model.h"
#include "ae-ops.h"

struct _AeModel
{
  AeConfig        config;
  AeSafetensors  *st;          /* keeps the mapping F32 weights point into */
  AeTokenizer    *tokenizer;
  AeDtype         dtype;       /* the dtype of wte */
  char           *dir;
  char           *name;
  size_t          n_params;

  const float    *wte;         /* (V, C) */
  const float    *wpe;         /* (n_ctx, C) */
  AeLayerWeights *layers;      /* (L,) */
  const float    *ln_f_w;      /* (C,) */
  const float    *ln_f_b;      /* (C,) */

  float          *owned;       /* converted weights, one block */
};

/* ----------------------------------------------------------------------------
 * the parameter table */

/* One tensor the forward pass needs: its name (without "transformer."),
 * the shape config.json implies, and where its float pointer goes. */
typedef struct
{
  char            name[64];
  size_t          n_dims;
  size_t          shape[2];
  const float   **dst;
  const AeTensor *tensor;
} Param;

static void
param_set (Param        *p,
           const float **dst,
           size_t        d0,
           size_t        d1,
           const char   *format,
           ...)
{
  va_list args;

  va_start (args, format);
  vsnprintf (p->name, sizeof p->name, format, args);
  va_end (args);

  p->dst = dst;
  p->n_dims = d1 == 0 ? 1 : 2;
  p->shape[0] = d0;
  p->shape[1] = d1;
  p->tensor = NULL;
}

/* Fills @params (4 + 12 L entries) in the order GPT-2 stores them. */
static size_t
fill_param_table (AeModel *model,
                  Param   *params)
{
  const AeConfig *cfg = &model->config;
  size_t C = cfg->n_embd;
  size_t n = 0;

  param_set (&params[n++], &model->wte, cfg->vocab_size, C, "wte.weight");
  param_set (&params[n++], &model->wpe, cfg->n_ctx, C, "wpe.weight");

  for (size_t l = 0; l < cfg->n_layer; l++)
    {
      AeLayerWeights *w = &model->layers[l];

      param_set (&params[n++], &w->ln_1_w, C, 0, "h.%zu.ln_1.weight", l);
      param_set (&params[n++], &w->ln_1_b, C, 0, "h.%zu.ln_1.bias", l);
      param_set (&params[n++], &w->c_attn_w, C, 3 * C, "h.%zu.attn.c_attn.weight", l);
      param_set (&params[n++], &w->c_attn_b, 3 * C, 0, "h.%zu.attn.c_attn.bias", l);
      param_set (&params[n++], &w->c_proj_w, C, C, "h.%zu.attn.c_proj.weight", l);
      param_set (&params[n++], &w->c_proj_b, C, 0, "h.%zu.attn.c_proj.bias", l);
      param_set (&params[n++], &w->ln_2_w, C, 0, "h.%zu.ln_2.weight", l);
      param_set (&params[n++], &w->ln_2_b, C, 0, "h.%zu.ln_2.bias", l);
      param_set (&params[n++], &w->c_fc_w, C, 4 * C, "h.%zu.mlp.c_fc.weight", l);
      param_set (&params[n++], &w->c_fc_b, 4 * C, 0, "h.%zu.mlp.c_fc.bias", l);
      param_set (&params[n++], &w->mlp_proj_w, 4 * C, C, "h.%zu.mlp.c_proj.weight", l);
      param_set (&params[n++], &w->mlp_proj_b, C, 0, "h.%zu.mlp.c_proj.bias", l);
    }

  param_set (&params[n++], &model->ln_f_w, C, 0, "ln_f.weight");
  param_set (&params[n++], &model->ln_f_b, C, 0, "ln_f.bias");

  return n;
}

/* "[a, b]" for messages. */
static void
format_shape (char         *buf,
              size_t        size,
              const size_t *shape,
              size_t        n_dims)
{
  size_t used = 0;

  used += snprintf (buf + used, size - used, "[");
  for (size_t d = 0; d < n_dims && used < size; d++)
    used += snprintf (buf + used, size - used, "%s%zu", d ? ", " : "", shape[d]);
  if (used < size)
    snprintf (buf + used, size - used, "]");
}

/* Finds the tensor with or without the "transformer." prefix and checks
 * its shape against the config. */
static AeStatus
find_param (const AeSafetensors *st,
            Param               *p,
            AeError             *error)
{
  char prefixed[96];
  const AeTensor *t;
  int same;

  t = ae_safetensors_find (st, p->name);
  if (t == NULL)
    {
      snprintf (prefixed, sizeof prefixed, "transformer.%s", p->name);
      t = ae_safetensors_find (st, prefixed);
    }
  if (t == NULL)
    return ae_error_set (error, AE_STATUS_BAD_WEIGHTS,
                         "tensor “%s” is missing", p->name);

  same = t->n_dims == p->n_dims;
  for (size_t d = 0; same && d < p->n_dims; d++)
    same = t->shape[d] == p->shape[d];

  if (!same)
    {
      char found[128], wanted[64];

      format_shape (found, sizeof found, t->shape, t->n_dims);
      format_shape (wanted, sizeof wanted, p->shape, p->n_dims);
      return ae_error_set (error, AE_STATUS_BAD_WEIGHTS,
                           "tensor “%s” has shape %s but config.json implies %s",
                           t->name, found, wanted);
    }

  p->tensor = t;
  return AE_STATUS_OK;
}

static int
is_zero_copy (const AeTensor *t)
{
  return t->dtype == AE_DTYPE_F32 && (uintptr_t) t->data % sizeof (float) == 0;
}

/* Points every weight into the mapping, or converts it into model->owned. */
static AeStatus
load_weights (AeModel *model,
              AeError *error)
{
  size_t n_params = 4 + 12 * model->config.n_layer;
  size_t n_owned = 0;
  Param *params;
  float *p;
  AeStatus status = AE_STATUS_OK;

  params = calloc (n_params, sizeof *params);
  if (params == NULL)
    return ae_error_set (error, AE_STATUS_NO_MEMORY, "out of memory");

  fill_param_table (model, params);

  for (size_t i = 0; i < n_params && status == AE_STATUS_OK; i++)
    {
      status = find_param (model->st, &params[i], error);
      if (status == AE_STATUS_OK)
        {
          model->n_params += params[i].tensor->n_elements;
          if (!is_zero_copy (params[i].tensor))
            n_owned += params[i].tensor->n_elements;
        }
    }

  if (status == AE_STATUS_OK && n_owned > 0)
    {
      model->owned = malloc (n_owned * sizeof (float));
      if (model->owned == NULL)
        status = ae_error_set (error, AE_STATUS_NO_MEMORY,
                               "out of memory converting %zu weights to float32", n_owned);
    }

  if (status == AE_STATUS_OK)
    {
      p = model->owned;
      for (size_t i = 0; i < n_params; i++)
        {
          const AeTensor *t = params[i].tensor;

          if (is_zero_copy (t))
            *params[i].dst = t->data;
          else
            {
              ae_tensor_to_f32 (t, p);
              *params[i].dst = p;
              p += t->n_elements;
            }
        }
      model->dtype = params[0].tensor->dtype;
    }

  free (params);
  return status;
}

/* ----------------------------------------------------------------------------
 * loading */

static char *
join_path (const char *dir,
           const char *file)
{
  size_t n = strlen (dir) + strlen (file) + 2;
  char *path = malloc (n);

  if (path != NULL)
    snprintf (path, n, "%s/%s", dir, file);
  return path;
}

/* The directory's last component, without trailing slashes. */
static char *
dir_base_name (const char *dir)
{
  size_t end = strlen (dir), start;
  char *name;

  while (end > 1 && dir[end - 1] == '/')
    end--;
  start = end;
  while (start > 0 && dir[start - 1] != '/')
    start--;

  name = malloc (end - start + 1);
  if (name != NULL)
    {
      memcpy (name, dir + start, end - start);
      name[end - start] = '\0';
    }
  return name;
}

static AeStatus
load_tokenizer (AeModel *model,
                AeError *error)
{
  static const char *const files[] = { "vocab.json", "merges.txt", "tokenizer_config.json" };
  char *paths[3] = { NULL, NULL, NULL };
  AeStatus status = AE_STATUS_OK;

  for (size_t i = 0; i < 3; i++)
    if ((paths[i] = join_path (model->dir, files[i])) == NULL)
      status = ae_error_set (error, AE_STATUS_NO_MEMORY, "out of memory");

  /* Say plainly which required file is absent before the tokenizer tries. */
  for (size_t i = 0; i < 2 && status == AE_STATUS_OK; i++)
    if (access (paths[i], R_OK) != 0)
      status = ae_error_set (error, AE_STATUS_IO,
                             "%s: is missing or cannot be read (a model directory needs "
                             "config.json, model.safetensors, vocab.json and merges.txt)",
                             files[i]);

  if (status == AE_STATUS_OK)
    status = ae_tokenizer_load (&model->tokenizer, paths[0], paths[1], paths[2], error);

  if (status == AE_STATUS_OK &&
      ae_tokenizer_vocab_size (model->tokenizer) > model->config.vocab_size)
    status = ae_error_set (error, AE_STATUS_BAD_TOKENIZER,
                           "vocab.json: has %zu tokens but config.json says vocab_size is %zu",
                           ae_tokenizer_vocab_size (model->tokenizer),
                           model->config.vocab_size);

  for (size_t i = 0; i < 3; i++)
    free (paths[i]);
  return status;
}

AeStatus
ae_model_load (AeModel   **out,
               const char *dir,
               AeError    *error)
{
  AeModel *model;
  char *path = NULL;
  AeStatus status;

  *out = NULL;

  model = calloc (1, sizeof *model);
  if (model == NULL)
    return ae_error_set (error, AE_STATUS_NO_MEMORY, "out of memory");

  model->dir = strdup (dir);
  model->name = dir_base_name (dir);
  if (model->dir == NULL || model->name == NULL)
    {
      status = ae_error_set (error, AE_STATUS_NO_MEMORY, "out of memory");
      goto fail;
    }

  /* config.json: the shape everything else is checked against. */
  path = join_path (dir, "config.json");
  if (path == NULL)
    {
      status = ae_error_set (error, AE_STATUS_NO_MEMORY, "out of memory");
      goto fail;
    }
  if ((status = ae_config_load (&model->config, path, error)))
    goto fail;
  free (path);

  /* model.safetensors: mapped, validated, then matched against the config. */
  path = join_path (dir, "model.safetensors");
  if (path == NULL)
    {
      status = ae_error_set (error, AE_STATUS_NO_MEMORY, "out of memory");
      goto fail;
    }
  model->layers = calloc (model->config.n_layer, sizeof *model->layers);
  if (model->layers == NULL)
    {
      status = ae_error_set (error, AE_STATUS_NO_MEMORY, "out of memory");
      goto fail;
    }
  if ((status = ae_safetensors_open (&model->st, path, error)) ||
      (status = load_weights (model, error)))
    {
      ae_error_prefix (error, "model.safetensors");
      goto fail;
    }
  free (path);
  path = NULL;

  /* vocab.json, merges.txt and the optional tokenizer_config.json. */
  if ((status = load_tokenizer (model, error)))
    goto fail;

  *out = model;
  return AE_STATUS_OK;

fail:
  free (path);
  ae_model_free (model);
  return status;
}

void
ae_model_free (AeModel *model)
{
  if (model == NULL)
    return;

  ae_tokenizer_free (model->tokenizer);
  ae_safetensors_close (model->st);
  free (model->owned);
  free (model->layers);
  free (model->name);
  free (model->dir);
  free (model);
}

const AeConfig *
ae_model_config (const AeModel *model)
{
  return &model->config;
}

const AeTokenizer *
ae_model_tokenizer (const AeModel *model)
{
  return model->tokenizer;
}

AeDtype
ae_model_dtype (const AeModel *model)
{
  return model->dtype;
}

const char *
ae_model_name (const AeModel *model)
{
  return model->name;
}

const char *
ae_model_dir (const AeModel *model)
{
  return model->dir;
}

size_t
ae_model_n_params (const AeModel *model)
{
  return model->n_params;
}

const AeLayerWeights *
ae_model_layer (const AeModel *model,
                size_t         layer)
{
  return layer < model->config.n_layer ? &model->layers[layer] : NULL;
}

/* ----------------------------------------------------------------------------
 * the forward pass */

AeStatus
ae_model_forward (const AeModel      *model,
                  const int32_t      *ids,
                  size_t              n_tokens,
                  const volatile int *cancel,
                  AeTrace           **out,
                  AeError            *error)
{
  return ae_model_forward_layers (model, ids, n_tokens, 0, cancel, out, error);
}

AeStatus
ae_model_forward_layers (const AeModel      *model,
                         const int32_t      *ids,
                         size_t              n_tokens,
                         size_t              n_layers,
                         const volatile int *cancel,
                         AeTrace           **out,
                         AeError            *error)
{
  /* convenience variables */
  const AeConfig *cfg = &model->config;
  size_t NH = cfg->n_head, C = cfg->n_embd;
  size_t L = n_layers == 0 || n_layers > cfg->n_layer ? cfg->n_layer : n_layers;
  bool whole_stack = L == cfg->n_layer;
  size_t hs = C / NH, T = n_tokens, V = cfg->vocab_size;
  float eps = cfg->layer_norm_epsilon;
  float *scratch, *x, *ln, *qkv, *atty, *fch, *mlp_out;
  AeTrace *trace;

  *out = NULL;

  if (T > cfg->n_ctx)
    return ae_error_set (error, AE_STATUS_TOO_LONG,
                         "the text is %zu tokens long; this model's context holds at most %zu",
                         T, cfg->n_ctx);

  for (size_t t = 0; t < T; t++)
    if (ids[t] < 0 || (size_t) ids[t] >= V)
      return ae_error_set (error, AE_STATUS_INVALID_ARGUMENT,
                           "token %zu has id %ld, outside the vocabulary of %zu tokens",
                           t, (long) ids[t], V);

  trace = ae_trace_new (L, NH, T, C);
  if (trace == NULL)
    return ae_error_set (error, AE_STATUS_NO_MEMORY,
                         "out of memory for the attention of %zu tokens", T);

  if (T == 0)
    {
      *out = trace;
      return AE_STATUS_OK;
    }

  /* One scratch block per call (so concurrent calls share nothing):
   * x (T, C) residual stream, ln (T, C), qkv (T, 3C), atty (T, C) joined
   * heads, fch (T, 4C) MLP hidden, mlp_out (T, C). */
  scratch = malloc (T * 11 * C * sizeof (float));
  if (scratch == NULL)
    {
      ae_trace_free (trace);
      return ae_error_set (error, AE_STATUS_NO_MEMORY,
                           "out of memory for the forward pass of %zu tokens", T);
    }
  x = scratch;
  ln = x + T * C;
  qkv = ln + T * C;
  atty = qkv + T * 3 * C;
  fch = atty + T * C;
  mlp_out = fch + T * 4 * C;

  /* token and position embeddings */
  for (size_t t = 0; t < T; t++)
    {
      const float *wte_t = model->wte + (size_t) ids[t] * C;
      const float *wpe_t = model->wpe + t * C;

      for (size_t i = 0; i < C; i++)
        x[t * C + i] = wte_t[i] + wpe_t[i];
    }

  for (size_t l = 0; l < L; l++)
    {
      const AeLayerWeights *w = &model->layers[l];
      float *l_ln1 = trace->ln1 + l * T * C;            /* (T, C) */
      float *l_q = trace->q + l * T * C;                /* (NH, T, hs) */
      float *l_k = trace->k + l * T * C;                /* (NH, T, hs) */
      float *l_v = trace->v + l * T * C;                /* (NH, T, hs) */
      float *l_scores = trace->scores + l * NH * T * T; /* (NH, T, T) */
      float *l_weights = trace->weights + l * NH * T * T;
      float *l_head_out = trace->head_out + l * T * C;  /* (NH, T, hs) */
      float *l_attn_out = trace->attn_out + l * T * C;  /* (T, C) */

      if (cancel != NULL && *cancel)
        {
          free (scratch);
          ae_trace_free (trace);
          return ae_error_set (error, AE_STATUS_CANCELLED, "the forward pass was cancelled");
        }

      /* attention layernorm, then the fused q|k|v projection */
      ae_layernorm (l_ln1, x, w->ln_1_w, w->ln_1_b, T, C, eps);
      ae_linear (qkv, l_ln1, w->c_attn_w, w->c_attn_b, T, C, 3 * C);

      /* split heads: head h reads columns h*hs..h*hs+hs of each third */
      for (size_t h = 0; h < NH; h++)
        for (size_t t = 0; t < T; t++)
          {
            const float *row = qkv + t * 3 * C + h * hs;
            size_t at = (h * T + t) * hs;

            memcpy (l_q + at, row, hs * sizeof (float));
            memcpy (l_k + at, row + C, hs * sizeof (float));
            memcpy (l_v + at, row + 2 * C, hs * sizeof (float));
          }

      /* every head: scores, causal softmax, weighted sum of values */
      for (size_t h = 0; h < NH; h++)
        ae_attention_head (l_scores + h * T * T, l_weights + h * T * T,
                           l_head_out + h * T * hs,
                           l_q + h * T * hs, l_k + h * T * hs, l_v + h * T * hs,
                           T, hs);

      /* join heads, output projection, residual */
      for (size_t h = 0; h < NH; h++)
        for (size_t t = 0; t < T; t++)
          memcpy (atty + t * C + h * hs, l_head_out + (h * T + t) * hs, hs * sizeof (float));
      ae_linear (l_attn_out, atty, w->c_proj_w, w->c_proj_b, T, C, C);
      ae_add_inplace (x, l_attn_out, T * C);

      /* The last layer asked for needs no MLP: no attention reads it. */
      if (!whole_stack && l + 1 == L)
        break;

      /* MLP: layernorm, c_fc, gelu_new, c_proj, residual */
      ae_layernorm (ln, x, w->ln_2_w, w->ln_2_b, T, C, eps);
      ae_linear (fch, ln, w->c_fc_w, w->c_fc_b, T, C, 4 * C);
      ae_gelu_new (fch, fch, T * 4 * C);
      ae_linear (mlp_out, fch, w->mlp_proj_w, w->mlp_proj_b, T, 4 * C, C);
      ae_add_inplace (x, mlp_out, T * C);
    }

  /* final layernorm: the input to the (tied) LM head, which attention
   * does not need; kept so the pass is the whole GPT-2 block stack. */
  if (whole_stack)
    ae_layernorm (ln, x, model->ln_f_w, model->ln_f_b, T, C, eps);

  free (scratch);
  *out = trace;
  return AE_STATUS_OK;
}
