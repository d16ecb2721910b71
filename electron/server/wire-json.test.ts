import { describe, expect, it } from 'vitest';
import { browserBase64, wireJson } from '../../shared/wire-json.js';
import { nodeBase64 } from './node-base64.js';

describe('typed arrays over JSON', () => {
  it('a browser-encoded message decodes on Node to the same typed arrays, and back', () => {
    const floats = Float32Array.from({ length: 1001 }, (_, i) => Math.sin(i) * 1e3);
    const bytes = Uint8Array.from({ length: 77 }, (_, i) => (i * 37) % 256);
    const message = { data: { xTrain: floats, n: 3, labels: ['a', 'b'] }, checkpoint: { weightData: bytes }, plain: [1.5, 2] };
    const onNode = wireJson(nodeBase64).parse(wireJson(browserBase64).stringify(message)) as typeof message;
    expect(onNode.data.xTrain).toBeInstanceOf(Float32Array);
    expect(Array.from(onNode.data.xTrain)).toEqual(Array.from(floats));
    expect(onNode.checkpoint.weightData).toBeInstanceOf(Uint8Array);
    expect(Array.from(onNode.checkpoint.weightData)).toEqual(Array.from(bytes));
    expect(onNode.plain).toEqual([1.5, 2]);
    const back = wireJson(browserBase64).parse(wireJson(nodeBase64).stringify(onNode)) as typeof message;
    expect(Array.from(back.data.xTrain)).toEqual(Array.from(floats));
  });

  it('keeps a float array that is a view into a larger buffer, and is far smaller than decimal JSON', () => {
    const big = Float32Array.from({ length: 5000 }, () => Math.random());
    const view = big.subarray(3, 4003);
    const text = wireJson(nodeBase64).stringify({ view });
    expect(Array.from((wireJson(nodeBase64).parse(text) as { view: Float32Array }).view)).toEqual(Array.from(view));
    expect(text.length).toBeLessThan(JSON.stringify(Array.from(view)).length / 2);
  });

  it('leaves ordinary objects that merely look similar alone, and refuses a float array of odd length', () => {
    const lookalike = { $typed: 'float32', base64: 'AAAA', extra: 1 };
    expect(wireJson(nodeBase64).parse(JSON.stringify(lookalike))).toEqual(lookalike);
    expect(() => wireJson(nodeBase64).parse(JSON.stringify({ $typed: 'float32', base64: 'AAA=' }))).toThrow(/multiple of 4 bytes/);
  });
});
