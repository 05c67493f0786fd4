"""Writes the fixtures of the encoders (BERT, DistilBERT, RoBERTa): tiny
random-weight checkpoints in Hugging Face layout and what the numpy
reference (encoders_reference.py) computes for them.

Remake everything, from the repository root, with:

    /usr/bin/python3 tools/reference/make_encoder_fixtures.py

Deterministic (fixed seeds).  Before writing a fixture it checks the numpy
reference against the same models written with torch.nn.functional
(linear, softmax, layer_norm, gelu) to 1e-12.  It writes

    tests/fixtures/models/<name>/   config.json, model.safetensors, and the
                                    tokenizer files (vocab.txt for the BERTs,
                                    vocab.json + merges.txt for RoBERTa)
    tests/fixtures/forward-<name>.json

The models differ on purpose (see MODELS): BertForMaskedLM with "bert."
names, its head under "cls.predictions." and the tied decoder's copy;
BertModel without prefix and with a pooler (F16); DistilBertForMaskedLM
(BF16, "distilbert.", vocab_* head); RobertaForMaskedLM ("roberta.",
lm_head, padding index 1 so positions start at 2, one token type).
Each case has token-type ids: a single sentence, one token, and a pair
(types 0 then 1; for RoBERTa all 0, with a padding token inside the text
so its position rule is exercised).
"""
import json
import os
import sys

import numpy as np

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)

import encoders_reference as enc          # noqa: E402
import gpt2_reference as g2               # noqa: E402
import make_fixtures as mf                # noqa: E402

FIXTURES = mf.FIXTURES
N_CTX = 32

# A WordPiece vocabulary (one token a line, the line is the id): the
# specials where small BERT vocabularies keep them, lowercase letters and
# their "##" continuations, a few words and pieces, punctuation, two CJK
# characters.
WORDPIECE = (["[PAD]", "[UNK]", "[CLS]", "[SEP]", "[MASK]"]
             + list(".,!?'-()")
             + [chr(c) for c in range(ord("a"), ord("z") + 1)]
             + ["##" + chr(c) for c in range(ord("a"), ord("z") + 1)]
             + ["the", "cat", "sat", "on", "mat", "dog", "is", "it", "was", "and",
                "hello", "world", "play", "##ing", "##ed", "un", "##aff", "##able",
                "cafe", "中", "文", "0", "1", "2", "##0", "##1"])

MODELS = [
    dict(name="bert-mlm", family="bert", cls="BertForMaskedLM", dtype="F32",
         L=2, NH=4, C=32, F=48, seed=31, prefix="bert.", head=True, decoder_copy=True),
    dict(name="bert-base", family="bert", cls="BertModel", dtype="F16",
         L=2, NH=2, C=16, F=32, seed=32, prefix="", pooler=True),
    dict(name="distilbert-mlm", family="distilbert", cls="DistilBertForMaskedLM", dtype="BF16",
         L=2, NH=2, C=24, F=40, seed=33, prefix="distilbert.", head=True, decoder_copy=True),
    dict(name="roberta-mlm", family="roberta", cls="RobertaForMaskedLM", dtype="F32",
         L=2, NH=4, C=16, F=32, seed=34, prefix="roberta.", head=True),
]

ROBERTA_SPECIALS = ["<s>", "<pad>", "</s>", "<unk>"]


def roberta_vocabulary():
    """RoBERTa's layout: <s> <pad> </s> <unk>, then GPT-2's byte tokens and
    the fixtures' merges, then <mask>."""
    vocab = {t: i for i, t in enumerate(ROBERTA_SPECIALS)}
    for tok in mf.vocabulary():
        if tok != "<|endoftext|>":
            vocab[tok] = len(vocab)
    vocab["<mask>"] = len(vocab)
    return vocab


