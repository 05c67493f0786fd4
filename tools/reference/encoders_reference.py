"""An independent numpy reference for the encoders BERT, DistilBERT and
RoBERTa, in float64.

Written from the published architectures, not from the C engine:

- BERT (Devlin et al. 2019, "BERT: Pre-training of Deep Bidirectional
  Transformers"; the block is Vaswani et al. 2017's encoder): the input is
  the sum of word, learned absolute position and segment (token type)
  embeddings, normalised by a LayerNorm.  Each block is post-norm:
  x = LN(x + Attention(x)), x = LN(x + W2 GELU(W1 x)), with GELU in its
  exact erf form, separate query/key/value projections with biases,
  scores q.k / sqrt(d_head), and no mask: every token attends to every
  token.  The masked-LM head: dense, GELU, LayerNorm, then a decoder tied
  to the word embeddings plus a bias per word.
- DistilBERT (Sanh et al. 2019): BERT's block without token types, with
  LayerNorm epsilon 1e-12 everywhere; its head is the same transform
  (vocab_transform, GELU, vocab_layer_norm, tied vocab_projector).
- RoBERTa (Liu et al. 2019): BERT's block; its positions are numbered from
  padding_idx + 1, and a padding token takes position padding_idx (the
  count of non-padding tokens so far, times "not padding", plus
  padding_idx).  Its head always uses the erf GELU.

Hugging Face checkpoint names: BertModel / BertForMaskedLM ("bert." prefix,
head under "cls.predictions."), DistilBertModel / DistilBertForMaskedLM
("distilbert." prefix, "vocab_*" head), RobertaModel / RobertaForMaskedLM
("roberta." prefix, "lm_head.*").

Run with Debian's interpreter, which has numpy: /usr/bin/python3.
"""
import json
import math
import os

import numpy as np

import gpt2_reference as g2

PREFIXES = ("bert.", "roberta.", "distilbert.")


def load_model(model_dir):
    """config.json and model.safetensors' weights, prefix stripped."""
    with open(os.path.join(model_dir, "config.json")) as f:
        cfg = json.load(f)
    w = {}
    for name, arr in g2.read_safetensors(os.path.join(model_dir, "model.safetensors")).items():
        for p in PREFIXES:
            if name.startswith(p):
                name = name[len(p):]
        w[name] = arr
    return cfg, w


def gelu(x):
    erf = np.vectorize(math.erf)
    return 0.5 * x * (1.0 + erf(x / math.sqrt(2.0)))


def shape(cfg):
    """L, NH, C, eps in each family's config names."""
    if cfg["model_type"] == "distilbert":
        return cfg["n_layers"], cfg["n_heads"], cfg["dim"], 1e-12
    return (cfg["num_hidden_layers"], cfg["num_attention_heads"], cfg["hidden_size"],
            cfg.get("layer_norm_eps", 1e-12))


def position_ids(cfg, ids):
    if cfg["model_type"] != "roberta":
        return np.arange(len(ids))
    pad = cfg.get("pad_token_id", 1)
    real = (np.asarray(ids) != pad).astype(np.int64)
    return np.cumsum(real) * real + pad


def names(cfg):
    """The block's tensor names (format with the layer) in each family."""
    if cfg["model_type"] == "distilbert":
        p = "transformer.layer.%d."
        return dict(q=p + "attention.q_lin", k=p + "attention.k_lin", v=p + "attention.v_lin",
                    o=p + "attention.out_lin", ln1=p + "sa_layer_norm", up=p + "ffn.lin1",
                    down=p + "ffn.lin2", ln2=p + "output_layer_norm")
    p = "encoder.layer.%d."
    return dict(q=p + "attention.self.query", k=p + "attention.self.key",
                v=p + "attention.self.value", o=p + "attention.output.dense",
                ln1=p + "attention.output.LayerNorm", up=p + "intermediate.dense",
                down=p + "output.dense", ln2=p + "output.LayerNorm")


