// Base64 of raw bytes with Node's Buffer, for the wire JSON (shared/wire-json.ts) of `modelcommons serve`.
import type { Base64 } from '../../shared/wire-json.js';

export const nodeBase64: Base64 = {
  encode: (bytes) => Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('base64'),
  decode: (text) => Buffer.from(text, 'base64'),
};