def config(spec, V):
    if spec["family"] == "distilbert":
        return {"architectures": [spec["cls"]], "model_type": "distilbert",
                "n_layers": spec["L"], "n_heads": spec["NH"], "dim": spec["C"],
                "hidden_dim": spec["F"], "vocab_size": V, "max_position_embeddings": N_CTX,
                "activation": "gelu", "sinusoidal_pos_embds": False, "pad_token_id": 0,
                "dropout": 0.1, "attention_dropout": 0.1}
    roberta = spec["family"] == "roberta"
    return {"architectures": [spec["cls"]], "model_type": spec["family"],
            "num_hidden_layers": spec["L"], "num_attention_heads": spec["NH"],
            "hidden_size": spec["C"], "intermediate_size": spec["F"], "vocab_size": V,
            "max_position_embeddings": N_CTX + 2 if roberta else N_CTX,
            "type_vocab_size": 1 if roberta else 2, "hidden_act": "gelu",
            "layer_norm_eps": 1e-5 if roberta else 1e-12,
            "pad_token_id": 1 if roberta else 0, "position_embedding_type": "absolute",
            "hidden_dropout_prob": 0.1, "attention_probs_dropout_prob": 0.1}


def write_tokenizer(d, spec):
    if spec["family"] == "roberta":
        with open(os.path.join(d, "vocab.json"), "w", encoding="utf-8") as f:
            json.dump(roberta_vocabulary(), f, ensure_ascii=False)
        with open(os.path.join(d, "merges.txt"), "w", encoding="utf-8") as f:
            f.write("#version: 0.2\n" + "\n".join(mf.MERGES) + "\n")
        return len(roberta_vocabulary())
    with open(os.path.join(d, "vocab.txt"), "w", encoding="utf-8") as f:
        f.write("\n".join(WORDPIECE) + "\n")
    with open(os.path.join(d, "tokenizer_config.json"), "w") as f:
        json.dump({"do_lower_case": True, "model_max_length": N_CTX}, f, indent=2)
        f.write("\n")
    return len(WORDPIECE)


def random_weights(rng, spec, cfg):
    """Names without prefix; q and k large enough that heads attend sharply."""
    L, NH, C, _ = enc.shape(cfg)
    F, V = spec["F"], cfg["vocab_size"]
    n_pos = cfg["max_position_embeddings"]

    def n(*shape, std):
        return (rng.standard_normal(shape) * std).astype(np.float32)

    w = {"embeddings.word_embeddings.weight": n(V, C, std=0.5),
         "embeddings.position_embeddings.weight": n(n_pos, C, std=0.3)}
    if spec["family"] != "distilbert":
        w["embeddings.token_type_embeddings.weight"] = n(cfg["type_vocab_size"], C, std=0.3)
    w["embeddings.LayerNorm.weight"] = 1.0 + n(C, std=0.1)
    w["embeddings.LayerNorm.bias"] = n(C, std=0.05)
    nm = enc.names(cfg)
    for l in range(L):
        for key, (n_out, n_in, std) in dict(q=(C, C, 0.4), k=(C, C, 0.4), v=(C, C, 0.2),
                                            o=(C, C, 0.1), up=(F, C, 0.2),
                                            down=(C, F, 0.1)).items():
            w[nm[key] % l + ".weight"] = n(n_out, n_in, std=std)
            w[nm[key] % l + ".bias"] = n(n_out, std=0.05)
        for key in ("ln1", "ln2"):
            w[nm[key] % l + ".weight"] = 1.0 + n(C, std=0.1)
            w[nm[key] % l + ".bias"] = n(C, std=0.05)
    return w


def head_weights(rng, spec, cfg):
    """The masked-LM head, named as the family's checkpoints name it (no
    model prefix)."""
    C, V = enc.shape(cfg)[2], cfg["vocab_size"]

    def n(*shape, std):
        return (rng.standard_normal(shape) * std).astype(np.float32)

    dense, norm, bias = {
        "bert": ("cls.predictions.transform.dense", "cls.predictions.transform.LayerNorm",
                 "cls.predictions.bias"),
        "roberta": ("lm_head.dense", "lm_head.layer_norm", "lm_head.bias"),
        "distilbert": ("vocab_transform", "vocab_layer_norm", "vocab_projector.bias")}[spec["family"]]
    return {dense + ".weight": n(C, C, std=0.3), dense + ".bias": n(C, std=0.05),
            norm + ".weight": 1.0 + n(C, std=0.1), norm + ".bias": n(C, std=0.05),
            bias: n(V, std=0.5)}


