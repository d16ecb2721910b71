// Starts tfjs's WebAssembly backend in Node, pointing it at the .wasm files inside its npm package.
import { createRequire } from 'node:module';
import path from 'node:path';
import { getThreadsCount, setWasmPaths } from '@tensorflow/tfjs-backend-wasm';

let initialised = false;

/** Returns the number of threads the backend will use. */
export async function initWasmBackend(): Promise<number> {
  if (!initialised) {
    const require = createRequire(import.meta.url);
    const dist = path.dirname(require.resolve('@tensorflow/tfjs-backend-wasm/package.json'));
    setWasmPaths(path.join(dist, 'dist') + path.sep);
    initialised = true;
  }
  try {
    return getThreadsCount();
  } catch {
    return 1;
  }
}
