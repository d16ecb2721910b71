// One object as one binary file: every typed array in it (at any depth) as raw bytes, everything else as a JSON
// header, so that loaded data round-trips whole — fields it gains later included — and is read back in one go.
//
// Layout: "MCDC" magic, u32 format, u32 header byte length, u32 checksum of the array bytes, the header (UTF-8 JSON,
// padded to 8 bytes), then each array's bytes, each padded to 8 bytes so that every view stays aligned.

const MAGIC = 0x4344434d; // "MCDC", little-endian
const PREFIX_BYTES = 16;

const typedArrays = {
  float32: Float32Array,
  float64: Float64Array,
  int8: Int8Array,
  int16: Int16Array,
  int32: Int32Array,
  uint8: Uint8Array,
  uint8clamped: Uint8ClampedArray,
  uint16: Uint16Array,
  uint32: Uint32Array,
} as const;
type TypedKind = keyof typeof typedArrays;
type AnyTypedArray = InstanceType<(typeof typedArrays)[TypedKind]>;

/** How the header refers to an array (its bytes start `offset` bytes into the array section) or a non-JSON number. */
type Ref = { $typed: TypedKind; offset: number; length: number } | { $number: 'NaN' | 'Infinity' | '-Infinity' };

function kindOf(value: unknown): TypedKind | null {
  for (const [kind, type] of Object.entries(typedArrays)) if (value instanceof type) return kind as TypedKind;
  return null;
}

const padded = (n: number) => Math.ceil(n / 8) * 8;

/** The file's bytes, in pieces (the arrays' own memory, not copies), and their total length. */
export function encodeRecord(value: object, format: number): { pieces: Uint8Array[]; bytes: number } {
  const arrays: Uint8Array[] = [];
  let offset = 0;
  const header = JSON.stringify(value, function (this: unknown, key: string, v: unknown) {
    // `this[key]` is the value before toJSON: a typed array, not its {"0": …} form.
    const raw = (this as Record<string, unknown>)[key];
    const kind = kindOf(raw);
    if (kind) {
      const array = raw as AnyTypedArray;
      const ref: Ref = { $typed: kind, offset, length: array.length };
      arrays.push(new Uint8Array(array.buffer, array.byteOffset, array.byteLength));
      offset += padded(array.byteLength);
      return ref;
    }
    if (typeof v === 'number' && !Number.isFinite(v)) return { $number: String(v) } as Ref;
    return v;
  });
  const headerBytes = Buffer.from(header, 'utf8');
  const prefix = Buffer.alloc(PREFIX_BYTES);
  const pieces: Uint8Array[] = [prefix, headerBytes, new Uint8Array(padded(headerBytes.length) - headerBytes.length)];
  let checksum = 0;
  for (const bytes of arrays) {
    pieces.push(bytes);
    checksum = checksumOf(bytes, checksum);
    const pad = padded(bytes.length) - bytes.length;
    if (pad) pieces.push(new Uint8Array(pad));
  }
  prefix.writeUInt32LE(MAGIC, 0);
  prefix.writeUInt32LE(format, 4);
  prefix.writeUInt32LE(headerBytes.length, 8);
  prefix.writeUInt32LE(checksum >>> 0, 12);
  return { pieces, bytes: PREFIX_BYTES + padded(headerBytes.length) + offset };
}

/**
 * The object a file written by `encodeRecord` holds, its arrays viewing `file`'s memory; null when the file is not
 * one (another format, truncated, or its bytes changed).
 */
export function decodeRecord(file: Buffer, format: number): unknown {
  if (file.length < PREFIX_BYTES || file.readUInt32LE(0) !== MAGIC || file.readUInt32LE(4) !== format) return null;
  const headerLength = file.readUInt32LE(8);
  const arraysAt = PREFIX_BYTES + padded(headerLength);
  if (arraysAt > file.length) return null;
  // Views need 8-byte alignment; a Buffer from a file read normally has its own ArrayBuffer at offset 0.
  const bytes = file.byteOffset % 8 === 0 ? file : Buffer.from(file);
  let header: unknown;
  try {
    header = JSON.parse(bytes.toString('utf8', PREFIX_BYTES, PREFIX_BYTES + headerLength));
  } catch {
    return null;
  }
  let end = arraysAt;
  let valid = true;
  const views: Uint8Array[] = [];
  const value = revive(header, (ref) => {
    const type = typedArrays[ref.$typed];
    const start = arraysAt + ref.offset;
    const byteLength = ref.length * type.BYTES_PER_ELEMENT;
    if (!Number.isSafeInteger(ref.length) || ref.length < 0 || ref.offset % 8 !== 0 || start + byteLength > bytes.length) {
      valid = false;
      return null;
    }
    end = Math.max(end, start + padded(byteLength));
    views.push(new Uint8Array(bytes.buffer, bytes.byteOffset + start, byteLength));
    return new type(bytes.buffer as ArrayBuffer, bytes.byteOffset + start, ref.length);
  });
  if (!valid || end !== bytes.length) return null;
  let checksum = 0;
  for (const view of views) checksum = checksumOf(view, checksum);
  return checksum >>> 0 === bytes.readUInt32LE(12) ? value : null;
}

function revive(node: unknown, array: (ref: Extract<Ref, { $typed: TypedKind }>) => unknown): unknown {
  if (Array.isArray(node)) return node.map((item) => revive(item, array));
  if (node === null || typeof node !== 'object') return node;
  const record = node as Record<string, unknown>;
  if (typeof record.$typed === 'string' && Object.hasOwn(typedArrays, record.$typed)) {
    return array(record as Extract<Ref, { $typed: TypedKind }>);
  }
  if (typeof record.$number === 'string') return Number(record.$number);
  const out: Record<string, unknown> = {};
  for (const [key, item] of Object.entries(record)) out[key] = revive(item, array);
  return out;
}

/**
 * A 32-bit FNV-1a-style hash of the bytes, four at a time (fast enough to run over a few hundred MB on every
 * read); catches a file whose bytes were damaged after it was written, which its length alone would not.
 */
function checksumOf(bytes: Uint8Array, seed: number): number {
  let h = seed ^ 0x811c9dc5;
  const words = Math.floor(bytes.byteLength / 4);
  if (bytes.byteOffset % 4 === 0 && words > 0) {
    const view = new Int32Array(bytes.buffer, bytes.byteOffset, words);
    for (let i = 0; i < words; i++) h = Math.imul(h ^ view[i]!, 16777619);
  } else {
    for (let i = 0; i < words * 4; i += 4) {
      h = Math.imul(h ^ (bytes[i]! | (bytes[i + 1]! << 8) | (bytes[i + 2]! << 16) | (bytes[i + 3]! << 24)), 16777619);
    }
  }
  for (let i = words * 4; i < bytes.byteLength; i++) h = Math.imul(h ^ bytes[i]!, 16777619);
  return h;
}
