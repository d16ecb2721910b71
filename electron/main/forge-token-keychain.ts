// Forge tokens the user entered in the desktop app, kept encrypted by the OS keychain (Electron safeStorage)
// in a file of their own beside the store; never in the store, never in plain text. Takes safeStorage as a
// parameter so that it is tested without an Electron binary.
import fs from 'node:fs';
import path from 'node:path';

/** The part of Electron's safeStorage used here. */
export interface SafeStorageLike {
  isEncryptionAvailable(): boolean;
  encryptString(plainText: string): Buffer;
  decryptString(encrypted: Buffer): string;
}

/** A token keeper (see createTokenProvider) over safeStorage; without encryption, tokens live in memory only. */
export function keychainTokenKeeper(safeStorage: SafeStorageLike, file: string) {
  const memory = new Map<string, string>();
  const read = (): Record<string, string> => {
    try {
      return JSON.parse(fs.readFileSync(file, 'utf8')) as Record<string, string>;
    } catch {
      return {};
    }
  };
  return {
    async load(key: string): Promise<string | null> {
      if (memory.has(key)) return memory.get(key)!;
      const sealed = read()[key];
      if (!sealed || !safeStorage.isEncryptionAvailable()) return null;
      try {
        return safeStorage.decryptString(Buffer.from(sealed, 'base64'));
      } catch {
        return null; // sealed by another user or machine: ask again
      }
    },
    async save(key: string, token: string | null): Promise<void> {
      const all = read();
      memory.delete(key);
      delete all[key];
      if (token !== null) {
        if (safeStorage.isEncryptionAvailable()) all[key] = safeStorage.encryptString(token).toString('base64');
        else memory.set(key, token);
      }
      fs.mkdirSync(path.dirname(file), { recursive: true });
      fs.writeFileSync(file, JSON.stringify(all), { mode: 0o600 });
    },
  };
}
