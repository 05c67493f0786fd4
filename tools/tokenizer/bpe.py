"""GPT-2 byte-level BPE encoder in Python (the algorithm of gpt-3-encoder / OpenAI's encoder.py).

Reads a model directory's vocab.json and merges.txt, so it encodes exactly what
the app's C tokenizer must encode. Needs python3-regex for \\p{L} / \\p{N}.
"""
import json
import os

# GPT-2's pre-tokenizer: contractions, letter runs, digit runs, other runs, spaces.
PATTERN = r"""'s|'t|'re|'ve|'m|'ll|'d| ?\p{L}+| ?\p{N}+| ?[^\s\p{L}\p{N}]+|\s+(?!\S)|\s+"""


def bytes_to_unicode():
    """GPT-2's map from bytes to printable characters (byte tokens in vocab.json)."""
    bs = list(range(ord("!"), ord("~") + 1)) + list(range(ord("¡"), ord("¬") + 1)) \
        + list(range(ord("®"), ord("ÿ") + 1))
    cs = bs[:]
    n = 0
    for b in range(256):
        if b not in bs:
            bs.append(b)
            cs.append(256 + n)
            n += 1
    return dict(zip(bs, map(chr, cs)))


class Tokenizer:
    def __init__(self, model_dir):
        import regex  # only needed for encoding
        with open(os.path.join(model_dir, "vocab.json"), encoding="utf-8") as f:
            self.encoder = json.load(f)
        self.decoder = {i: t for t, i in self.encoder.items()}
        with open(os.path.join(model_dir, "merges.txt"), encoding="utf-8") as f:
            lines = [l for l in f.read().split("\n")[1:] if l]
        self.ranks = {tuple(l.split(" ")): r for r, l in enumerate(lines)}
        self.byte_encoder = bytes_to_unicode()
        self.byte_decoder = {c: b for b, c in self.byte_encoder.items()}
        self.pat = regex.compile(PATTERN)
        self.eot = self.encoder["<|endoftext|>"]
        self.cache = {}

    def bpe(self, word):
        """Merge the lowest-ranked adjacent pair until no known pair is left."""
        if word in self.cache:
            return self.cache[word]
        parts = list(word)
        while len(parts) > 1:
            pairs = [(self.ranks.get(p, 1 << 30), i) for i, p in enumerate(zip(parts, parts[1:]))]
            rank, _ = min(pairs)
            if rank == 1 << 30:
                break
            pair = (lambda i: (parts[i], parts[i + 1]))(min(i for r, i in pairs if r == rank))
            merged, i = [], 0
            while i < len(parts):  # merge every occurrence, left to right
                if i < len(parts) - 1 and (parts[i], parts[i + 1]) == pair:
                    merged.append(parts[i] + parts[i + 1])
                    i += 2
                else:
                    merged.append(parts[i])
                    i += 1
            parts = merged
        ids = [self.encoder[p] for p in parts]
        self.cache[word] = ids
        return ids

    def encode(self, text, bos=False):
        ids = [self.eot] if bos else []
        for piece in self.pat.findall(text):
            ids.extend(self.bpe("".join(self.byte_encoder[b] for b in piece.encode("utf-8"))))
        return ids

    def decode(self, ids):
        text = "".join(self.decoder[i] for i in ids if i != self.eot)
        return bytearray(self.byte_decoder[c] for c in text).decode("utf-8", errors="replace")