def write_model(spec):
    rng = np.random.default_rng(spec["seed"])
    d = os.path.join(FIXTURES, "models", spec["name"])
    os.makedirs(d, exist_ok=True)
    for old in os.listdir(d):
        os.remove(os.path.join(d, old))
    V = write_tokenizer(d, spec)
    cfg = config(spec, V)
    with open(os.path.join(d, "config.json"), "w") as f:
        json.dump(cfg, f, indent=2)
        f.write("\n")

    w = random_weights(rng, spec, cfg)
    tensors = {spec["prefix"] + k: (spec["dtype"], v) for k, v in w.items()}
    if spec.get("pooler"):
        C = enc.shape(cfg)[2]
        tensors["pooler.dense.weight"] = ("F32", rng.standard_normal((C, C)).astype(np.float32))
        tensors["pooler.dense.bias"] = ("F32", np.zeros(C, np.float32))
    if spec.get("head"):
        for k, v in head_weights(rng, spec, cfg).items():
            tensors[k] = (spec["dtype"], v)
    if spec.get("decoder_copy"):
        # the tied decoder's copy some checkpoints store: the engine reads
        # the word embeddings instead
        copy = {"bert": "cls.predictions.decoder.weight",
                "distilbert": "vocab_projector.weight"}[spec["family"]]
        tensors[copy] = (spec["dtype"], w["embeddings.word_embeddings.weight"])
    g2.write_safetensors(os.path.join(d, "model.safetensors"), tensors,
                         metadata={"format": "pt",
                                   "generator": "tools/reference/make_encoder_fixtures.py"})
    return d


def cases(spec, V, rng):
    """(ids, type_ids) for a sentence, one token and a pair."""
    roberta = spec["family"] == "roberta"
    a = rng.integers(5, V, size=7).tolist()
    one = [int(rng.integers(5, V))]
    pair = rng.integers(5, V, size=20).tolist()
    if roberta:
        pair[6] = 1        # a padding token: position pad, later ones shift
        return [(a, [0] * 7), (one, [0]), (pair, [0] * 20)]
    return [(a, [0, 0, 0, 1, 1, 1, 1]), (one, [1]), (pair, [0] * 8 + [1] * 12)]


def write_expected(spec, model_dir):
    cfg, w = enc.load_model(model_dir)
    L, NH, C, _ = enc.shape(cfg)
    V = cfg["vocab_size"]
    rng = np.random.default_rng(100 + spec["seed"])
    out = {"model": spec["name"], "dtype": spec["dtype"],
           "made_by": "/usr/bin/python3 tools/reference/make_encoder_fixtures.py",
           "n_layer": L, "n_head": NH, "n_kv_head": NH, "head_size": C // NH,
           "n_embd": C, "cases": []}
    for i, (ids, types) in enumerate(cases(spec, V, rng)):
        types_in = types if spec["family"] != "distilbert" else None
        r = enc.forward(cfg, w, ids, types_in)
        tw, th, tlogits = enc.forward_torch(cfg, w, ids, types_in)
        for what, a, b in (("weights", tw, r["weights"]), ("hidden", th, r["hidden"])):
            diff = np.abs(a - b).max()
            assert diff < 1e-12, "%s: numpy and torch %s disagree by %g" % (spec["name"], what, diff)
        case = {"ids": ids, "type_ids": types, "weights": mf.rounded(r["weights"])}
        if i == 0:
            for key in ("ln1", "q", "k", "v", "scores", "head_out", "attn_out", "hidden"):
                case[key] = mf.rounded(r[key])
        if spec.get("head"):
            logits = enc.mlm_logits(cfg, w, r["hidden"])
            diff = np.abs(logits - tlogits).max()
            assert diff < 1e-9, "%s: numpy and torch logits disagree by %g" % (spec["name"], diff)
            case["mlm_logits"] = mf.rounded(logits[len(ids) // 2])
            case["mlm_position"] = len(ids) // 2
        out["cases"].append(case)
    path = os.path.join(FIXTURES, "forward-%s.json" % spec["name"])
    with open(path, "w") as f:
        json.dump(out, f, separators=(",", ":"))
        f.write("\n")
    return path


def main():
    for spec in MODELS:
        d = write_model(spec)
        p = write_expected(spec, d)
        print("wrote", os.path.relpath(d, mf.ROOT), "and", os.path.relpath(p, mf.ROOT))


if __name__ == "__main__":
    main()
