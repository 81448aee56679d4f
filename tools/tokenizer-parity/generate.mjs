// Expected ids of OLMo-1B's tokenizer from Hugging Face tokenizers (the Rust library, through its npm binding), for
// the C# parity test (tests/AmuroChar.Tests/Tokenization/OlmoTokenizerParityTests.cs), and HF's single-threaded encode
// throughput on the same strings (to compare with `amurochar bench`, tokenizer.encode).
//
//   cd tools/tokenizer-parity && npm ci
//   node generate.mjs [REAL_ARTIFACTS_DIR]          # rewrites the fixture (default: /work/shared/reference/real-artifacts)
//   RAYON_NUM_THREADS=1 TOKENIZERS_PARALLELISM=false node generate.mjs --bench
//
// The strings are deterministic (seeded): real dataset texts from the Arrow folders under real-artifacts/hf_datasets,
// prompts rendered with the project's templates (src/AmuroChar.Engine/Tasks/Tasks.cs), and hand-made edge cases.
import { readFileSync, readdirSync, writeFileSync, renameSync, existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { tableFromIPC } from 'apache-arrow';
import { Tokenizer } from 'tokenizers';

const here = dirname(fileURLToPath(import.meta.url));
const fixtureDir = join(here, '../../tests/AmuroChar.Tests/Tokenization/Fixtures/olmo-1b');
const tokenizerPath = join(fixtureDir, 'tokenizer.json');
const outputPath = join(fixtureDir, 'parity.jsonl');
const bench = process.argv.includes('--bench');
const artifacts = process.argv.slice(2).find(a => !a.startsWith('--')) ?? '/work/shared/reference/real-artifacts';

// mulberry32: a small seeded generator, so the strings are the same on every run.
function rng(seed) {
  return () => {
    seed = (seed + 0x6d2b79f5) | 0;
    let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
const random = rng(20241130);
const pick = xs => xs[Math.floor(random() * xs.length)];
const int = (lo, hi) => lo + Math.floor(random() * (hi - lo + 1));

function readArrow(relative) {
  const dir = join(artifacts, 'hf_datasets', relative);
  return tableFromIPC(readFileSync(join(dir, 'validation', 'data-00000-of-00001.arrow'))).toArray().map(r => r.toJSON());
}

const cases = [];
const add = (category, text) => cases.push({ category, text });

// Real dataset texts: every string field of the first rows of each dataset.
const datasets = {
  'ai2_arc/ARC-Easy': 120, 'ai2_arc/ARC-Challenge': 80, 'boolq/none': 120, 'glue/rte': 100,
  'openbookqa/main': 100, 'sciq/none': 100, 'social_i_qa/none': 120,
};
const rows = {};
for (const [name, count] of Object.entries(datasets)) {
  rows[name] = readArrow(name);
  for (const row of rows[name].slice(0, count))
    for (const [field, value] of Object.entries(row)) {
      if (typeof value === 'string' && value.length > 0 && field !== 'id' && field !== 'answerKey' && field !== 'label') add(`data:${name}:${field}`, value);
      else if (value && typeof value === 'object' && Array.isArray(value.text?.toArray?.() ?? value.text)) add(`data:${name}:choices`, [...value.text].join(' | '));
    }
}

// Rendered prompts, as the study builds them (k demonstrations + item, joined by blank lines).
const fill = (template, values) => template.replace(/\{(\w+)\}/g, (_, k) => values[k] ?? '');
const fewShot = (render, items, k, answer) => items.slice(0, k).map(d => render(d) + answer(d) + '\n\n').join('');
const arc = rows['ai2_arc/ARC-Easy'].concat(rows['ai2_arc/ARC-Challenge']);
const choiceText = r => [...(r.choices.text.toArray?.() ?? r.choices.text)];
const arcAnswer = r => ' ' + choiceText(r)[[...(r.choices.label.toArray?.() ?? r.choices.label)].indexOf(r.answerKey)];
for (let i = 0; i < 60; i++) {
  const render = r => fill('Question: {question}\nAnswer:', r);
  const item = arc[200 + i], k = i % 2 === 0 ? 4 : 0;
  add('prompt:arc', fewShot(render, arc.slice(300 + i), k, arcAnswer) + render(item) + arcAnswer(item));
}
for (let i = 0; i < 40; i++) {
  const render = r => fill('{passage}\nQuestion: {question}?\nAnswer:', r);
  add('prompt:boolq', fewShot(render, rows['boolq/none'].slice(500 + i), i % 3, r => r.answer ? ' yes' : ' no') + render(rows['boolq/none'][200 + i]));
}
for (let i = 0; i < 40; i++) {
  const render = r => fill('{support}\nQuestion: {question}\nAnswer:', r);
  add('prompt:sciq', fewShot(render, rows['sciq/none'].slice(400 + i), i % 2 ? 2 : 0, r => ' ' + r.correct_answer) + render(rows['sciq/none'][200 + i]));
}
const nliFormats = [
  '### Input_1: {premise}\n ### Input_2: {hypothesis}\n ### Inference: ',
  'Consider the following texts: Text 1: {premise} Text 2: {hypothesis} The relation is ',
  '{premise} {hypothesis}',
];
const nliLabels = ['entailment', 'not_entailment'];
for (let i = 0; i < 60; i++) {
  const r = rows['glue/rte'][120 + i];
  const render = x => fill(nliFormats[i % 3], { premise: x.sentence1, hypothesis: x.sentence2 });
  add('prompt:rte', fewShot(render, rows['glue/rte'].slice(200 + i), i % 4 === 0 ? 4 : 0, x => nliLabels[Number(x.label)]) + render(r) + nliLabels[Number(r.label)]);
}
const qgFormats = [
  '### Input: {context}\n ### Answer: {answers}\n ### Question: ',
  'Given the context: {context} And the answer: {answers} Generate a suitable question: ',
  '{context} {answers_plain}',
];
for (let i = 0; i < 60; i++) {
  const r = rows['social_i_qa/none'][200 + i];
  const values = { context: r.context, answers: `Answer A: ${r.answerA} Answer B: ${r.answerB} Answer C: ${r.answerC}`, answers_plain: `${r.answerA} ${r.answerB} ${r.answerC}` };
  add('prompt:socialiqa-qg', fill(qgFormats[i % 3], values) + r.question + (i % 2 ? '<|endoftext|>' : ''));
}
for (let i = 0; i < 30; i++) {
  const r = rows['openbookqa/main'][200 + i];
  add('prompt:chat', `<|user|>\n${r.question_stem}\n<|assistant|>\n${choiceText(r).join(', ')}<|endoftext|>`);
  add('prompt:summary', `### Input: ${rows['boolq/none'][700 + i].passage}\n ### Summary: ${rows['boolq/none'][700 + i].question}.`);
}

// Hand-made edge cases.
add('empty', '');
for (const s of ['\ud800', '\udfff', 'a\ud800b', 'x\udc00\ud800y', '\ud83d', 'emoji half \ud83d and full \ud83d\ude00', '\ud800\ud800\udc00'])
  add('lone-surrogate', s);
for (let n = 1; n <= 30; n++) {
  const sp = ' '.repeat(n);
  add('spaces', `word${sp}word`);
  add('spaces', `${sp}lead`);
  add('spaces', `trail${sp}`);
  add('spaces', sp);
  add('spaces', `a${sp}\nb`);
  add('spaces', `x${sp}\t${sp}y`);
}
for (const ws of ['\t', '\n', '\r\n', '\u00a0', '\u3000', '\u2003', '\u200b', '\f', '\v', '\u0085', '\u2028'])
  for (const n of [1, 2, 3, 7]) add('whitespace', `one${ws.repeat(n)}two ${ws.repeat(n)} three${ws.repeat(n)}`);
for (let i = 0; i < 60; i++) {
  const digits = Array.from({ length: int(1, 25) }, () => int(0, 9)).join('');
  add('digits', pick([`${digits}`, `${digits}.${int(0, 999)}`, `$${digits}`, `-${digits}e-${int(1, 9)}`, `${int(1900, 2100)}-${int(1, 12)}-${int(1, 28)}`, `call ${int(100, 999)}-${int(100, 999)}-${int(1000, 9999)}`, `x${digits}y`, `${digits} ${digits}`, `١٢٣${digits}٤٥`, `${digits}%`]));
}
for (const c of ["I'M", "DON'T", "YOU'RE", "WE'VE", "SHE'LL", "HE'D", "IT'S", "don'T", "We'Re", "I'm", "they'll", "it's", "'s", "'S", "O'Neil", "rock 'n' roll", "y'all", "''", "'ll've", "don’t (curly)", "CAN'T WON'T SHAN'T"])
  add('contractions', `${c} ${c.toLowerCase()} ${c.toUpperCase()}`);
for (const u of ['https://huggingface.co/allenai/OLMo-1B-hf/blob/step1000-tokens4B/config.json', 'http://example.com:8080/a/b?c=1&d=%20e#frag',
  'ftp://user:pass@host/path', 'mailto:someone@example.org', 'www.example.co.uk/index.html', 'https://zh.wikipedia.org/wiki/中文', 'file:///C:/Users/x/Desktop/a%20b.txt'])
  add('url', `see ${u} now`);
for (const code of [
  'def f(x):\n    return x ** 2  # square\n\nprint(f(3))\n',
  'for (int i = 0; i < n; i++) {\n\tsum += a[i] * b[i];\n}\n',
  '#include <stdio.h>\nint main(void) { printf("%d\\n", 42); return 0; }',
  'const re = /^(?:[a-z0-9!#$%&\'*+/=?^_`{|}~-]+)$/i;',
  '<div class="a b" id=\'x\'>&nbsp;&lt;tag&gt;</div>',
  'SELECT id, name FROM users WHERE age >= 21 ORDER BY name DESC;',
  '{"key": [1, 2.5, null, true], "nested": {"a": "b"}}',
  '    indented\n        more\n            most\n',
  'fn main() -> Result<(), Box<dyn Error>> { Ok(()) }',
  '$ ls -la | grep "\\.cs$" && echo done || exit 1',
]) add('code', code);
for (const e of ['😀', '👍🏽', '👨‍👩‍👧‍👦', '🏳️‍🌈', '🇯🇵🇫🇷', '❤️', '🧑🏿‍💻', '👩‍❤️‍💋‍👨', 'a😀b', '😀😀😀', '☃', '🀄', '🫠 new emoji'])
  add('emoji', `${e} and ${e}${e}`);
for (const s of ['中文字符测试，这是一个句子。', '日本語のテキスト、ひらがなとカタカナ。', '한국어 문장입니다.', 'العربية من اليمين إلى اليسار', 'مرحبا بالعالم 123',
  'देवनागरी लिपि में लिखा गया पाठ', 'हिन्दी', 'עברית מימין לשמאל', 'Ελληνικά κείμενα', 'русский текст, ёж', 'ภาษาไทย', 'ქართული', 'Tiếng Việt có dấu',
  '𝐀𝐁𝐂 𝟙𝟚𝟛 𠀀𠀁 𝔘𝔫𝔦𝔠𝔬𝔡𝔢', '∑∫√∞ ≤≥≠ ← → ⇒'])
  add('script', s);
for (const s of ['e\u0301', 'cafe\u0301', 'A\u030A', '\u212B', '\u2126', '\u212A', '\u1E9B\u0323', 'q\u0307\u0323', '\u1100\u1161\u11A8', 'o\u0308\u0304',
  '\uFB01 ligature', '\u00C5 vs A\u030A', 'n\u0303o', '\u0958', '\u2000\u2001', 'Ç vs C\u0327', 'a\u0301\u0301\u0301', '\u0344'])
  add('nfc', `${s} ${s}x`);
for (const s of ['<|endoftext|>', 'a<|endoftext|>b', '<|endoftext|><|endoftext|>', '<|padding|>x', 'mail |||EMAIL_ADDRESS||| now', 'tel|||PHONE_NUMBER|||',
  '|||IP_ADDRESS|||.', '<|endoftext', 'endoftext|>', '<|ENDOFTEXT|>', ' <|endoftext|> ', 'x  <|endoftext|>  y', '||||IP_ADDRESS||||', '<|user|>\nhi\n<|assistant|>\n'])
  add('added-token', s);

// Random mixtures: code points from many blocks, with spaces and combining marks in between.
const ranges = [[0x20, 0x7e], [0xa0, 0xff], [0x300, 0x36f], [0x400, 0x4ff], [0x600, 0x6ff], [0x900, 0x97f], [0x3040, 0x30ff], [0x4e00, 0x9fff],
  [0xac00, 0xd7a3], [0x1f300, 0x1faff], [0x1d400, 0x1d7ff], [0x20000, 0x2a6df], [0x2000, 0x206f]];
for (let i = 0; i < 250; i++) {
  let s = '';
  for (let n = int(1, 40); n > 0; n--) {
    const r = random();
    if (r < 0.15) s += ' '.repeat(int(1, 5));
    else if (r < 0.2) s += pick(['\n', '\t', "'s", "'T", '<|endoftext|>', '  ', '0', '99']);
    else { const [lo, hi] = pick(ranges); s += String.fromCodePoint(int(lo, hi)); }
  }
  add('random', s);
}

const tokenizer = Tokenizer.fromFile(tokenizerPath);
if (bench) {
  const texts = cases.map(c => c.text);
  const chars = texts.reduce((n, t) => n + t.length, 0);
  for (const t of texts) await tokenizer.encode(t);   // warm-up (fills HF's BPE cache, as a long run would)
  let rounds = 0, tokens = 0, start = performance.now();
  while (performance.now() - start < 3000) { for (const t of texts) tokens += (await tokenizer.encode(t)).getIds().length; rounds++; }
  const single = (performance.now() - start) / 1000;
  let batchRounds = 0, batchStart = performance.now();
  while (performance.now() - batchStart < 3000) { await tokenizer.encodeBatch(texts); batchRounds++; }
  const batch = (performance.now() - batchStart) / 1000;
  console.log(JSON.stringify({
    strings: texts.length, chars, threads: process.env.RAYON_NUM_THREADS ?? '(default)',
    encode_one_by_one: { chars_per_second: Math.round(rounds * chars / single), tokens_per_second: Math.round(tokens / single) },
    encode_batch: { chars_per_second: Math.round(batchRounds * chars / batch), tokens_per_second: Math.round(batchRounds * tokens / rounds / batch) },
  }, null, 2));
} else {
  // Lone surrogates can't travel in a JSON string that every reader accepts, so those texts are UTF-16 code units.
  const wellFormed = s => !/[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/.test(s);
  const lines = [];
  for (const c of cases) {
    const ids = (await tokenizer.encode(c.text)).getIds();
    const text = wellFormed(c.text) ? { text: c.text } : { utf16: [...Array(c.text.length).keys()].map(i => c.text.charCodeAt(i)) };
    lines.push(JSON.stringify({ category: c.category, ...text, ids }));
  }
  const tmp = outputPath + '.tmp';
  writeFileSync(tmp, lines.join('\n') + '\n');
  renameSync(tmp, outputPath);
  console.log(`wrote ${lines.length} cases to ${outputPath}`);
}
