// MNIST's IDX format (yann.lecun.com/exdb/mnist): a 4-byte magic (0, 0, type, dimensions), the sizes as big-endian
// uint32, then the values big-endian; optionally gzip'd. The header is checked against the limits and the bytes
// before the values are read; a gzip'd file is never inflated past the byte limit.
import fs from 'node:fs';
import zlib from 'node:zlib';
import { AppError } from '../../app-error.js';
import { checkElements, type ArrayLimits, type NdArray } from './numpy-array.js';

const TYPES: Record<number, { name: string; size: number }> = {
  0x08: { name: 'uint8', size: 1 },
  0x09: { name: 'int8', size: 1 },
  0x0b: { name: 'int16', size: 2 },
  0x0c: { name: 'int32', size: 4 },
  0x0d: { name: 'float32', size: 4 },
  0x0e: { name: 'float64', size: 8 },
};

/** Reads an IDX file (gunzipped when its name ends in .gz); `file` names it in messages. */
export function readIdxFile(absPath: string, file: string, limits: ArrayLimits): NdArray {
  const raw = fs.readFileSync(absPath);
  let bytes: Buffer;
  if (file.toLowerCase().endsWith('.gz')) {
    try {
      // The header and the values are all in maxBytes (plus the largest header): a larger output is an error, not memory.
      bytes = zlib.gunzipSync(raw, { maxOutputLength: limits.maxBytes + 4 + 4 * 255 });
    } catch (error) {
      const code = (error as { code?: string }).code;
      throw new AppError(
        'training',
        code === 'ERR_BUFFER_TOO_LARGE' || error instanceof RangeError
          ? `${file}: more than ${limits.maxBytes} bytes once decompressed, over the data limit`
          : `${file}: not a readable gzip file (${error instanceof Error ? error.message : String(error)})`,
      );
    }
  } else bytes = raw;
  return parseIdx(bytes, file, limits);
}

export function parseIdx(bytes: Uint8Array, file: string, limits: ArrayLimits): NdArray {
  if (bytes.length < 4 || bytes[0] !== 0 || bytes[1] !== 0) throw new AppError('training', `${file}: not an IDX file (it does not start with two zero bytes)`);
  const type = TYPES[bytes[2]!];
  if (!type) throw new AppError('training', `${file}: unknown IDX value type 0x${bytes[2]!.toString(16).padStart(2, '0')}`);
  const dims = bytes[3]!;
  if (dims === 0) throw new AppError('training', `${file}: an IDX file with no dimensions`);
  const dataStart = 4 + 4 * dims;
  if (bytes.length < dataStart) throw new AppError('training', `${file}: the IDX header is cut off`);
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.length);
  const shape = Array.from({ length: dims }, (_, i) => view.getUint32(4 + 4 * i, false));
  const count = checkElements(shape, type.size, file, limits);
  const have = bytes.length - dataStart;
  if (have !== count * type.size) {
    throw new AppError('training', `${file}: the header's shape (${shape.join(', ')}) needs ${count * type.size} bytes of ${type.name} values, the file has ${have}`);
  }
  if (type.size === 1) {
    const values = bytes[2] === 0x08 ? new Uint8Array(count) : new Int8Array(count);
    values.set(bytes[2] === 0x08 ? bytes.subarray(dataStart) : new Int8Array(bytes.buffer, bytes.byteOffset + dataStart, count));
    return { shape, values };
  }
  const values = type.size === 2 ? new Int16Array(count) : type.name === 'int32' ? new Int32Array(count) : type.size === 4 ? new Float32Array(count) : new Float64Array(count);
  for (let i = 0; i < count; i++) {
    const at = dataStart + i * type.size;
    values[i] =
      type.name === 'int16'
        ? view.getInt16(at, false)
        : type.name === 'int32'
          ? view.getInt32(at, false)
          : type.name === 'float32'
            ? view.getFloat32(at, false)
            : view.getFloat64(at, false);
  }
  return { shape, values };
}
