#!/usr/bin/python3
"""Writes the seed corpora of tests/fuzz/corpus/ (run from anywhere).

Each seed is small and names what it covers; the ones named issue11-* are
the defects issue 11 found, kept so a regression fails `make check-fuzz`.
libFuzzer adds nothing here by itself (tests/fuzz/run-fuzz.sh gives it a
scratch folder): a new finding is added by hand, under a telling name, and
is not written by this script (tokenizer-files/issue11-message-not-utf8:
a merges.txt line that is not UTF-8, quoted into an error message).
"""

import json
import os
import struct

HERE = os.path.dirname(os.path.abspath(__file__))
TOP = os.path.dirname(os.path.dirname(HERE))
TINY = os.path.join(TOP, "tests", "fixtures", "models", "tiny-bf16")


def write(target, name, data):
    folder = os.path.join(HERE, "corpus", target)
    os.makedirs(folder, exist_ok=True)
    if isinstance(data, str):
        data = data.encode("utf-8")
    with open(os.path.join(folder, name), "wb") as f:
        f.write(data)


def read(name):
    with open(os.path.join(TINY, name), "rb") as f:
        return f.read()


def safetensors(tensors, metadata=None):
    """tensors: name -> (dtype, shape, raw bytes)."""
    header, data = {}, b""
    if metadata is not None:
        header["__metadata__"] = metadata
    for name, (dtype, shape, raw) in tensors.items():
        header[name] = {"dtype": dtype, "shape": shape,
                        "data_offsets": [len(data), len(data) + len(raw)]}
        data += raw
    text = json.dumps(header).encode()
    return struct.pack("<Q", len(text)) + text + data


def f32(*values):
    return struct.pack("<%df" % len(values), *values)


def patch(st, name, index, raw):
    """Overwrites element @index of tensor @name in safetensors bytes @st."""
    n = struct.unpack("<Q", st[:8])[0]
    header = json.loads(st[8:8 + n])
    entry = header.get(name) or header["transformer." + name]
    size = 4 if entry["dtype"] == "F32" else 2
    at = 8 + n + entry["data_offsets"][0] + index * size
    return st[:at] + raw + st[at + len(raw):]


def fill(st, name, raw_element):
    n = struct.unpack("<Q", st[:8])[0]
    header = json.loads(st[8:8 + n])
    entry = header.get(name) or header["transformer." + name]
    begin, end = entry["data_offsets"]
    count = (end - begin) // len(raw_element)
    at = 8 + n + begin
    return st[:at] + raw_element * count + st[at + count * len(raw_element):]


def main():
    # safetensors headers
    write("safetensors", "three-dtypes", safetensors({
        "a": ("F32", [2, 2], f32(1, 2, 3, 4)),
        "b": ("F16", [3], b"\x00\x3c\x00\xc0\x01\x00"),
        "c": ("BF16", [1, 2], b"\x80\x3f\x00\x40"),
        "empty": ("F32", [0, 4], b""),
    }, {"format": "pt"}))
    write("safetensors", "empty-header", struct.pack("<Q", 2) + b"{}")
    write("safetensors", "issue11-nan-and-inf", safetensors({
        "nan": ("F32", [2], f32(float("nan"), 1)),
        "inf16": ("F16", [2], b"\x00\x7c\x00\x00"),
        "ninfbf": ("BF16", [2], b"\x00\x00\x80\xff"),
    }))
    text = json.dumps({"a": {"dtype": "F32", "shape": [1], "data_offsets": [0, 4]},
                       "b": {"dtype": "F32", "shape": [1], "data_offsets": [0, 4]}}).encode()
    write("safetensors", "overlap", struct.pack("<Q", len(text)) + text + f32(1))

    # config.json
    config = json.loads(read("config.json"))
    write("config", "tiny", json.dumps(config))
    write("config", "gpt2-small", json.dumps({
        "model_type": "gpt2", "n_layer": 12, "n_head": 12, "n_embd": 768,
        "n_positions": 1024, "n_ctx": 1024, "vocab_size": 50257,
        "layer_norm_epsilon": 1e-5, "activation_function": "gelu_new",
        "scale_attn_weights": True, "reorder_and_upcast_attn": False}))
    write("config", "issue11-epsilon-underflows", json.dumps(dict(config, layer_norm_epsilon=1e-95)))
    write("config", "issue11-config-keys", json.dumps(dict(
        config, scale_attn_weights=False, scale_attn_by_inverse_layer_idx=True, n_inner=48,
        reorder_and_upcast_attn=True)))
    write("config", "not-an-object", "[1, 2, 3]")

    # tokenizer files: vocab.json NUL merges.txt [NUL tokenizer_config.json]
    vocab, merges = read("vocab.json"), read("merges.txt")
    write("tokenizer-files", "tiny", vocab + b"\0" + merges)
    write("tokenizer-files", "tiny-bos", vocab + b"\0" + merges + b"\0" +
          json.dumps({"add_bos_token": True, "bos_token": {"content": "<|endoftext|>"}}).encode())
    write("tokenizer-files", "bytes-only", json.dumps(
        {chr(c) if 33 <= c <= 126 else "\u0100": i for i, c in enumerate(range(33, 127))}).encode()
        + b"\0#version: 0.2\n")

    # encode: text
    write("encode", "english", "The cat sat on the mat. It's 3:45 pm, isn't it?\n")
    write("encode", "unicode", "Ünïcödé — 日本語のテキスト 🙂 \u180e \u0085 \ufeff  tabs\t\tend")
    write("encode", "invalid-utf8", b"ok \xff\xfe broken \xc3")
    write("encode", "empty", b"")
    write("encode", "issue11-long-word", "a" * 4096)
    write("encode", "spaces", " " * 300 + "x" + "\n" * 40)

    # load-run: config.json NUL model.safetensors
    st = read("model.safetensors")
    write("load-run", "tiny-bf16", json.dumps(config).encode() + b"\0" + st)
    write("load-run", "issue11-nan-bias",
          json.dumps(config).encode() + b"\0" + patch(st, "h.0.attn.c_attn.bias", 3, b"\xc0\x7f"))
    write("load-run", "issue11-huge-weights",
          json.dumps(config).encode() + b"\0" + fill(st, "h.0.mlp.c_fc.weight", b"\x7f\x7f"))


if __name__ == "__main__":
    main()
