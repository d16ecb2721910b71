// What a host tells the core when it composes the services (see service-graph.ts).
import type { TokenProvider } from './forge/token-provider.js';
import type { TrainerScript } from './training/trainer-launcher.js';

export interface ServicesConfig {
  /** The data folder (see resolveDataHome). */
  readonly home: string;
  readonly version: string;
  /** better-sqlite3 built for Electron's ABI, when the host is Electron. */
  readonly nativeBinding?: string;
  readonly trainerScript?: TrainerScript;
  /** The host's folder dialog (the desktop app's); absent where a path is typed instead. Null when cancelled. */
  readonly chooseFolder?: (title: string) => Promise<string | null>;
  /** The catalog that ships with the app (dist/bundled-catalog); null when this build has none. */
  readonly bundledCatalogDir?: string | null;
  /** Forge tokens: the desktop app's keychain-backed provider; default the environment plus memory. */
  readonly forgeTokens?: TokenProvider;
}
