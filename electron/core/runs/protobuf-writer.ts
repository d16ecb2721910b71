// The few protobuf wire-format pieces the TensorBoard event writer needs: varints, fixed64 doubles, fixed32 floats,
// length-delimited fields. Field numbers and wire types follow protobuf's encoding spec.
export class ProtobufWriter {
  private readonly chunks: Uint8Array[] = [];

  /** Unsigned varint, 7 bits a byte, low group first (values up to 2^53, enough for steps and lengths). */
  varint(value: number): this {
    if (!Number.isSafeInteger(value) || value < 0) throw new Error(`protobuf varint must be a whole number ≥ 0, not ${value}`);
    const bytes: number[] = [];
    let v = value;
    while (v >= 0x80) {
      bytes.push((v % 0x80) | 0x80);
      v = Math.floor(v / 0x80);
    }
    bytes.push(v);
    this.chunks.push(Uint8Array.from(bytes));
    return this;
  }

  private tag(field: number, wireType: 0 | 1 | 2 | 5): this {
    return this.varint(field * 8 + wireType);
  }

  uint64Field(field: number, value: number): this {
    return this.tag(field, 0).varint(value);
  }

  doubleField(field: number, value: number): this {
    const b = new Uint8Array(8);
    new DataView(b.buffer).setFloat64(0, value, true);
    this.tag(field, 1).chunks.push(b);
    return this;
  }

  floatField(field: number, value: number): this {
    const b = new Uint8Array(4);
    new DataView(b.buffer).setFloat32(0, value, true);
    this.tag(field, 5).chunks.push(b);
    return this;
  }

  bytesField(field: number, value: Uint8Array): this {
    this.tag(field, 2).varint(value.length).chunks.push(value);
    return this;
  }

  stringField(field: number, value: string): this {
    return this.bytesField(field, new TextEncoder().encode(value));
  }

  finish(): Uint8Array {
    const out = new Uint8Array(this.chunks.reduce((n, c) => n + c.length, 0));
    let at = 0;
    for (const c of this.chunks) {
      out.set(c, at);
      at += c.length;
    }
    return out;
  }
}
