/**
 * Counts tokens with a model's own Hugging Face `tokenizer.json` (BPE models: Llama 3, Qwen, DeepSeek,
 * Mistral…), so the reasoning a self-hosted server does not count is billed in the model's tokens, not
 * in o200k's. Only counting is needed, so ids are never looked up. Supported: normalizers NFC/NFKC/
 * NFD/NFKD/Lowercase/Prepend/Replace/Sequence; pre-tokenizers ByteLevel, Split (regex or string),
 * Metaspace, Digits, Sequence; BPE with byte-level or byte-fallback symbols; added tokens.
 * Reference: https://huggingface.co/docs/tokenizers/api/pre-tokenizers and …/models
 */
type Json = Record<string, unknown>;
const isObject = (v: unknown): v is Json => typeof v === 'object' && v !== null && !Array.isArray(v);

export class TokenizerFormatError extends Error {}

type Normalize = (text: string) => string;
type PreTokenize = (pieces: string[]) => string[];

/** GPT-2's byte → printable character table, which byte-level BPE vocabularies are written in. */
function byteLevelAlphabet(): string[] {
  const keep: number[] = [];
  for (let b = 33; b <= 126; b++) keep.push(b);
  for (let b = 161; b <= 172; b++) keep.push(b);
  for (let b = 174; b <= 255; b++) keep.push(b);
  const table: string[] = new Array(256);
  let extra = 0;
  for (let b = 0; b < 256; b++) table[b] = String.fromCodePoint(keep.includes(b) ? b : 256 + extra++);
  return table;
}
const BYTE_CHARS = byteLevelAlphabet();
const encoder = new TextEncoder();
const GPT2_SPLIT = /'s|'t|'re|'ve|'m|'ll|'d| ?\p{L}+| ?\p{N}+| ?[^\s\p{L}\p{N}]+|\s+(?!\S)|\s+/gu;

function toByteLevel(text: string): string {
  let out = '';
  for (const byte of encoder.encode(text)) out += BYTE_CHARS[byte];
  return out;
}

