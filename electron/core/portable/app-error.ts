// The typed error every core operation throws for a failure a person should read (one line, no stack).
import type { ApiErrorShape } from '../../../shared/contract.js';

export type AppErrorKind = ApiErrorShape['kind'];

export class AppError extends Error {
  constructor(
    readonly kind: AppErrorKind,
    message: string,
  ) {
    super(message);
    this.name = 'AppError';
  }
}

/** Turns anything thrown into the one-line shape that crosses the contract. */
export function toErrorShape(err: unknown): ApiErrorShape {
  if (err instanceof AppError) return { kind: err.kind, message: oneLine(err.message) };
  if (err instanceof Error) return { kind: 'internal', message: oneLine(err.message) };
  return { kind: 'internal', message: oneLine(String(err)) };
}

export function oneLine(text: string): string {
  // Every line break, `\r` and U+2028/9 too: a lone `\r` from a CSV cell would otherwise rewrite a terminal line.
  return text.replace(/\s*[\r\n\u2028\u2029]\s*/g, ' ').trim();
}
