// Quantizes a tfjs model's float32 weights to float16 or uint8 the way tfjs's own loader decodes them
// (tfjs-core io_utils decodeWeight): the spec keeps dtype float32 and gains `quantization` —
// {dtype: 'float16'} (IEEE half floats) or {dtype: 'uint8', min, scale} (value = q · scale + min, per tensor).
export type Quantization = 'float16' | 'uint8';
export const quantizations: readonly Quantization[] = ['float16', 'uint8'];

export interface WeightSpec {
  readonly name: string;
  readonly shape: readonly number[];
  readonly dtype: string;
  readonly quantization?: { dtype: string; min?: number; scale?: number };
}

/** Quantized specs and bytes; weights that are not float32 (int32 step counters) pass through unchanged. */
export function quantizeWeights(specs: readonly WeightSpec[], data: Uint8Array, to: Quantization): { specs: WeightSpec[]; data: Uint8Array } {
  const out: Uint8Array[] = [];
  const newSpecs: WeightSpec[] = [];
  let offset = 0;
  for (const spec of specs) {
    if (spec.quantization) throw new Error(`Weight ${spec.name} is already quantized (${spec.quantization.dtype})`);
    const size = spec.shape.reduce((a, b) => a * b, 1);
    const bytes = size * bytesPerValue(spec);
    if (offset + bytes > data.length) throw new Error(`weights.bin ends inside weight ${spec.name} (needs ${offset + bytes} bytes, has ${data.length})`);
    const raw = data.slice(offset, offset + bytes);
    offset += bytes;
    if (spec.dtype !== 'float32') {
      out.push(raw);
      newSpecs.push(spec);
      continue;
    }
    const values = new Float32Array(raw.buffer, raw.byteOffset, size);
    if (to === 'float16') {
      const halves = new Uint16Array(size);
      for (let i = 0; i < size; i++) halves[i] = float32ToFloat16(values[i]!);
      out.push(new Uint8Array(halves.buffer));
      newSpecs.push({ ...spec, quantization: { dtype: 'float16' } });
    } else {
      const { bytes: q, min, scale } = toUint8(values);
      out.push(q);
      newSpecs.push({ ...spec, quantization: { dtype: 'uint8', min, scale } });
    }
  }
  const total = out.reduce((n, b) => n + b.length, 0);
  const joined = new Uint8Array(total);
  let at = 0;
  for (const b of out) {
    joined.set(b, at);
    at += b.length;
  }
  return { specs: newSpecs, data: joined };
}

function bytesPerValue(spec: WeightSpec): number {
  if (spec.dtype === 'float32' || spec.dtype === 'int32') return 4;
  if (spec.dtype === 'bool' || spec.dtype === 'uint8') return 1;
  throw new Error(`Weight ${spec.name} has dtype ${spec.dtype}, which export cannot quantize`);
}

/** Affine uint8 over the tensor's range; a constant tensor gets scale 1 (every q is 0, decoding to min). */
function toUint8(values: Float32Array): { bytes: Uint8Array; min: number; scale: number } {
  let min = Infinity;
  let max = -Infinity;
  for (const v of values) {
    if (v < min) min = v;
    if (v > max) max = v;
  }
  if (!values.length) return { bytes: new Uint8Array(0), min: 0, scale: 1 };
  const scale = max > min ? (max - min) / 255 : 1;
  const bytes = new Uint8Array(values.length);
  for (let i = 0; i < values.length; i++) bytes[i] = Math.max(0, Math.min(255, Math.round((values[i]! - min) / scale)));
  return { bytes, min, scale };
}

const f32 = new Float32Array(1);
const u32 = new Uint32Array(f32.buffer);

/** IEEE 754 binary32 → binary16, rounding to nearest even; overflow → ±Infinity, tiny values → subnormals or 0. */
export function float32ToFloat16(value: number): number {
  f32[0] = value;
  const x = u32[0]!;
  const sign = (x >>> 16) & 0x8000;
  const exp = (x >>> 23) & 0xff;
  let mant = x & 0x7fffff;
  if (exp === 0xff) return sign | 0x7c00 | (mant ? 0x200 : 0); // Inf or NaN
  let e = exp - 127 + 15;
  if (e >= 0x1f) return sign | 0x7c00;
  if (e <= 0) {
    if (e < -10) return sign;
    mant |= 0x800000;
    const shift = 14 - e;
    const half = 1 << (shift - 1);
    let m = mant >>> shift;
    const rest = mant & ((1 << shift) - 1);
    if (rest > half || (rest === half && m & 1)) m++;
    return sign | m;
  }
  let m = mant >>> 13;
  const rest = mant & 0x1fff;
  if (rest > 0x1000 || (rest === 0x1000 && m & 1)) {
    m++;
    if (m === 0x400) {
      m = 0;
      e++;
      if (e >= 0x1f) return sign | 0x7c00;
    }
  }
  return sign | (e << 10) | m;
}
