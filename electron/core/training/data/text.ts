// Tokenized text for an embedding layer: `data.text` turns one text column into maxLength token ids per row, with a
// vocabulary of the training split's most frequent tokens.
import { compareText } from './encode.js';
import type { MaybeCell } from './read-table.js';

export interface TextSpec {
  readonly column: string;
  readonly maxLength: number;
  readonly vocabulary: number;
}

/** Id 0 pads a short text; id 1 stands for a token outside the vocabulary; tokens are 2 … vocabulary + 1. */
export const PAD_ID = 0;
export const UNKNOWN_ID = 1;
const FIRST_TOKEN_ID = 2;

export interface TextEncoder {
  /** The vocabulary, most frequent first: token i has id i + 2. */
  readonly tokens: string[];
  /** "review#0" … "review#<maxLength - 1>". */
  readonly featureNames: string[];
  readonly nFeatures: number;
  /** Row-major [rows, maxLength] of token ids. */
  encode(texts: readonly MaybeCell[], rows: ArrayLike<number>): Float32Array;
}

/** Lowercased runs of Unicode letters, digits and combining marks; everything else separates tokens. */
export function tokenize(text: string): string[] {
  return text.toLowerCase().split(/[^\p{L}\p{N}\p{M}]+/u).filter((t) => t !== '');
}

/**
 * The `spec.vocabulary` most frequent tokens of the training rows (ties in code-unit order, so the result does not
 * depend on row order); texts are cut to their first maxLength tokens and padded at the end.
 */
export function fitTextEncoder(spec: TextSpec, texts: readonly MaybeCell[], trainRows: ArrayLike<number>): TextEncoder {
  const counts = new Map<string, number>();
  for (let r = 0; r < trainRows.length; r++) {
    for (const token of tokenize(String(texts[trainRows[r]!] ?? ''))) counts.set(token, (counts.get(token) ?? 0) + 1);
  }
  const tokens = [...counts.keys()]
    .sort((a, b) => counts.get(b)! - counts.get(a)! || compareText(a, b))
    .slice(0, spec.vocabulary);
  const ids = new Map(tokens.map((t, i) => [t, i + FIRST_TOKEN_ID] as const));
  const { maxLength } = spec;
  return {
    tokens,
    featureNames: Array.from({ length: maxLength }, (_, i) => `${spec.column}#${i}`),
    nFeatures: maxLength,
    encode(values, rows) {
      const out = new Float32Array(rows.length * maxLength); // PAD_ID is 0
      for (let r = 0; r < rows.length; r++) {
        const words = tokenize(String(values[rows[r]!] ?? ''));
        const n = Math.min(words.length, maxLength);
        for (let i = 0; i < n; i++) out[r * maxLength + i] = ids.get(words[i]!) ?? UNKNOWN_ID;
      }
      return out;
    },
  };
}
