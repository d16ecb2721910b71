// Quantized weights decoded by tfjs's own loader (tf.io.decodeWeights) come back within the precision promised;
// float16 bit patterns checked against IEEE 754 half-precision values; CSV cells escaped for spreadsheets.
import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import { describe, expect, it } from 'vitest';
import { csvCell } from './runs-csv.js';
import { float32ToFloat16, quantizeWeights, type WeightSpec } from './quantize-weights.js';

const specs: WeightSpec[] = [
  { name: 'dense/kernel', shape: [3, 4], dtype: 'float32' },
  { name: 'dense/bias', shape: [4], dtype: 'float32' },
  { name: 'step', shape: [], dtype: 'int32' },
];
const kernel = Float32Array.from({ length: 12 }, (_, i) => Math.sin(i * 1.7) * 3);
const bias = Float32Array.from([0.5, 0.5, 0.5, 0.5]); // constant: scale must not be 0
const bytes = new Uint8Array([...new Uint8Array(kernel.buffer), ...new Uint8Array(bias.buffer), ...new Uint8Array(Int32Array.from([42]).buffer)]);

async function decoded(to: 'float16' | 'uint8') {
  const q = quantizeWeights(specs, bytes, to);
  const buffer = q.data.buffer.slice(q.data.byteOffset, q.data.byteOffset + q.data.byteLength) as ArrayBuffer;
  const tensors = tf.io.decodeWeights(buffer, q.specs as tf.io.WeightsManifestEntry[]);
  return { q, values: Object.fromEntries(await Promise.all(Object.entries(tensors).map(async ([k, t]) => [k, Array.from(await t.data())] as const))) };
}

describe('weight quantization', () => {
  it('float16 bit patterns are IEEE half floats, rounded to nearest even', () => {
    const cases: [number, number][] = [
      [0, 0x0000], [-0, 0x8000], [1, 0x3c00], [-2, 0xc000], [0.1, 0x2e66], [65504, 0x7bff], [70000, 0x7c00],
      [-Infinity, 0xfc00], [2 ** -24, 0x0001], [2 ** -26, 0x0000], [6.103515625e-5, 0x0400], [1 + 2 ** -11, 0x3c00], [1 + 3 * 2 ** -11, 0x3c02],
    ];
    for (const [v, bits] of cases) expect(float32ToFloat16(v).toString(16), String(v)).toBe(bits.toString(16));
    expect(float32ToFloat16(NaN) & 0x7c00).toBe(0x7c00);
    expect(float32ToFloat16(NaN) & 0x3ff).not.toBe(0);
  });

  it('float16: half the bytes, each weight within 2^-11 relative as tfjs decodes it; int32 weights pass through', async () => {
    const { q, values } = await decoded('float16');
    expect(q.data.length).toBe(12 * 2 + 4 * 2 + 4);
    expect(q.specs.map((s) => s.quantization?.dtype ?? null)).toEqual(['float16', 'float16', null]);
    kernel.forEach((v, i) => expect(Math.abs(values['dense/kernel']![i]! - v)).toBeLessThanOrEqual(Math.abs(v) * 2 ** -11));
    expect(values['dense/bias']).toEqual([0.5, 0.5, 0.5, 0.5]);
    expect(values.step).toEqual([42]);
  });

  it('uint8: a quarter of the bytes, min and scale per tensor, each weight within scale/2 as tfjs decodes it', async () => {
    const { q, values } = await decoded('uint8');
    expect(q.data.length).toBe(12 + 4 + 4);
    const k = q.specs[0]!.quantization!;
    expect(k.dtype).toBe('uint8');
    expect(k.min).toBeCloseTo(Math.min(...kernel), 6);
    expect(k.scale).toBeCloseTo((Math.max(...kernel) - Math.min(...kernel)) / 255, 6);
    kernel.forEach((v, i) => expect(Math.abs(values['dense/kernel']![i]! - v)).toBeLessThanOrEqual(k.scale! / 2 + 1e-6));
    expect(values['dense/bias']).toEqual([0.5, 0.5, 0.5, 0.5]);
    expect(values.step).toEqual([42]);
  });

  it('refuses weights that end early or are quantized already, naming the weight', () => {
    expect(() => quantizeWeights(specs, bytes.subarray(0, 56), 'uint8')).toThrow(/weights\.bin ends inside weight dense\/bias/);
    const once = quantizeWeights(specs, bytes, 'uint8');
    expect(() => quantizeWeights(once.specs, once.data, 'float16')).toThrow(/dense\/kernel is already quantized \(uint8\)/);
  });
});

describe('CSV cells', () => {
  it('quotes commas, quotes and newlines, and defuses spreadsheet formulas', () => {
    expect([csvCell('a,b'), csvCell('say "hi"'), csvCell('two\nlines'), csvCell(null), csvCell(0.5), csvCell(true)]).toEqual(['"a,b"', '"say ""hi"""', '"two\nlines"', '', '0.5', 'true']);
    expect([csvCell('=HYPERLINK("x")'), csvCell('+1'), csvCell('@sum'), csvCell('-2')]).toEqual(['"\'=HYPERLINK(""x"")"', "'+1", "'@sum", "'-2"]);
  });
});
