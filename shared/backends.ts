// The training backends, named once for the core, the hosts and the renderer: the training process's (in the order
// `auto` tries them) and Chromium's GPU backends, what a run may ask for, where each runs, the menu's order and the
// optional packages. Plain constants, no zod: the CLI and the training process read them without loading the contract.

/** The training process's backends, in the order `auto` tries them (fastest first where each exists). */
export const PROCESS_BACKENDS = ['tfjs-node-gpu', 'tfjs-node', 'wasm', 'cpu'] as const;
export type ProcessBackend = (typeof PROCESS_BACKENDS)[number];

/** The GPU backends a Chromium context trains on (the desktop app's hidden window, or a `serve` page; WebGL through ANGLE). */
export const CHROMIUM_BACKENDS = ['webgpu', 'webgl'] as const;
export type ChromiumBackend = (typeof CHROMIUM_BACKENDS)[number];

/** What the training process may be asked for; `auto` picks the fastest of PROCESS_BACKENDS installed. */
export const PROCESS_BACKEND_CHOICES = ['auto', ...PROCESS_BACKENDS] as const;
export type BackendChoice = (typeof PROCESS_BACKEND_CHOICES)[number];

/** Every backend a run may ask for: `auto`, the training process's and Chromium's. */
export const RUN_BACKENDS = ['auto', ...PROCESS_BACKENDS, ...CHROMIUM_BACKENDS] as const;
export type RunBackendChoice = (typeof RUN_BACKENDS)[number];
/** A backend a run trains on once `auto` has chosen. */
export type ConcreteRunBackend = Exclude<RunBackendChoice, 'auto'>;

/** The backend menu's order: `auto`, then the GPU backends first. */
export const BACKEND_MENU_ORDER = ['auto', 'webgl', 'webgpu', 'wasm', 'cpu', 'tfjs-node', 'tfjs-node-gpu'] as const satisfies readonly RunBackendChoice[];

/** How the menu names `auto`. */
export const AUTO_LABEL = 'auto (the fastest here)';

/** Where a backend trains, in the words "This machine" shows. */
export const RUNS_IN = ['training process', 'chromium'] as const;
export type RunsIn = (typeof RUNS_IN)[number];

export function isChromiumBackend(b: string): b is ChromiumBackend {
  return (CHROMIUM_BACKENDS as readonly string[]).includes(b);
}

export function runsIn(backend: ConcreteRunBackend): RunsIn {
  return isChromiumBackend(backend) ? 'chromium' : 'training process';
}

/** The training process's backends that need an optional npm package; absent, they are skipped. */
export const OPTIONAL_BACKEND_PACKAGES: Partial<Record<ProcessBackend, string>> = {
  'tfjs-node-gpu': '@tensorflow/tfjs-node-gpu',
  'tfjs-node': '@tensorflow/tfjs-node',
};

/** Why an optional backend is missing, with the line that installs it. */
export function notInstalledReason(pkg: string): string {
  return `${pkg} is not installed (npm install ${pkg})`;
}
