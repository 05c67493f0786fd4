/* ae-weights.c
 *
 * Copyright 2026 The Attention authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Binds a checkpoint's tensors to the model's weights, from the
 * architecture description: the names come from its AeTensorNames, the
 * shapes from config.json.  Weights follow llama2.c: files stay mapped
 * read-only and 4-byte-aligned F32 tensors are used in place.  Matrices in
 * F16 or BF16 stay as stored too (AeMatrix; the products widen them a block
 * at a time, ae-matrix.c), so a half-precision checkpoint is resident in
 * its own size, not twice it as float32.  Norms and biases (small) and
 * misaligned F32 matrices are converted once into a single owned float
 * block, and the converted pages of the mapping are given back so the file
 * is not resident twice.  The token embeddings stay as stored: the pass
 * converts only the rows it reads.
 *
 * A weight or bias inside the blocks that the description does not name is
 * an error unless it is a known buffer (causal-mask biases, rotary
 * inv_freq), so a checkpoint with weights the engine would not use (say,
 * biases of another variant) is refused rather than run without them.
 * Tensors outside the blocks (an output head, padding) are left alone.
 */

#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include "ae-model-private.h"

/* One tensor: its name without prefix, the shape config.json implies, and
 * where it goes: a float pointer (@dst), a matrix as stored (@matrix), or
 * neither (only counted, never converted). */
typedef struct
{
  char            name[128];
  size_t          n_dims;
  size_t          shape[2];
  const float   **dst;
  AeMatrix       *matrix;
  bool            optional;
  const AeTensor *tensor;
} Param;

typedef struct
{
  Param  *items;
  size_t  n, size;
} ParamTable;

/* Adds "@format.@suffix" (format takes the layer) unless @format is NULL. */
static void
add (ParamTable   *table,
     const float **dst,
     size_t        d0,
     size_t        d1,
     const char   *format,
     size_t        layer,
     const char   *suffix)
{
  Param *p;
  int n;

  if (format == NULL || table->n == table->size)
    return;
  p = &table->items[table->n++];
  memset (p, 0, sizeof *p);
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wformat-nonliteral"
  n = snprintf (p->name, sizeof p->name, format, layer);
#pragma GCC diagnostic pop
  if (n > 0 && (size_t) n < sizeof p->name)
    snprintf (p->name + n, sizeof p->name - n, ".%s", suffix);
  p->dst = dst;
  p->n_dims = d1 == 0 ? 1 : 2;
  p->shape[0] = d0;
  p->shape[1] = d1;
}

/* A matrix mapping @n_in to @n_out in the family's storage order. */
static void
add_matrix (ParamTable   *table,
            const AeArch *arch,
            AeMatrix     *matrix,
            size_t        n_in,
            size_t        n_out,
            const char   *format,
            size_t        layer)
{
  size_t n = table->n;

  if (arch->linear_out_in)
    add (table, NULL, n_out, n_in, format, layer, "weight");
  else
    add (table, NULL, n_in, n_out, format, layer, "weight");
  if (table->n > n)
    table->items[n].matrix = matrix;
}

static void
add_norm (ParamTable   *table,
          const AeArch *arch,
          const float **w,
          const float **b,
          size_t        C,
          const char   *format,
          size_t        layer)
{
  add (table, w, C, 0, format, layer, "weight");
  if (arch->norm_bias)
    add (table, b, C, 0, format, layer, "bias");
}