function regexOf(pattern: unknown): RegExp {
  if (!isObject(pattern)) throw new TokenizerFormatError('a Split pre-tokenizer without a pattern');
  if (typeof pattern.Regex === 'string') return new RegExp(pattern.Regex, 'gu');
  if (typeof pattern.String === 'string') return new RegExp(pattern.String.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'), 'gu');
  throw new TokenizerFormatError('a Split pattern is neither Regex nor String');
}

/** Splits keeping the matches as their own pieces (`Isolated`), or the gaps only (`Removed`). */
function split(text: string, regex: RegExp, behaviour: string, invert: boolean): string[] {
  const out: string[] = [];
  let from = 0;
  for (const match of text.matchAll(regex)) {
    if (match[0] === '') continue;
    const gap = text.slice(from, match.index);
    if (invert) {
      if (gap !== '' && behaviour !== 'Removed') out.push(gap);
      out.push(match[0]);
    } else {
      if (gap !== '') out.push(gap);
      if (behaviour !== 'Removed') out.push(match[0]);
    }
    from = match.index + match[0].length;
  }
  if (from < text.length) out.push(text.slice(from));
  return out;
}

function normalizer(spec: unknown): Normalize {
  if (spec === null || spec === undefined) return (t) => t;
  if (!isObject(spec)) throw new TokenizerFormatError('normalizer is not an object');
  switch (spec.type) {
    case 'NFC': case 'NFD': case 'NFKC': case 'NFKD': {
      const form = spec.type;
      return (t) => t.normalize(form);
    }
    case 'Lowercase':
      return (t) => t.toLowerCase();
    case 'Prepend':
      return (t) => (t === '' ? t : String(spec.prepend) + t);
    case 'Replace': {
      const regex = regexOf(spec.pattern);
      return (t) => t.replace(regex, String(spec.content));
    }
    case 'Sequence': {
      const steps = (Array.isArray(spec.normalizers) ? spec.normalizers : []).map(normalizer);
      return (t) => steps.reduce((acc, step) => step(acc), t);
    }
    default:
      throw new TokenizerFormatError(`unsupported normalizer '${String(spec.type)}'`);
  }
}

function preTokenizer(spec: unknown, byteLevel: { used: boolean }): PreTokenize {
  if (spec === null || spec === undefined) return (p) => p;
  if (!isObject(spec)) throw new TokenizerFormatError('pre_tokenizer is not an object');
  switch (spec.type) {
    case 'ByteLevel': {
      byteLevel.used = true;
      const useRegex = spec.use_regex !== false;
      const prefix = spec.add_prefix_space === true;
      return (pieces) =>
        pieces.flatMap((p) => (useRegex ? (prefix && !p.startsWith(' ') ? ' ' + p : p).match(GPT2_SPLIT) ?? [] : [p])).map(toByteLevel);
    }
    case 'Split': {
      const regex = regexOf(spec.pattern);
      const behaviour = String(spec.behavior ?? 'Isolated');
      return (pieces) => pieces.flatMap((p) => split(p, regex, behaviour, spec.invert === true));
    }
    case 'Digits': {
      const regex = spec.individual_digits === true ? /\p{N}/gu : /\p{N}+/gu;
      return (pieces) => pieces.flatMap((p) => split(p, regex, 'Isolated', false));
    }
    case 'Metaspace': {
      const replacement = typeof spec.replacement === 'string' ? spec.replacement : '▁';
      const prepend = spec.prepend_scheme !== 'never' && spec.add_prefix_space !== false;
      return (pieces) =>
        pieces.flatMap((p, i) => {
          const text = (prepend && (i === 0 || spec.prepend_scheme !== 'first') && !p.startsWith(' ') ? ' ' + p : p).replaceAll(' ', replacement);
          return spec.split === false ? [text] : split(text, new RegExp(`${replacement}[^${replacement}]*`, 'gu'), 'Isolated', false);
        });
    }
    case 'Sequence': {
      const steps = (Array.isArray(spec.pretokenizers) ? spec.pretokenizers : []).map((s) => preTokenizer(s, byteLevel));
      return (pieces) => steps.reduce((acc, step) => step(acc), pieces);
    }
    default:
      throw new TokenizerFormatError(`unsupported pre_tokenizer '${String(spec.type)}'`);
  }
}

/** A BPE model: merge ranks, and a count of the symbols one word becomes. */
function bpeCounter(model: Json, byteLevel: boolean): (word: string) => number {
  if (model.type !== 'BPE' || !isObject(model.vocab) || !Array.isArray(model.merges)) {
    throw new TokenizerFormatError(`unsupported model '${String(model.type)}': only BPE tokenizers are counted`);
  }
  const vocab = model.vocab;
  const ranks = new Map<string, number>();
  model.merges.forEach((merge, rank) => {
    const pair = typeof merge === 'string' ? merge.split(' ') : (merge as string[]);
    if (pair.length === 2) ranks.set(`${pair[0]} ${pair[1]}`, rank);
  });
  const byteFallback = model.byte_fallback === true && !byteLevel;
  const ignoreMerges = model.ignore_merges === true;
  const cache = new Map<string, number>();

  return (word) => {
    const known = cache.get(word);
    if (known !== undefined) return known;
    if (ignoreMerges && word in vocab) return 1;
    let symbols = [...word];
    while (symbols.length > 1) {
      let best = -1;
      let bestRank = Infinity;
      for (let i = 0; i < symbols.length - 1; i++) {
        const rank = ranks.get(`${symbols[i]} ${symbols[i + 1]}`);
        if (rank !== undefined && rank < bestRank) {
          bestRank = rank;
          best = i;
        }
      }
      if (best < 0) break;
      symbols = [...symbols.slice(0, best), symbols[best]! + symbols[best + 1]!, ...symbols.slice(best + 2)];
    }
    // A symbol outside the vocabulary is one `<0xNN>` token per UTF-8 byte with byte fallback, else one unknown token.
    const count = symbols.reduce((n, s) => n + (byteFallback && !(s in vocab) ? encoder.encode(s).length : 1), 0);
    if (cache.size < 50_000) cache.set(word, count);
    return count;
  };
}

/** A token counter from the text of a `tokenizer.json`; TokenizerFormatError for what it cannot read. */
export function tokenizerFromJson(text: string): (text: string) => number {
  let spec: unknown;
  try {
    spec = JSON.parse(text);
  } catch {
    throw new TokenizerFormatError('not JSON');
  }
  if (!isObject(spec) || !isObject(spec.model)) throw new TokenizerFormatError('no `model` object');
  const normalize = normalizer(spec.normalizer);
  const byteLevel = { used: false };
  const preTokenize = preTokenizer(spec.pre_tokenizer, byteLevel);
  const countWord = bpeCounter(spec.model, byteLevel.used);
  const added = (Array.isArray(spec.added_tokens) ? spec.added_tokens : [])
    .map((t) => (isObject(t) && typeof t.content === 'string' ? t.content : ''))
    .filter((c) => c !== '')
    .sort((a, b) => b.length - a.length);
  const addedRegex = added.length > 0 ? new RegExp(added.map((c) => c.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')).join('|'), 'gu') : null;
  const addedSet = new Set(added);

  return (input) => {
    const segments = addedRegex ? split(input, addedRegex, 'Isolated', false) : [input];
    let count = 0;
    for (const segment of segments) {
      if (addedSet.has(segment)) {
        count++;
        continue;
      }
      for (const piece of preTokenize([normalize(segment)])) if (piece !== '') count += countWord(piece);
    }
    return count;
  };
}
