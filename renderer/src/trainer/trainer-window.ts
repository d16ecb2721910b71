// The desktop app's hidden trainer window (electron/main/trainer-window.ts opens it): a Chromium context with the
// machine's GPU that claims and runs the core's WebGPU/WebGL jobs, talking to the core through the same preload.
import { api } from '../api/client';
import { servePageTrainer } from './page-trainer';

servePageTrainer(api);
document.body.dataset.ready = 'true';
