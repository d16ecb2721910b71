// The fast CSV/TSV reader against papaparse (the same file with one header name quoted goes through papaparse), and
// its number parser against Number(): same tables, same errors, across chunk boundaries and line endings.
import fc from 'fast-check';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { fastNumber } from './delimited-bytes.js';
import { type ColumnRequest, parseNumber, type RawTable, readTable } from './read-table.js';

const made: string[] = [];
afterEach(() => {
  for (const dir of made.splice(0)) fs.rmSync(dir, { recursive: true, force: true });
});

function tempFile(name: string, content: string | Buffer): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'mc-read-table-'));
  made.push(dir);
  const file = path.join(dir, name);
  fs.writeFileSync(file, content);
  return file;
}

/** The table, or the error message: what a user sees either way. */
async function read(file: string, request: ColumnRequest, maxRows = 1_000_000): Promise<RawTable | string> {
  try {
    return await readTable(file, path.basename(file), request, { maxRows, used: 0 });
  } catch (error) {
    return (error as Error).message;
  }
}

const bytes = (text: string) => Buffer.from(text, 'utf8');

describe('fastNumber', () => {
  it('reads the plain numbers of real data files, exactly as Number() does', () => {
    for (const text of ['0', '255', '0.123', '-1.5e3', '+7', '1.', '.5', '  42\t', '007', '-0', '1e22', '123456789012345']) {
      const value = fastNumber(bytes(text), 0, text.length);
      expect(Object.is(value, Number(text.trim())), text).toBe(true);
    }
  });

  it('declines what it cannot read exactly and never disagrees with Number()', () => {
    for (const text of ['', ' ', 'abc', '1e', '.', '-', '1.2.3', '0x10', 'Infinity', '1e400', '1234567890123456789', '١٢']) {
      expect(Number.isNaN(fastNumber(bytes(text), 0, Buffer.byteLength(text))), text).toBe(true);
    }
    const numberText = fc.oneof(
      fc.double({ noNaN: true, noDefaultInfinity: true }).map(String),
      fc.tuple(fc.integer({ min: -1e9, max: 1e9 }), fc.integer({ min: 0, max: 12 })).map(([n, d]) => (n / 10 ** d).toFixed(d)),
      fc.stringMatching(/^[ ]?[+-]?[0-9]{0,18}(\.[0-9]{0,18})?([eE][+-]?[0-9]{1,3})?[ ]?$/),
    );
    fc.assert(
      fc.property(numberText, (text) => {
        const value = fastNumber(bytes(text), 0, text.length);
        if (Number.isNaN(value)) return;
        expect(parseNumber(text.trim())).not.toBeNull();
        expect(Object.is(value, Number(text.trim()))).toBe(true);
      }),
      { numRuns: 3000 },
    );
  });
});

/** The same table through papaparse: quoting the first header name changes nothing but the reader. */
function quotedTwin(csv: string): string {
  const bom = csv.startsWith('\uFEFF') ? '\uFEFF' : '';
  return bom + '"' + csv.slice(bom.length).replace(/^([^,\t\r\n]*)/, '$1"');
}

describe('readTable on CSV and TSV', () => {
  it('reads every unquoted table exactly as papaparse does, errors included', async () => {
    const cell = fc.oneof(
      fc.integer({ min: -500, max: 500 }).map(String),
      fc.double({ min: -1e6, max: 1e6, noNaN: true }).map((v) => String(v)),
      fc.constantFrom('', ' ', 'red', ' blue ', '1e3', 'N/A', 'ünï', '3.', '-0'),
    );
    const table = fc.record({
      delimiter: fc.constantFrom(',', '\t'),
      newline: fc.constantFrom('\n', '\r\n'),
      bom: fc.boolean(),
      trailingNewline: fc.boolean(),
      rows: fc.array(fc.tuple(cell, cell, fc.constantFrom('a', 'b', ' 1.0', '2')), { minLength: 1, maxLength: 12 }),
      blankAfter: fc.array(fc.nat(12), { maxLength: 3 }),
      shortRow: fc.option(fc.nat(12)),
      imputable: fc.boolean(),
      labelKind: fc.constantFrom('class' as const, 'number' as const),
    });
    await fc.assert(
      fc.asyncProperty(table, async (t) => {
        const lines = [['x', 'y', 'label'].join(t.delimiter)];
        t.rows.forEach((r, i) => {
          lines.push(t.shortRow === i ? r.slice(0, 2).join(t.delimiter) : r.join(t.delimiter));
          if (t.blankAfter.includes(i)) lines.push('');
        });
        const csv = (t.bom ? '\uFEFF' : '') + lines.join(t.newline) + (t.trailingNewline ? t.newline : '');
        const name = t.delimiter === ',' ? 'd.csv' : 'd.tsv';
        const request: ColumnRequest = { label: 'label', labelKind: t.labelKind, features: null, ...(t.imputable ? { imputable: 'all' as const } : {}) };
        const fast = await read(tempFile(name, csv), request);
        const papa = await read(tempFile(name, quotedTwin(csv)), request);
        expect(fast).toEqual(papa);
      }),
      { numRuns: 150 },
    );
  });

  it('reads rows across chunk boundaries and a row longer than a chunk, with the right line numbers', async () => {
    const rows = ['a,pad,label'];
    const longRow = 40_000;
    for (let i = 0; i < 120_000; i++) rows.push(i === longRow ? `${i},${'z'.repeat(9 * 1024 * 1024)},b` : `${i}.25,${'p'.repeat(60)},${i % 2 ? 'a' : 'b'}`);
    rows.push(',pad,a'); // line 120,002: a missing value after ~16 MB
    const file = tempFile('big.csv', rows.join('\n') + '\n');
    const error = await read(file, { label: 'label', labelKind: 'class', features: ['a'] });
    expect(error).toBe('big.csv line 120002, column "a": missing value');
    rows.pop();
    fs.writeFileSync(file, rows.join('\n'));
    const table = (await read(file, { label: 'label', labelKind: 'class', features: ['a'] })) as RawTable;
    expect(table.rowCount).toBe(120_000);
    expect(table.featureValues[0]![longRow]).toBe(longRow);
    expect(table.featureValues[0]![119_999]).toBe(119_999.25);
    expect(table.lines[119_999]).toBe(120_001);
    expect(table.labelValues.slice(0, 3)).toEqual(['b', 'a', 'b']);
  });

  it('hands a file to papaparse from the start when a quote appears late, counting each row once', async () => {
    const rows = ['x,note,label'];
    for (let i = 0; i < 200_000; i++) rows.push(`${i},plain,${i % 2 ? 'a' : 'b'}`);
    rows.push('7,"two\nlines",a');
    const file = tempFile('late.csv', rows.join('\n') + '\n');
    const request: ColumnRequest = { label: 'label', labelKind: 'class', features: ['x', 'note'] };
    const table = (await read(file, request, 200_001)) as RawTable;
    expect(table.rowCount).toBe(200_001);
    expect(table.featureValues[1]![200_000]).toBe('two\nlines');
    expect(table.lines[200_000]).toBe(200_002);
  });

  it('leaves old Mac line endings (a lone CR) to papaparse', async () => {
    const table = (await read(tempFile('mac.csv', 'x,label\r1,a\r2,b\r'), { label: 'label', labelKind: 'class', features: null })) as RawTable;
    expect(table.featureValues).toEqual([[1, 2]]);
    expect(table.labelValues).toEqual(['a', 'b']);
  });
});
