// JSON for the HTTP/WebSocket transport that keeps the contract's typed arrays typed: a Float32Array or Uint8Array
// travels as {"$typed": kind, "base64": …} (4 bytes per float become ~5.3 characters, not ~10–20 as decimals) and
// comes back as the same kind of array. IPC needs none of this: Electron's structured clone carries typed arrays.

/** Base64 of raw bytes: Buffer on Node, atob/btoa in a browser (each host passes its own). */
export interface Base64 {
  encode(bytes: Uint8Array): string;
  decode(text: string): Uint8Array;
}

type TypedKind = 'float32' | 'uint8';

interface TypedOnWire {
  readonly $typed: TypedKind;
  readonly base64: string;
}

export interface WireJson {
  stringify(value: unknown): string;
  parse(text: string): unknown;
}

export function wireJson(base64: Base64): WireJson {
  const bytesOf = (a: ArrayBufferView) => new Uint8Array(a.buffer, a.byteOffset, a.byteLength);
  return {
    stringify(value) {
      return JSON.stringify(value, (_key, v: unknown) => {
        if (v instanceof Float32Array) return { $typed: 'float32', base64: base64.encode(bytesOf(v)) } satisfies TypedOnWire;
        if (v instanceof Uint8Array) return { $typed: 'uint8', base64: base64.encode(v) } satisfies TypedOnWire;
        return v;
      });
    },
    parse(text) {
      return JSON.parse(text, (_key, v: unknown) => {
        if (!isTypedOnWire(v)) return v;
        const bytes = base64.decode(v.base64);
        if (v.$typed === 'uint8') return bytes;
        if (bytes.byteLength % 4 !== 0) throw new Error('A float32 array on the wire has a length that is not a multiple of 4 bytes');
        // A copy when the decoded bytes sit at an offset a Float32Array cannot start at (Node's pooled Buffers).
        const aligned = bytes.byteOffset % 4 === 0 ? bytes : new Uint8Array(bytes);
        return new Float32Array(aligned.buffer, aligned.byteOffset, aligned.byteLength / 4);
      });
    },
  };
}

function isTypedOnWire(v: unknown): v is TypedOnWire {
  if (typeof v !== 'object' || v === null) return false;
  const o = v as Record<string, unknown>;
  return (o.$typed === 'float32' || o.$typed === 'uint8') && typeof o.base64 === 'string' && Object.keys(o).length === 2;
}

/** atob/btoa in chunks (btoa of one huge string of code points would need it built in one go). */
export const browserBase64: Base64 = {
  encode(bytes) {
    let binary = '';
    const chunk = 0x8000;
    for (let i = 0; i < bytes.length; i += chunk) binary += String.fromCharCode(...bytes.subarray(i, i + chunk));
    return btoa(binary);
  },
  decode(text) {
    const binary = atob(text);
    const out = new Uint8Array(binary.length);
    for (let i = 0; i < binary.length; i++) out[i] = binary.charCodeAt(i);
    return out;
  },
};
