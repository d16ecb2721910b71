// The event file read back by a reader of the format written here from the spec (TFRecord framing with masked
// CRC32C, then tensorflow.Event / Summary / Summary.Value protobuf fields) — none of the writer's code is used.
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { Run } from '../../../shared/contract.js';
import { tempDir } from '../testing/git-fixtures.js';
import { ProtobufWriter } from './protobuf-writer.js';
import { writeTensorBoardEvents } from './tensorboard-events.js';

const dir = tempDir('mc-tb-');
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

// CRC-32C (Castagnoli, reflected polynomial 0x82F63B78), bit by bit: slow and obviously right.
function crc32c(bytes: Uint8Array): number {
  let crc = 0xffffffff;
  for (const b of bytes) {
    crc ^= b;
    for (let k = 0; k < 8; k++) crc = crc & 1 ? (crc >>> 1) ^ 0x82f63b78 : crc >>> 1;
  }
  return (crc ^ 0xffffffff) >>> 0;
}
const masked = (crc: number) => ((((crc >>> 15) | (crc << 17)) >>> 0) + 0xa282ead8) >>> 0;

function readRecords(file: Buffer): Uint8Array[] {
  const out: Uint8Array[] = [];
  let at = 0;
  while (at < file.length) {
    const length = Number(file.readBigUInt64LE(at));
    expect(file.readUInt32LE(at + 8), `length CRC of record ${out.length}`).toBe(masked(crc32c(file.subarray(at, at + 8))));
    const data = file.subarray(at + 12, at + 12 + length);
    expect(file.readUInt32LE(at + 12 + length), `data CRC of record ${out.length}`).toBe(masked(crc32c(data)));
    out.push(data);
    at += 12 + length + 4;
  }
  expect(at).toBe(file.length);
  return out;
}

type Field = { field: number; wire: number; value: number | bigint | Uint8Array };

function readVarint(b: Uint8Array, at: number): [bigint, number] {
  let v = 0n;
  let shift = 0n;
  for (;;) {
    const byte = b[at++]!;
    v |= BigInt(byte & 0x7f) << shift;
    if (!(byte & 0x80)) return [v, at];
    shift += 7n;
  }
}

function readFields(b: Uint8Array): Field[] {
  const fields: Field[] = [];
  const view = new DataView(b.buffer, b.byteOffset, b.byteLength);
  let at = 0;
  while (at < b.length) {
    const [key, next] = readVarint(b, at);
    at = next;
    const field = Number(key >> 3n);
    const wire = Number(key & 7n);
    if (wire === 0) {
      const [v, n] = readVarint(b, at);
      fields.push({ field, wire, value: v });
      at = n;
    } else if (wire === 1) {
      fields.push({ field, wire, value: view.getFloat64(at, true) });
      at += 8;
    } else if (wire === 5) {
      fields.push({ field, wire, value: view.getFloat32(at, true) });
      at += 4;
    } else if (wire === 2) {
      const [len, n] = readVarint(b, at);
      fields.push({ field, wire, value: b.subarray(n, n + Number(len)) });
      at = n + Number(len);
    } else throw new Error(`wire type ${wire}`);
  }
  return fields;
}

interface Event {
  wallTime: number;
  step: number;
  fileVersion?: string;
  values: { tag: string; simpleValue: number }[];
}

function decodeEvent(b: Uint8Array): Event {
  const event: Event = { wallTime: NaN, step: 0, values: [] };
  for (const f of readFields(b)) {
    if (f.field === 1 && f.wire === 1) event.wallTime = f.value as number;
    else if (f.field === 2 && f.wire === 0) event.step = Number(f.value);
    else if (f.field === 3 && f.wire === 2) event.fileVersion = new TextDecoder().decode(f.value as Uint8Array);
    else if (f.field === 5 && f.wire === 2) {
      for (const v of readFields(f.value as Uint8Array).filter((x) => x.field === 1)) {
        const parts = readFields(v.value as Uint8Array);
        event.values.push({
          tag: new TextDecoder().decode(parts.find((p) => p.field === 1)!.value as Uint8Array),
          simpleValue: parts.find((p) => p.field === 2 && p.wire === 5)!.value as number,
        });
      }
    } else throw new Error(`unexpected Event field ${f.field} (wire ${f.wire})`);
  }
  return event;
}

const run: Run = {
  id: '0b8c7e2a-1111-4222-8333-944445555666',
  projectId: 'p',
  commit: 'a'.repeat(40),
  status: 'succeeded',
  backend: 'cpu',
  device: 'cpu',
  probes: [],
  task: 'classification',
  epochs: 3,
  history: [1, 2, 3].map((epoch) => ({ epoch, loss: 1 / epoch, valLoss: 1.5 / epoch, metrics: { accuracy: 0.3 * epoch }, samplesPerSecond: 1000 + epoch })),
  metrics: { accuracy: 0.875, macroF1: 0.8 },
  labels: ['a', 'b'],
  confusionMatrix: null,
  error: null,
  startedAt: '2026-01-02T03:04:05.000Z',
  finishedAt: '2026-01-02T03:04:11.000Z',
  seconds: 6,
  samplesPerSecond: 1000,
  checkpoint: null,
  split: { train: 10, validation: 2, test: 3 },
  bestEpoch: 3,
  warnings: [],
  params: null,
  manifestHash: null,
  dataHash: null,
  seed: 7,
};

describe('TensorBoard event export', () => {
  it('the varint writer encodes as protobuf does (1 → 01, 150 → 96 01, 300 → ac 02, 2^35)', () => {
    const enc = (n: number) => Buffer.from(new ProtobufWriter().varint(n).finish()).toString('hex');
    expect([enc(0), enc(1), enc(127), enc(128), enc(150), enc(300), enc(2 ** 35)]).toEqual(['00', '01', '7f', '8001', '9601', 'ac02', '8080808080' + '01']);
    expect(() => new ProtobufWriter().varint(-1)).toThrow(/varint must be a whole number/);
  });

  it('writes TFRecords whose CRCs check, a file_version event first, then every curve point as a scalar', () => {
    const { file, scalars } = writeTensorBoardEvents(run, dir);
    expect(path.basename(file)).toMatch(/^events\.out\.tfevents\.1767323045\./);
    const events = readRecords(fs.readFileSync(file)).map(decodeEvent);
    expect(events[0]).toMatchObject({ fileVersion: 'brain.Event:2', step: 0, values: [] });
    expect(events[0]!.wallTime).toBe(Date.parse(run.startedAt) / 1000);
    expect(events).toHaveLength(1 + scalars);
    const points = events.slice(1).flatMap((e) => e.values.map((v) => ({ tag: v.tag, step: e.step, value: v.simpleValue, wallTime: e.wallTime })));
    const curve = (tag: string) => points.filter((p) => p.tag === tag).map((p) => [p.step, Number(p.value.toFixed(6))]);
    expect(curve('train/loss')).toEqual([[1, 1], [2, 0.5], [3, 0.333333]]);
    expect(curve('validation/loss')).toEqual([[1, 1.5], [2, 0.75], [3, 0.5]]);
    expect(curve('validation/accuracy')).toEqual([[1, 0.3], [2, 0.6], [3, 0.9]]);
    expect(curve('test/accuracy')).toEqual([[3, 0.875]]);
    expect(curve('test/macroF1')).toEqual([[3, 0.8]]);
    // Each epoch's time: its share of the run's 6 seconds after the start.
    expect(points.filter((p) => p.tag === 'train/loss').map((p) => p.wallTime - 1767323045)).toEqual([2, 4, 6]);
  });
});
