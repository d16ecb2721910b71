// A setting of the person's that outlives a reload and a change of project (kept in the page's localStorage,
// checked against its schema when read back, so an old or hand-edited value falls back to the default).
import { useCallback, useState } from 'react';
import type { z } from 'zod';

const PREFIX = 'modelcommons.';

export function readSetting<T>(key: string, schema: z.ZodType<T>): T | null {
  try {
    const raw = window.localStorage.getItem(PREFIX + key);
    if (raw === null) return null;
    const parsed = schema.safeParse(JSON.parse(raw));
    return parsed.success ? parsed.data : null;
  } catch {
    return null; // storage off (private mode) or unparsable: behave as if nothing was kept
  }
}

/** Like useState, but the value is kept under `key`; null means "not set" (the caller's default applies). */
export function useStoredSetting<T>(key: string, schema: z.ZodType<T>): [T | null, (value: T | null) => void] {
  const [value, setValue] = useState<T | null>(() => readSetting(key, schema));
  const set = useCallback(
    (next: T | null) => {
      setValue(next);
      try {
        if (next === null) window.localStorage.removeItem(PREFIX + key);
        else window.localStorage.setItem(PREFIX + key, JSON.stringify(next));
      } catch {
        // storage full or off: the value still holds for this page
      }
    },
    [key],
  );
  return [value, set];
}
