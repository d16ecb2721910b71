// Seeded, on-the-fly image augmentation for training batches (`images.augment`): random flips, rotation, shift and
// zoom of each row-major (height, width, channel) image, in place. Browser-safe, plain typed-array code.
import type { ImageAugment } from '../../../../shared/manifest.js';

/** [height, width, channels]. */
export type ImageShape = readonly [number, number, number];

/** Mixed into the training seed so that augmentation draws from a stream of its own (batch order stays the same). */
export const AUGMENT_SEED = 0x6175676d;

/**
 * Returns a function that changes the first `count` images of a batch in place. Each image draws its own flips,
 * angle (± rotate degrees), shift (± shift × side) and zoom (1 ± zoom) from `random`; pixels are resampled
 * bilinearly about the image centre, and points that fall outside take the nearest edge pixel (Keras's
 * fill_mode="nearest").
 */
export function makeAugmenter(spec: ImageAugment, shape: ImageShape, random: () => number): (rows: Float32Array, count: number) => void {
  const [height, width, channels] = shape;
  const size = height * width * channels;
  const source = new Float32Array(size);
  const flipX = spec.flip === 'horizontal' || spec.flip === 'both';
  const flipY = spec.flip === 'vertical' || spec.flip === 'both';
  const rotate = ((spec.rotate ?? 0) * Math.PI) / 180;
  const shift = spec.shift ?? 0;
  const zoom = spec.zoom ?? 0;
  const symmetric = () => random() * 2 - 1;
  const cx = (width - 1) / 2;
  const cy = (height - 1) / 2;

  return (rows, count) => {
    for (let i = 0; i < count; i++) {
      const mirrorX = flipX && random() < 0.5;
      const mirrorY = flipY && random() < 0.5;
      const angle = rotate ? symmetric() * rotate : 0;
      const tx = shift ? symmetric() * shift * width : 0;
      const ty = shift ? symmetric() * shift * height : 0;
      const scale = zoom ? 1 + symmetric() * zoom : 1;
      if (!mirrorX && !mirrorY && angle === 0 && tx === 0 && ty === 0 && scale === 1) continue;
      const at = i * size;
      source.set(rows.subarray(at, at + size));
      const cos = Math.cos(angle);
      const sin = Math.sin(angle);
      for (let y = 0; y < height; y++) {
        for (let x = 0; x < width; x++) {
          // Where output pixel (x, y) comes from: undo the shift, the zoom and the rotation, then the flips.
          const u = (x - cx - tx) / scale;
          const v = (y - cy - ty) / scale;
          let sx = cos * u + sin * v + cx;
          let sy = -sin * u + cos * v + cy;
          if (mirrorX) sx = width - 1 - sx;
          if (mirrorY) sy = height - 1 - sy;
          sx = Math.min(Math.max(sx, 0), width - 1);
          sy = Math.min(Math.max(sy, 0), height - 1);
          const x0 = Math.floor(sx);
          const y0 = Math.floor(sy);
          const x1 = Math.min(x0 + 1, width - 1);
          const y1 = Math.min(y0 + 1, height - 1);
          const dx = sx - x0;
          const dy = sy - y0;
          for (let c = 0; c < channels; c++) {
            const v00 = source[(y0 * width + x0) * channels + c]!;
            const v01 = source[(y0 * width + x1) * channels + c]!;
            const v10 = source[(y1 * width + x0) * channels + c]!;
            const v11 = source[(y1 * width + x1) * channels + c]!;
            const top = v00 + (v01 - v00) * dx;
            const bottom = v10 + (v11 - v10) * dx;
            rows[at + (y * width + x) * channels + c] = top + (bottom - top) * dy;
          }
        }
      }
    }
  };
}
