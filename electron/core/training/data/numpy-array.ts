// NumPy's .npy format (format versions 1–3) and .npz archives of them, read strictly: little-endian numbers and
// booleans (and fixed-width unicode text), C order only, the header's shape checked against the bytes and against
// a size limit before anything is allocated. Object arrays (pickled Python) are never read.
import { unzipSync } from 'fflate';
import { AppError } from '../../app-error.js';

/** A decoded array: numbers (booleans as 0/1) or texts, row-major, `shape[0]` rows. */
export interface NdArray {
  readonly shape: readonly number[];
  readonly values: ArrayLike<number> | readonly string[];
}

export interface ArrayLimits {
  /** Most elements of one array. */
  readonly maxElements: number;
  /** Most bytes of an array's data (an .npz entry: its uncompressed size). */
  readonly maxBytes: number;
}

const MAGIC = [0x93, 0x4e, 0x55, 0x4d, 0x50, 0x59]; // \x93NUMPY

type Kind = { type: 'f' | 'i' | 'u' | 'b'; size: number } | { type: 'U'; size: number };

/** Parses one .npy file's bytes; `where` names it in messages ("data.npz: x_train.npy"). */
export function parseNpy(bytes: Uint8Array, where: string, limits: ArrayLimits): NdArray {
  const { kind, shape, dataStart } = parseNpyHeader(bytes, where, limits);
  const count = shape.reduce((a, b) => a * b, 1);
  const need = count * kind.size;
  const have = bytes.length - dataStart;
  if (have !== need) {
    throw new AppError('training', `${where}: the header's shape (${shape.join(', ')}) needs ${need} bytes of data, the file has ${have}`);
  }
  const view = new DataView(bytes.buffer, bytes.byteOffset + dataStart, need);
  if (kind.type === 'U') {
    const chars = kind.size / 4;
    const texts: string[] = new Array<string>(count);
    for (let i = 0; i < count; i++) {
      let text = '';
      for (let c = 0; c < chars; c++) {
        const code = view.getUint32((i * chars + c) * 4, true);
        if (code === 0) break;
        text += String.fromCodePoint(code);
      }
      texts[i] = text;
    }
    return { shape, values: texts };
  }
  const { type, size } = kind;
  // The narrowest array that holds the type exactly (an MNIST uint8 image set stays one byte a pixel).
  if (type === 'f') {
    const values = size === 4 ? new Float32Array(count) : new Float64Array(count);
    for (let i = 0; i < count; i++) values[i] = size === 4 ? view.getFloat32(i * 4, true) : view.getFloat64(i * 8, true);
    return { shape, values };
  }
  if (type === 'b') {
    const values = new Uint8Array(count);
    for (let i = 0; i < count; i++) values[i] = view.getUint8(i) === 0 ? 0 : 1;
    return { shape, values };
  }
  const values = integerArray(type, size, count);
  for (let i = 0; i < count; i++) values[i] = readInteger(view, i * size, type, size);
  return { shape, values };
}

function integerArray(type: 'i' | 'u', size: number, count: number): Int8Array | Uint8Array | Int16Array | Uint16Array | Int32Array | Uint32Array | Float64Array {
  if (size === 1) return type === 'i' ? new Int8Array(count) : new Uint8Array(count);
  if (size === 2) return type === 'i' ? new Int16Array(count) : new Uint16Array(count);
  if (size === 4) return type === 'i' ? new Int32Array(count) : new Uint32Array(count);
  return new Float64Array(count); // 64-bit integers as doubles (exact up to 2^53)
}

function readInteger(view: DataView, at: number, type: 'i' | 'u', size: number): number {
  switch (size) {
    case 1:
      return type === 'i' ? view.getInt8(at) : view.getUint8(at);
    case 2:
      return type === 'i' ? view.getInt16(at, true) : view.getUint16(at, true);
    case 4:
      return type === 'i' ? view.getInt32(at, true) : view.getUint32(at, true);
    default:
      return Number(type === 'i' ? view.getBigInt64(at, true) : view.getBigUint64(at, true));
  }
}

