// Byte-level pieces of the fast CSV/TSV reader (read-table.ts): splitting an unquoted row into field spans and
// reading a plain decimal number straight from its bytes, exactly as `Number(text)` would.

/** Not a number this fast path can read exactly (the caller decodes the text and decides). */
export const NOT_FAST = Number.NaN;

/** Exact powers of ten: every 10^k for k ≤ 22 is a double, so m / 10^k and m × 10^k are correctly rounded. */
const POWERS = Array.from({ length: 23 }, (_, k) => 10 ** k);

/** ASCII whitespace that String.prototype.trim removes: space, tab, vertical tab, form feed (CR and LF end rows). */
function isBlank(byte: number): boolean {
  return byte === 32 || byte === 9 || byte === 11 || byte === 12;
}

/**
 * The number the bytes [start, end) spell (surrounding ASCII blanks ignored) when they are a plain decimal number
 * of at most 15 significant digits and a power-of-ten scale within ±22 — the case where one IEEE multiplication or
 * division of two exact doubles gives the correctly rounded value, i.e. exactly what `Number(text)` returns.
 * Otherwise NOT_FAST (text, an empty field, non-ASCII bytes, or a number that needs the full algorithm).
 */
export function fastNumber(buf: Uint8Array, start: number, end: number): number {
  while (start < end && isBlank(buf[start]!)) start++;
  while (end > start && isBlank(buf[end - 1]!)) end--;
  if (start === end) return NOT_FAST;
  let p = start;
  let negative = false;
  const sign = buf[p]!;
  if (sign === 45 /* - */ || sign === 43 /* + */) {
    negative = sign === 45;
    p++;
  }
  let mantissa = 0;
  let significant = 0; // digits after the leading zeros
  let digits = 0;
  let scale = 0; // the power of ten the mantissa is multiplied by
  let byte: number;
  while (p < end && (byte = buf[p]!) >= 48 && byte <= 57) {
    if (significant > 0 || byte !== 48) {
      mantissa = mantissa * 10 + (byte - 48);
      significant++;
    }
    digits++;
    p++;
  }
  if (p < end && buf[p] === 46 /* . */) {
    p++;
    while (p < end && (byte = buf[p]!) >= 48 && byte <= 57) {
      if (significant > 0 || byte !== 48) {
        mantissa = mantissa * 10 + (byte - 48);
        significant++;
      }
      scale--;
      digits++;
      p++;
    }
  }
  if (digits === 0) return NOT_FAST;
  if (p < end && (buf[p] === 101 || buf[p] === 69) /* e E */) {
    p++;
    let exponentNegative = false;
    if (p < end && (buf[p] === 45 || buf[p] === 43)) {
      exponentNegative = buf[p] === 45;
      p++;
    }
    let exponent = 0;
    let exponentDigits = 0;
    while (p < end && (byte = buf[p]!) >= 48 && byte <= 57) {
      if (exponent < 10_000) exponent = exponent * 10 + (byte - 48);
      exponentDigits++;
      p++;
    }
    if (exponentDigits === 0) return NOT_FAST;
    scale += exponentNegative ? -exponent : exponent;
  }
  if (p !== end || significant > 15) return NOT_FAST;
  let value: number;
  if (mantissa === 0) value = 0;
  else if (scale === 0) value = mantissa;
  else if (scale < 0 && scale >= -22) value = mantissa / POWERS[-scale]!;
  else if (scale > 0 && scale <= 22) value = mantissa * POWERS[scale]!;
  else return NOT_FAST;
  return negative ? -value : value;
}

/**
 * Splits the row [start, end) (its line ending already cut off) at `delimiter` into `spans`; returns the field
 * count, or -1 when the row holds a CR (a lone CR ends a line for papaparse, so such a file is left to it).
 */
export function splitFields(buf: Uint8Array, start: number, end: number, delimiter: number, spans: FieldSpans): number {
  let count = 0;
  let fieldStart = start;
  for (let p = start; p < end; p++) {
    const byte = buf[p];
    if (byte === delimiter) {
      spans.set(count++, fieldStart, p);
      fieldStart = p + 1;
    } else if (byte === 13) return -1;
  }
  spans.set(count++, fieldStart, end);
  return count;
}

/** Reusable field boundaries of one row. */
export class FieldSpans {
  starts = new Int32Array(1024);
  ends = new Int32Array(1024);

  set(i: number, start: number, end: number): void {
    if (i >= this.starts.length) {
      const starts = new Int32Array(this.starts.length * 2);
      const ends = new Int32Array(this.ends.length * 2);
      starts.set(this.starts);
      ends.set(this.ends);
      this.starts = starts;
      this.ends = ends;
    }
    this.starts[i] = start;
    this.ends[i] = end;
  }
}
