"""Writes tests/fixtures/encoder-cli.json: what attention-cli must print for
texts and sentence pairs on the encoder fixtures (bert-mlm, bert-base,
distilbert-mlm, roberta-mlm, made by make_encoder_fixtures.py), from
references that share no code with the engine:

- token ids from the tokenizers' published algorithms: BERT's WordPiece
  (tools/tokenizer-fixtures/wordpiece_reference.py) over the fixtures'
  vocab.txt, and RoBERTa's byte-level BPE (OpenAI's encoder.py,
  tools/tokenizer-fixtures/reference.py) over their vocab.json and
  merges.txt, with the templates [CLS] A [SEP] B [SEP] (types 0…0 1…1) and
  <s> A </s></s> B </s> (all 0); the special tokens' segments written out;
- attention weights from the numpy reference encoders_reference.py with
  those token types;
- for every [MASK] / <mask>, the masked-LM head's top five words (id,
  probability from a float64 softmax over the whole vocabulary, logit).

Remake it from the repository root, after make_encoder_fixtures.py:

    /usr/bin/python3 tools/reference/make_encoder_cli_fixtures.py

Deterministic; needs Debian's python3-regex (GPT-2's pattern).
"""
import json
import os
import sys

import numpy as np

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(os.path.dirname(HERE))
sys.path.insert(0, HERE)
sys.path.insert(0, os.path.join(ROOT, "tools", "tokenizer-fixtures"))

import encoders_reference as enc          # noqa: E402
import wordpiece_reference as wp          # noqa: E402
import reference as gpt2_bpe              # noqa: E402

MODELS = os.path.join(ROOT, "tests", "fixtures", "models")
OUT = os.path.join(ROOT, "tests", "fixtures", "encoder-cli.json")
TOP = 5

# (model, text, text_b or None): every family with a pair, a mask in A or
# B, BERT once with two masks and no pair.
CASES = [
    ("bert-mlm", "The cat sat on the [MASK].", "It was playing!"),
    ("bert-mlm", "hello [MASK] world, the [MASK] dog", None),
    ("bert-base", "The dog sat.", "Hello world"),
    ("distilbert-mlm", "the cat is on the mat", "it was [MASK]"),
    ("roberta-mlm", "a <mask> cat", "is on"),
]


def wordpiece_ids(model_dir, text, text_b):
    with open(os.path.join(model_dir, "vocab.txt"), encoding="utf-8") as f:
        ids = {t: i for i, t in enumerate(f.read().split("\n")[:-1])}
    a = wp.encode(text, ids)
    out = [ids["[CLS]"]] + a + [ids["[SEP]"]]
    types = [0] * len(out)
    segments = ["special"] + ["A"] * len(a) + ["special"]
    if text_b is not None:
        b = wp.encode(text_b, ids)
        out += b + [ids["[SEP]"]]
        types += [1] * (len(b) + 1)
        segments += ["B"] * len(b) + ["special"]
    return out, types, segments, ids["[MASK]"]


def roberta_encode(bpe, vocab, text):
    """<mask> whole, taking the one space before it (its lstrip)."""
    out = []
    for i, chunk in enumerate(text.split("<mask>")):
        if i > 0:
            out.append(vocab["<mask>"])
        if i + 1 < len(text.split("<mask>")) and chunk.endswith(" "):
            chunk = chunk[:-1]
        out += bpe.encode(chunk)
    return out


def roberta_ids(model_dir, text, text_b):
    with open(os.path.join(model_dir, "vocab.json"), encoding="utf-8") as f:
        vocab = json.load(f)
    with open(os.path.join(model_dir, "merges.txt"), encoding="utf-8") as f:
        merges = [tuple(s.split()) for s in f.read().split("\n")[1:-1]]
    bpe = gpt2_bpe.Encoder(vocab, merges)
    a = roberta_encode(bpe, vocab, text)
    s, e = vocab["<s>"], vocab["</s>"]
    out = [s] + a + [e]
    segments = ["special"] + ["A"] * len(a) + ["special"]
    if text_b is not None:
        b = roberta_encode(bpe, vocab, text_b)
        out += [e] + b + [e]
        segments += ["special"] + ["B"] * len(b) + ["special"]
    return out, [0] * len(out), segments, vocab["<mask>"]


def rounded(a):
    return [float("%.8g" % v) for v in np.asarray(a).ravel()]


def case(name, text, text_b):
    d = os.path.join(MODELS, name)
    cfg, w = enc.load_model(d)
    if cfg["model_type"] == "roberta":
        ids, types, segments, mask = roberta_ids(d, text, text_b)
    else:
        ids, types, segments, mask = wordpiece_ids(d, text, text_b)
    r = enc.forward(cfg, w, ids, types if cfg["model_type"] != "distilbert" else None)
    out = {"model": name, "text": text, "ids": ids, "token_type_ids": types,
           "segments": segments,
           "shape": list(r["weights"].shape), "weights": rounded(r["weights"])}
    if text_b is not None:
        out["text_b"] = text_b
    heads = [k for k in w if k.startswith(("cls.predictions.transform", "lm_head.dense",
                                            "vocab_transform"))]
    if heads:
        logits = enc.mlm_logits(cfg, w, r["hidden"])
        masked = []
        for pos in [i for i, t in enumerate(ids) if t == mask]:
            row = logits[pos]
            p = np.exp(row - row.max())
            p /= p.sum()
            order = np.argsort(-row, kind="stable")[:TOP]
            masked.append({"position": pos, "ids": [int(i) for i in order],
                           "probabilities": rounded(p[order]), "logits": rounded(row[order])})
        assert masked, "%s: the case has no mask" % name
        out["masked"] = masked
    return out


def main():
    rows = [case(*c) for c in CASES]
    with open(OUT, "w", encoding="utf-8") as f:
        f.write("[\n" + ",\n".join(json.dumps(r, ensure_ascii=False, separators=(",", ":"))
                                   for r in rows) + "\n]\n")
    print("wrote", os.path.relpath(OUT, ROOT), "(%d cases)" % len(rows))


if __name__ == "__main__":
    main()