/* Every tensor the description needs, in the order checkpoints store them. */
static void
fill_table (AeModel    *model,
            ParamTable *table)
{
  const AeConfig *cfg = &model->config;
  const AeArch *arch = &cfg->arch;
  const AeTensorNames *names = arch->names;
  size_t C = cfg->n_embd, Q = cfg->n_head * cfg->head_size;
  size_t KV = cfg->n_kv_head * cfg->head_size, F = cfg->n_inner;

  /* the embeddings are bound by hand (they stay in their dtype) */
  add (table, NULL, cfg->vocab_size, C, names->embed, 0, "weight");
  if (arch->position == AE_POSITION_LEARNED)
    add (table, &model->wpe, cfg->n_ctx + cfg->position_offset, C, names->pos_embed, 0, "weight");
  if (cfg->type_vocab_size > 0)
    add (table, &model->wtt, cfg->type_vocab_size, C, names->token_type, 0, "weight");
  add_norm (table, arch, &model->ln_e_w, &model->ln_e_b, C, names->embed_norm, 0);

  for (size_t l = 0; l < cfg->n_layer; l++)
    {
      AeLayerWeights *w = &model->layers[l];

      add_norm (table, arch, &w->ln_1_w, &w->ln_1_b, C, names->norm1, l);
      if (arch->qkv == AE_QKV_SEPARATE)
        {
          add_matrix (table, arch, &w->q_w, C, Q, names->q, l);
          add_matrix (table, arch, &w->k_w, C, KV, names->k, l);
          add_matrix (table, arch, &w->v_w, C, KV, names->v, l);
          if (arch->qkv_bias)
            {
              add (table, &w->q_b, Q, 0, names->q, l, "bias");
              add (table, &w->k_b, KV, 0, names->k, l, "bias");
              add (table, &w->v_b, KV, 0, names->v, l, "bias");
            }
        }
      else
        {
          add_matrix (table, arch, &w->c_attn_w, C, Q + 2 * KV, names->qkv, l);
          if (arch->qkv_bias)
            add (table, &w->c_attn_b, Q + 2 * KV, 0, names->qkv, l, "bias");
        }
      add_matrix (table, arch, &w->c_proj_w, Q, C, names->out, l);
      if (arch->out_bias)
        add (table, &w->c_proj_b, C, 0, names->out, l, "bias");

      add_norm (table, arch, &w->ln_2_w, &w->ln_2_b, C, names->norm2, l);
      if (arch->mlp == AE_MLP_SWIGLU)
        add_matrix (table, arch, &w->gate_w, C, F, names->gate, l);
      add_matrix (table, arch, &w->c_fc_w, C, F, names->up, l);
      if (arch->mlp_bias)
        add (table, &w->c_fc_b, F, 0, names->up, l, "bias");
      add_matrix (table, arch, &w->mlp_proj_w, F, C, names->down, l);
      if (arch->mlp_bias)
        add (table, &w->mlp_proj_b, C, 0, names->down, l, "bias");
    }

  add_norm (table, arch, &model->ln_f_w, &model->ln_f_b, C, names->final_norm, 0);

  /* An encoder's masked-LM head, when the checkpoint has one (a
   * ...ForMaskedLM); ae_weights_bind() checks it is whole. */
  if (names->mlm_dense != NULL)
    {
      size_t first = table->n;

      add_matrix (table, arch, &model->mlm_dense_w, C, C, names->mlm_dense, 0);
      add (table, &model->mlm_dense_b, C, 0, names->mlm_dense, 0, "bias");
      add_norm (table, arch, &model->mlm_ln_w, &model->mlm_ln_b, C, names->mlm_norm, 0);
      add (table, &model->mlm_bias, cfg->vocab_size, 0, names->mlm_bias, 0, "bias");
      for (size_t i = first; i < table->n; i++)
        table->items[i].optional = true;
    }

  /* An untied output head is part of the model (counted); attention never
   * reads it and the logits (ae-logits.c) read it a block of rows at a
   * time, so it stays as stored, like the embeddings.  Always the last. */
  if (!cfg->tie_word_embeddings && names->lm_head != NULL)
    {
      add (table, NULL, cfg->vocab_size, C, names->lm_head, 0, "weight");
      table->items[table->n - 1].optional = true;
    }
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

static const char *const prefixes[] = {
  "", "transformer.", "model.", "gpt_neox.", "bert.", "roberta.", "distilbert.",
};

static const AeTensor *
find_any (const AeModel *model,
          const char    *name)
{
  char prefixed[192];

  for (size_t p = 0; p < sizeof prefixes / sizeof prefixes[0]; p++)
    {
      snprintf (prefixed, sizeof prefixed, "%s%s", prefixes[p], name);
      for (size_t f = 0; f < model->n_files; f++)
        {
          const AeTensor *t = ae_safetensors_find (model->files[f], prefixed);

          if (t != NULL)
            return t;
        }
    }
  return NULL;
}

/* Finds the tensor under any prefix and checks its shape. */
static AeStatus
find_param (const AeModel *model,
            Param         *p,
            AeError       *error)
{
  const AeTensor *t = find_any (model, p->name);
  int same;

  if (t == NULL)
    {
      if (p->optional)
        return AE_STATUS_OK;
      return ae_error_set (error, AE_STATUS_BAD_WEIGHTS, "tensor “%s” is missing", p->name);
    }

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

static bool
ends_with (const char *s,
           const char *suffix)
{
  size_t n = strlen (s), m = strlen (suffix);

  return n >= m && strcmp (s + n - m, suffix) == 0;
}

/* Buffers saved with some checkpoints that carry no weights: GPT-2's and
 * NeoX's causal-mask tables and the rotary inverse frequencies, which the
 * engine computes from config.json; and a tied output head. */
static bool
is_ignored (const AeModel *model,
            const char    *name)
{
  static const char *const buffers[] = {
    ".attn.bias", ".attn.masked_bias", ".attention.bias", ".attention.masked_bias",
    ".rotary_emb.inv_freq",
  };
  const char *head = model->config.arch.names->lm_head;
  size_t n = head != NULL ? strlen (head) : 0;

  for (size_t i = 0; i < sizeof buffers / sizeof buffers[0]; i++)
    if (ends_with (name, buffers[i]))
      return true;
  return model->config.tie_word_embeddings && head != NULL &&
         strncmp (name, head, n) == 0 && strcmp (name + n, ".weight") == 0;
}

/* Is @name (with any prefix) a weight or bias of a block, "h.3.x.weight" or
 * "layers.3.x.bias"?  The block's name is norm1's format up to its "%". */
static bool
is_block_tensor (const AeModel *model,
                 const char    *name)
{
  const char *format = model->config.arch.names->norm1;
  size_t n = strchr (format, '%') - format;

  if (!ends_with (name, ".weight") && !ends_with (name, ".bias"))
    return false;
  for (size_t p = 0; p < sizeof prefixes / sizeof prefixes[0]; p++)
    {
      size_t m = strlen (prefixes[p]);

      if (strncmp (name, prefixes[p], m) == 0 && strncmp (name + m, format, n) == 0 &&
          name[m + n] >= '0' && name[m + n] <= '9')
        return true;
    }
  return false;
}

/* Every weight of a block in the files is bound or a known buffer. */
static AeStatus
check_unexpected (const AeModel    *model,
                  const ParamTable *table,
                  AeError          *error)
{
  for (size_t f = 0; f < model->n_files; f++)
    for (size_t i = 0; i < ae_safetensors_n_tensors (model->files[f]); i++)
      {
        const AeTensor *t = ae_safetensors_tensor (model->files[f], i);
        bool bound = is_ignored (model, t->name) || !is_block_tensor (model, t->name);

        for (size_t j = 0; j < table->n && !bound; j++)
          bound = table->items[j].tensor == t;
        if (!bound)
          return ae_error_set (error, AE_STATUS_BAD_WEIGHTS,
                               "tensor “%s” is not part of a %s model as config.json "
                               "describes it", t->name, model->config.arch.name);
      }
  return AE_STATUS_OK;
}

/* A masked-LM head is all there or not at all: half a head would give
 * predictions from whatever the missing part stands for. */
static AeStatus
check_mlm_head (const ParamTable *table,
                AeError          *error)
{
  const Param *found = NULL, *missing = NULL;

  for (size_t i = 0; i < table->n; i++)
    if (table->items[i].optional && table->items[i].dst != NULL)
      {
        if (table->items[i].tensor != NULL)
          found = &table->items[i];
        else
          missing = &table->items[i];
      }
  if (found != NULL && missing != NULL)
    return ae_error_set (error, AE_STATUS_BAD_WEIGHTS,
                         "tensor “%s” is missing: the masked-LM head has “%s” but not all of "
                         "its parts", missing->name, found->tensor->name);
  return AE_STATUS_OK;
}

static int
is_zero_copy (const AeTensor *t)
{
  return t->dtype == AE_DTYPE_F32 && (uintptr_t) t->data % sizeof (float) == 0;
}

/* Used from the mapping as it is: aligned float32, or a matrix in F16/BF16. */
static bool
is_kept (const Param    *p,
         const AeTensor *t)
{
  return is_zero_copy (t) || (p->matrix != NULL && t->dtype != AE_DTYPE_F32);
}

/* Gives the whole pages of a converted tensor back to the page cache: the
 * mapping is private and read-only, so they would be read again from the
 * file should anything touch them. */
static void
release_pages (const AeTensor *t)
{
  ae_release_pages (t->data, t->n_bytes);
}

AeStatus
ae_weights_bind (AeModel *model,
                 AeError *error)
{
  const AeConfig *cfg = &model->config;
  ParamTable table = { 0 };
  size_t n_owned = 0;
  AeStatus status = AE_STATUS_OK;
  float *p;

  /* at most 4 embeddings/head + 2 embedding norm + 2 final norm + 6 masked-LM
   * head + 20 per layer */
  table.size = 16 + 20 * cfg->n_layer;
  table.items = calloc (table.size, sizeof *table.items);
  if (table.items == NULL)
    return ae_error_set (error, AE_STATUS_NO_MEMORY, "out of memory");

  fill_table (model, &table);

  for (size_t i = 0; i < table.n && status == AE_STATUS_OK; i++)
    {
      const AeTensor *t;

      status = find_param (model, &table.items[i], error);
      if (status != AE_STATUS_OK || (t = table.items[i].tensor) == NULL)
        continue;
      model->n_params += t->n_elements;
      /* One NaN or Inf weight turns every attention weight into NaN (the
       * embedding, read row by row in place, included). */
      status = ae_tensor_check_finite (t, error);
      if ((table.items[i].dst != NULL || table.items[i].matrix != NULL)
          && !is_kept (&table.items[i], t))
        n_owned += t->n_elements;
      /* The check read every page; the embedding and an untied head (read
       * a row at a time) need none of them resident. */
      if (table.items[i].dst == NULL && table.items[i].matrix == NULL)
        release_pages (t);
    }

  if (status == AE_STATUS_OK)
    status = check_unexpected (model, &table, error);
  if (status == AE_STATUS_OK)
    status = check_mlm_head (&table, error);

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
      for (size_t i = 0; i < table.n; i++)
        {
          const Param *param = &table.items[i];
          const AeTensor *t = param->tensor;
          const void *data = t != NULL ? t->data : NULL;
          AeDtype dtype = t != NULL ? t->dtype : AE_DTYPE_F32;

          if ((param->dst == NULL && param->matrix == NULL) || t == NULL)
            continue;
          if (!is_kept (param, t))
            {
              ae_tensor_to_f32 (t, p);
              release_pages (t);
              data = p;
              dtype = AE_DTYPE_F32;
              p += t->n_elements;
            }
          /* A float32 layer matrix gets a slot for its packed copy
           * (ae-matrix.h); one used from the mapping gives its pages back
           * once packed.  Not the masked-LM head's: its one-row products,
           * in the pass and again on demand, must agree bit for bit, and
           * packing buys a single row nothing. */
          if (param->matrix != NULL)
            *param->matrix = (AeMatrix) { data, dtype,
                                          dtype == AE_DTYPE_F32 && param->matrix != &model->mlm_dense_w
                                          ? ae_matrix_pack_new (is_zero_copy (t)) : NULL };
          else
            *param->dst = data;
        }
      model->embed = table.items[0].tensor;
      model->dtype = model->embed->dtype;
      /* encoders predict masked words (ae-embed.c), not the next token */
      if (cfg->arch.bidirectional)
        model->lm_head = NULL;
      else if (cfg->tie_word_embeddings)
        model->lm_head = model->embed;
      else if (cfg->arch.names->lm_head != NULL)
        model->lm_head = table.items[table.n - 1].tensor;
    }

  free (table.items);
  return status;
}

void
ae_weights_unbind (AeModel *model)
{
  for (size_t l = 0; model->layers != NULL && l < model->config.n_layer; l++)
    {
      AeLayerWeights *w = &model->layers[l];
      AeMatrix *all[] = { &w->c_attn_w, &w->q_w, &w->k_w, &w->v_w, &w->c_proj_w,
                          &w->c_fc_w, &w->gate_w, &w->mlp_proj_w };

      for (size_t i = 0; i < sizeof all / sizeof all[0]; i++)
        {
          ae_matrix_pack_free (all[i]->pack);
          all[i]->pack = NULL;
        }
    }
  ae_matrix_pack_free (model->mlm_dense_w.pack);
  model->mlm_dense_w.pack = NULL;
}

void
ae_model_embed_row (const AeModel *model,
                    size_t         id,
                    float         *out)
{
  AeTensor row = *model->embed;
  size_t C = model->config.n_embd;

  row.data = (const char *) row.data + id * C * ae_dtype_size (row.dtype);
  row.n_elements = C;
  row.n_bytes = C * ae_dtype_size (row.dtype);
  row.n_dims = 1;
  row.shape[0] = C;
  ae_tensor_to_f32 (&row, out);
}

/* (row, column) of the logical (n_in, n_out) matrix @w. */
static inline float
matrix_at (AeMatrix w,
           bool     out_in,
           size_t   n_in,
           size_t   n_out,
           size_t   i,
           size_t   o)
{
  return ae_matrix_at (w, out_in ? o * n_in + i : i * n_out + o);
}

void
ae_model_head_slice (const AeModel *model,
                     size_t         layer,
                     AeQkvPart      part,
                     size_t         head,
                     float         *w,
                     float         *b)
{
  const AeConfig *cfg = &model->config;
  const AeLayerWeights *lw = &model->layers[layer];
  size_t C = cfg->n_embd, hs = cfg->head_size, NH = cfg->n_head, NKV = cfg->n_kv_head;
  size_t Q = NH * hs, KV = NKV * hs;
  size_t group = NH / NKV, kv = head / group;
  AeMatrix mat;
  const float *bias;
  size_t n_out, col;

  switch (cfg->arch.qkv)
    {
    case AE_QKV_SEPARATE:
      mat = part == AE_PART_Q ? lw->q_w : part == AE_PART_K ? lw->k_w : lw->v_w;
      bias = part == AE_PART_Q ? lw->q_b : part == AE_PART_K ? lw->k_b : lw->v_b;
      n_out = part == AE_PART_Q ? Q : KV;
      col = (part == AE_PART_Q ? head : kv) * hs;
      break;
    case AE_QKV_NEOX:
      /* rows of head h: q at 3h·hs, k at (3h+1)·hs, v at (3h+2)·hs */
      mat = lw->c_attn_w;
      bias = lw->c_attn_b;
      n_out = 3 * Q;
      col = (3 * head + (size_t) part) * hs;
      break;
    case AE_QKV_CONV1D:
    default:
      /* columns q | k | v, head h at h·hs inside each */
      mat = lw->c_attn_w;
      bias = lw->c_attn_b;
      n_out = Q + 2 * KV;
      col = part == AE_PART_Q ? head * hs : part == AE_PART_K ? Q + kv * hs : Q + KV + kv * hs;
      break;
    }

  for (size_t i = 0; i < C; i++)
    for (size_t j = 0; j < hs; j++)
      w[i * hs + j] = matrix_at (mat, cfg->arch.linear_out_in, C, n_out, i, col + j);
  for (size_t j = 0; j < hs; j++)
    b[j] = bias != NULL ? bias[col + j] : 0.0f;
}