def forward(cfg, w, ids, type_ids=None):
    """Float64 arrays: ln1 (the blocks' input, L,T,C), q, k, v, head_out
    (L,NH,T,hs), scores, weights (L,NH,T,T), attn_out (L,T,C), hidden
    (T,C) the last block's output."""
    L, NH, C, eps = shape(cfg)
    hs = C // NH
    T = len(ids)
    n = names(cfg)
    ids = np.asarray(ids)

    def ln(name, h):
        return g2.layer_norm(h, w[name + ".weight"], w[name + ".bias"], eps)

    x = w["embeddings.word_embeddings.weight"][ids]
    x = x + w["embeddings.position_embeddings.weight"][position_ids(cfg, ids)]
    if "embeddings.token_type_embeddings.weight" in w:
        types = np.zeros(T, np.int64) if type_ids is None else np.asarray(type_ids)
        x = x + w["embeddings.token_type_embeddings.weight"][types]
    x = ln("embeddings.LayerNorm", x)

    out = {}
    for l in range(L):
        def lin(key, h):
            name = n[key] % l
            return h @ w[name + ".weight"].T + w[name + ".bias"]

        def heads(y):
            return y.reshape(T, NH, hs).transpose(1, 0, 2)

        q, k, v = heads(lin("q", x)), heads(lin("k", x)), heads(lin("v", x))
        s = q @ k.transpose(0, 2, 1) / math.sqrt(hs)
        e = np.exp(s - s.max(axis=-1, keepdims=True))
        a = e / e.sum(axis=-1, keepdims=True)
        y = a @ v
        o = lin("o", y.transpose(1, 0, 2).reshape(T, C))
        for key, val in dict(ln1=x, q=q, k=k, v=v, scores=s, weights=a, head_out=y,
                             attn_out=o).items():
            out.setdefault(key, []).append(val)
        x = ln(n["ln1"] % l, x + o)
        x = ln(n["ln2"] % l, x + lin("down", gelu(lin("up", x))))
    res = {k: np.stack(v) for k, v in out.items()}
    res["hidden"] = x
    return res


def mlm_logits(cfg, w, hidden):
    """The masked-LM head on hidden (T, C): (T, V) logits."""
    _, _, _, eps = shape(cfg)
    kind = cfg["model_type"]
    dense, norm, bias = {"bert": ("cls.predictions.transform.dense",
                                  "cls.predictions.transform.LayerNorm", "cls.predictions.bias"),
                         "roberta": ("lm_head.dense", "lm_head.layer_norm", "lm_head.bias"),
                         "distilbert": ("vocab_transform", "vocab_layer_norm",
                                        "vocab_projector.bias")}[kind]
    h = gelu(hidden @ w[dense + ".weight"].T + w[dense + ".bias"])
    h = g2.layer_norm(h, w[norm + ".weight"], w[norm + ".bias"], eps)
    return h @ w["embeddings.word_embeddings.weight"].T + w[bias]


# --------------------------------------------------------------------------
# the same with PyTorch's functional ops, to check this reference

def forward_torch(cfg, w, ids, type_ids=None):
    """Attention weights (L, NH, T, T) and the MLM logits (or None), from
    torch.nn.functional's scaled_dot_product_attention, layer_norm, gelu
    and linear in float64."""
    import torch
    import torch.nn.functional as F

    t = {k: torch.from_numpy(np.ascontiguousarray(v)) for k, v in w.items()}
    L, NH, C, eps = shape(cfg)
    hs = C // NH
    T = len(ids)
    n = names(cfg)
    idx = torch.tensor(ids)
    x = F.embedding(idx, t["embeddings.word_embeddings.weight"])
    x = x + F.embedding(torch.from_numpy(position_ids(cfg, ids)),
                        t["embeddings.position_embeddings.weight"])
    if "embeddings.token_type_embeddings.weight" in t:
        types = torch.zeros(T, dtype=torch.long) if type_ids is None else torch.tensor(type_ids)
        x = x + F.embedding(types, t["embeddings.token_type_embeddings.weight"])
    x = F.layer_norm(x, (C,), t["embeddings.LayerNorm.weight"], t["embeddings.LayerNorm.bias"], eps)
    weights = []
    for l in range(L):
        def lin(key, h):
            return F.linear(h, t[n[key] % l + ".weight"], t[n[key] % l + ".bias"])

        def norm(key, h):
            return F.layer_norm(h, (C,), t[n[key] % l + ".weight"], t[n[key] % l + ".bias"], eps)

        q, k, v = (lin(key, x).view(T, NH, hs).transpose(0, 1) for key in "qkv")
        # DistilBERT's order: q scaled before the product
        a = F.softmax((q / math.sqrt(hs)) @ k.transpose(-1, -2), dim=-1)
        y = torch.bmm(a, v)
        weights.append(a)
        x = norm("ln1", x + lin("o", y.transpose(0, 1).reshape(T, C)))
        x = norm("ln2", x + lin("down", F.gelu(lin("up", x))))
    logits = None
    head = [k for k in ("cls.predictions.transform.dense", "lm_head.dense", "vocab_transform")
            if k + ".weight" in t]
    if head:
        dense = head[0]
        norm = {"cls.predictions.transform.dense": "cls.predictions.transform.LayerNorm",
                "lm_head.dense": "lm_head.layer_norm", "vocab_transform": "vocab_layer_norm"}[dense]
        bias = {"cls.predictions.transform.dense": "cls.predictions.bias",
                "lm_head.dense": "lm_head.bias", "vocab_transform": "vocab_projector.bias"}[dense]
        h = F.gelu(F.linear(x, t[dense + ".weight"], t[dense + ".bias"]))
        h = F.layer_norm(h, (C,), t[norm + ".weight"], t[norm + ".bias"], eps)
        logits = F.linear(h, t["embeddings.word_embeddings.weight"], t[bias]).numpy()
    return torch.stack(weights).numpy(), x.numpy(), logits
