#!/usr/bin/env node
// tools/tokenizer-fixtures/make-small.js
//
// Copyright 2026 The Attention authors
// SPDX-License-Identifier: GPL-3.0-or-later
//
// Writes tests/fixtures/tokenizer/: a tiny byte-level BPE tokenizer small
// enough to reason about by hand, broken variants of its files for the
// loader's errors, and tokenizer_config.json variants for BOS.
// tests/test-tokenizer.c relies on the exact ids and line numbers below.
//
// Regenerate (from the top of the source tree):
//
//   node tools/tokenizer-fixtures/make-small.js tests/fixtures/tokenizer
'use strict';

const fs = require('fs');
const path = require('path');

const dir = process.argv[2];
if (!dir) {
  console.error('usage: make-small.js OUTPUT_DIR');
  process.exit(1);
}
fs.mkdirSync(dir, { recursive: true });
const write = (name, text) => fs.writeFileSync(path.join(dir, name), text);
const json = (value) => JSON.stringify(value) + '\n';

// "Ġ" (U+0120) is GPT-2's symbol for the space byte.  "a b" outranks "Ġ a",
// so " ab" must become [Ġ, ab] although (Ġ, a) is the leftmost pair.
write('vocab.json', json({
  'a': 0, 'b': 1, 'c': 2, '\u0120': 3, 'ab': 4, 'abc': 5, '\u0120a': 6,
  '<|endoftext|>': 7, '<s>': 8,
}));
write('merges.txt', '#version: 0.2\na b\nab c\n\u0120 a\n');

// Broken files: a JSON syntax error on line 2, a merge line with three parts
// and one naming a token the vocabulary lacks (both on line 3).
write('vocab-bad-json.json', '{"a": 0, "b": 1,\n "c": 2,,\n}\n');
write('merges-malformed.txt', '#version: 0.2\na b\nab c d\n');
write('merges-unknown.txt', '#version: 0.2\na b\nab x\n');

write('config-bos.json', json({ add_bos_token: true, bos_token: '<|endoftext|>' }));
write('config-bos-object.json', json({
  add_bos_token: true,
  bos_token: { __type: 'AddedToken', content: '<s>', lstrip: false, normalized: true,
    rstrip: false, single_word: false },
}));
write('config-bos-default.json', json({ add_bos_token: true }));
write('config-no-bos.json', json({ add_bos_token: false, bos_token: '<s>' }));
write('config-bos-unknown.json', json({ add_bos_token: true, bos_token: '<bos>' }));
