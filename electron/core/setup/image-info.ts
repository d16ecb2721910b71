// The size and channels of a PNG or JPEG, read from its header only (nothing is decoded).
import fs from 'node:fs';

export interface ImageInfo {
  readonly width: number;
  readonly height: number;
  readonly channels: 1 | 3;
}

export function isImageFile(name: string): boolean {
  return /\.(png|jpe?g)$/i.test(name);
}

/** Null when the file is neither a PNG nor a JPEG whose frame header lies in its first 256 KiB. */
export function imageInfo(file: string): ImageInfo | null {
  let bytes: Buffer;
  try {
    const fd = fs.openSync(file, 'r');
    try {
      bytes = Buffer.alloc(256 * 1024);
      bytes = bytes.subarray(0, fs.readSync(fd, bytes, 0, bytes.length, 0));
    } finally {
      fs.closeSync(fd);
    }
  } catch {
    return null;
  }
  if (bytes.length >= 26 && bytes.readUInt32BE(0) === 0x89504e47) {
    // IHDR: width, height, bit depth, colour type (0 grey, 4 grey + alpha; 2, 3, 6 colour).
    const colourType = bytes[25]!;
    return { width: bytes.readUInt32BE(16), height: bytes.readUInt32BE(20), channels: colourType === 0 || colourType === 4 ? 1 : 3 };
  }
  if (bytes.length >= 4 && bytes[0] === 0xff && bytes[1] === 0xd8) {
    let i = 2;
    while (i + 9 < bytes.length) {
      if (bytes[i] !== 0xff) return null;
      const marker = bytes[i + 1]!;
      const length = bytes.readUInt16BE(i + 2);
      // SOF0–SOF15 except DHT (C4), JPG (C8) and DAC (CC): precision, height, width, components.
      if (marker >= 0xc0 && marker <= 0xcf && marker !== 0xc4 && marker !== 0xc8 && marker !== 0xcc) {
        return { height: bytes.readUInt16BE(i + 5), width: bytes.readUInt16BE(i + 7), channels: bytes[i + 9] === 1 ? 1 : 3 };
      }
      i += 2 + length;
    }
  }
  return null;
}