/** The header alone: dtype, shape (checked against the limits) and where the data starts. */
export function parseNpyHeader(bytes: Uint8Array, where: string, limits: ArrayLimits): { kind: Kind; shape: number[]; dataStart: number } {
  if (bytes.length < 10 || MAGIC.some((b, i) => bytes[i] !== b)) throw new AppError('training', `${where}: not a NumPy .npy file (no \\x93NUMPY magic)`);
  const major = bytes[6]!;
  if (major < 1 || major > 3) throw new AppError('training', `${where}: NumPy format version ${major}.${bytes[7]} is not supported (1 to 3 are)`);
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.length);
  const headerLength = major === 1 ? view.getUint16(8, true) : bytes.length >= 12 ? view.getUint32(8, true) : -1;
  const headerStart = major === 1 ? 10 : 12;
  if (headerLength < 0 || headerStart + headerLength > bytes.length) throw new AppError('training', `${where}: the .npy header is cut off`);
  const header = new TextDecoder(major === 3 ? 'utf-8' : 'latin1').decode(bytes.subarray(headerStart, headerStart + headerLength)).trim();
  const descr = /'descr'\s*:\s*'([^']*)'/.exec(header)?.[1];
  const fortran = /'fortran_order'\s*:\s*(True|False)/.exec(header)?.[1];
  const shapeText = /'shape'\s*:\s*\(([^)]*)\)/.exec(header)?.[1];
  if (!header.startsWith('{') || descr === undefined || fortran === undefined || shapeText === undefined) {
    throw new AppError('training', `${where}: the .npy header is not a dict with descr, fortran_order and shape (it reads ${JSON.stringify(header.slice(0, 80))})`);
  }
  if (fortran === 'True') throw new AppError('training', `${where}: the array is in Fortran order; save it in C order (np.ascontiguousarray) to use it`);
  const kind = kindOf(descr, where);
  const parts = shapeText.split(',').map((s) => s.trim()).filter((s) => s !== '');
  if (!parts.every((s) => /^\d+$/.test(s))) throw new AppError('training', `${where}: the shape (${shapeText}) is not a list of sizes`);
  const shape = parts.map(Number);
  checkElements(shape, kind.size, where, limits);
  return { kind, shape, dataStart: headerStart + headerLength };
}

function kindOf(descr: string, where: string): Kind {
  const m = /^([<>|=])([fiubU])(\d+)$/.exec(descr);
  if (m) {
    const [, order, type, digits] = m;
    const n = Number(digits);
    const size = type === 'U' ? n * 4 : n;
    const oneByte = size === 1;
    const orderOk = order === '<' || (oneByte && order === '|') || (type === 'b' && order === '|');
    const sizeOk =
      (type === 'f' && (n === 4 || n === 8)) || ((type === 'i' || type === 'u') && [1, 2, 4, 8].includes(n)) || (type === 'b' && n === 1) || (type === 'U' && n >= 1);
    if (orderOk && sizeOk) return { type: type as Kind['type'], size } as Kind;
    if (!orderOk && order === '>') throw new AppError('training', `${where}: dtype ${descr} is big-endian; save it little-endian (astype('<${type}${n}'))`);
  }
  if (descr === '|O') throw new AppError('training', `${where}: an object array (pickled Python objects) is never read; save numbers or fixed-width text`);
  throw new AppError('training', `${where}: dtype "${descr}" is not supported (float32/64, int8–64, uint8–64, bool, fixed-width unicode text are)`);
}

/** Refuses a shape with more elements (or bytes) than the limits, before any allocation. */
export function checkElements(shape: readonly number[], itemSize: number, where: string, limits: ArrayLimits): number {
  const count = shape.reduce((a, b) => a * b, 1);
  if (count > limits.maxElements || count * itemSize > limits.maxBytes) {
    throw new AppError(
      'training',
      `${where}: shape (${shape.join(', ')}) is ${count.toExponential(2)} elements (${count * itemSize} bytes), over the limit of ${limits.maxElements.toLocaleString('en')} elements and ${limits.maxBytes} bytes`,
    );
  }
  return count;
}

/** Every array of an .npz archive, by name (the entry name without .npy); entries are size-checked before inflating. */
export function parseNpz(bytes: Uint8Array, where: string, limits: ArrayLimits): Map<string, NdArray> {
  let entries: Record<string, Uint8Array>;
  const tooBig: string[] = [];
  try {
    entries = unzipSync(bytes, {
      filter: (info) => {
        if (!info.name.endsWith('.npy')) return false;
        if (info.originalSize > limits.maxBytes) {
          tooBig.push(`${info.name} (${info.originalSize} bytes)`);
          return false;
        }
        return true;
      },
    });
  } catch (error) {
    throw new AppError('training', `${where}: not a readable .npz (zip) archive: ${error instanceof Error ? error.message : String(error)}`);
  }
  if (tooBig.length) throw new AppError('training', `${where}: ${tooBig.join(', ')} is over the data limit of ${limits.maxBytes} bytes`);
  const arrays = new Map<string, NdArray>();
  for (const [name, data] of Object.entries(entries).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))) {
    arrays.set(name.slice(0, -4), parseNpy(data, `${where}: ${name}`, limits));
  }
  if (arrays.size === 0) throw new AppError('training', `${where}: the archive holds no .npy arrays`);
  return arrays;
}
