// A run's curves as a TensorBoard event file (`tensorboard --logdir <folder>` opens it): TFRecord framing around
// tensorflow.Event protobufs — a first event with file_version "brain.Event:2", then one scalar event per value.
import { crc32c } from '@node-rs/crc32';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Run } from '../../../shared/contract.js';
import { ProtobufWriter } from './protobuf-writer.js';

/** A scalar on TensorBoard's chart `tag` at `step`. */
export interface Scalar {
  readonly tag: string;
  readonly step: number;
  readonly value: number;
  readonly wallTime: number;
}

// tensorflow/core/util/event.proto and summary.proto field numbers.
const EVENT_WALL_TIME = 1;
const EVENT_STEP = 2;
const EVENT_FILE_VERSION = 3;
const EVENT_SUMMARY = 5;
const SUMMARY_VALUE = 1;
const VALUE_TAG = 1;
const VALUE_SIMPLE_VALUE = 2;

/** TFRecord's masked CRC32C: a stored CRC of data that holds CRCs stays distinguishable from them. */
export function maskedCrc32c(bytes: Uint8Array): number {
  const crc = crc32c(Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength)) >>> 0;
  return ((((crc >>> 15) | (crc << 17)) >>> 0) + 0xa282ead8) >>> 0;
}

/** One TFRecord: uint64 length, masked CRC of those 8 bytes, the data, masked CRC of the data (all little-endian). */
export function tfRecord(data: Uint8Array): Uint8Array {
  const out = new Uint8Array(8 + 4 + data.length + 4);
  const view = new DataView(out.buffer);
  view.setBigUint64(0, BigInt(data.length), true);
  view.setUint32(8, maskedCrc32c(out.subarray(0, 8)), true);
  out.set(data, 12);
  view.setUint32(12 + data.length, maskedCrc32c(data), true);
  return out;
}

export function fileVersionEvent(wallTime: number): Uint8Array {
  return new ProtobufWriter().doubleField(EVENT_WALL_TIME, wallTime).uint64Field(EVENT_STEP, 0).stringField(EVENT_FILE_VERSION, 'brain.Event:2').finish();
}

export function scalarEvent(s: Scalar): Uint8Array {
  const value = new ProtobufWriter().stringField(VALUE_TAG, s.tag).floatField(VALUE_SIMPLE_VALUE, s.value).finish();
  const summary = new ProtobufWriter().bytesField(SUMMARY_VALUE, value).finish();
  return new ProtobufWriter().doubleField(EVENT_WALL_TIME, s.wallTime).uint64Field(EVENT_STEP, s.step).bytesField(EVENT_SUMMARY, summary).finish();
}

/**
 * The run's scalars: per epoch, the training loss, the validation loss and validation metrics; at the last epoch,
 * the test metrics. Epochs carry no time of their own, so each gets the start time plus its share of the run's
 * seconds (the start time alone when the run has none).
 */
export function runScalars(run: Run): Scalar[] {
  const start = Date.parse(run.startedAt) / 1000;
  const epochs = run.history.length;
  const at = (epoch: number) => start + (run.seconds && epochs ? (run.seconds * epoch) / epochs : 0);
  const scalars: Scalar[] = [];
  for (const r of run.history) {
    scalars.push({ tag: 'train/loss', step: r.epoch, value: r.loss, wallTime: at(r.epoch) });
    if (r.valLoss !== null) scalars.push({ tag: 'validation/loss', step: r.epoch, value: r.valLoss, wallTime: at(r.epoch) });
    for (const [k, v] of Object.entries(r.metrics)) scalars.push({ tag: `validation/${k}`, step: r.epoch, value: v, wallTime: at(r.epoch) });
    scalars.push({ tag: 'speed/samples_per_second', step: r.epoch, value: r.samplesPerSecond, wallTime: at(r.epoch) });
  }
  const last = run.history.at(-1)?.epoch ?? 0;
  for (const [k, v] of Object.entries(run.metrics ?? {})) scalars.push({ tag: `test/${k}`, step: last, value: v, wallTime: at(last) });
  return scalars;
}

/** Writes the run's event file into `dir` (TensorBoard's name pattern) and returns its path. */
export function writeTensorBoardEvents(run: Run, dir: string): { file: string; scalars: number } {
  const scalars = runScalars(run);
  const start = Date.parse(run.startedAt) / 1000;
  const records = [tfRecord(fileVersionEvent(start)), ...scalars.map((s) => tfRecord(scalarEvent(s)))];
  fs.mkdirSync(dir, { recursive: true });
  const file = path.join(dir, `events.out.tfevents.${Math.floor(start)}.${os.hostname().replace(/[^A-Za-z0-9.-]/g, '_')}.${run.id}`);
  fs.writeFileSync(file, Buffer.concat(records));
  return { file, scalars: scalars.length };
}
