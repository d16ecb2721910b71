// The composition root the desktop app, the server and tests call: the service graph (service-graph.ts) with every
// service reachable synchronously. Each is still built on first use; the store opens when something reads it.
import * as onDemandModule from './on-demand-services.js';
import { ServiceGraph } from './service-graph.js';
import type { ServicesConfig } from './services-config.js';

export type { ServicesConfig } from './services-config.js';

export class Services extends ServiceGraph {
  get training() {
    return this.onDemandNow().training;
  }
  /** Compare, export, delete runs; remove projects with their runs; disk use. */
  get runs() {
    return this.onDemandNow().runs;
  }
  /** Where the host says which Chromium contexts train WebGPU/WebGL jobs (see ChromiumTrainerBroker.useContexts). */
  get chromium() {
    return this.onDemandNow().chromium;
  }
  get impact() {
    return this.onDemandNow().impact;
  }
  get forge() {
    return this.onDemandNow().forge;
  }
  get setup() {
    return this.onDemandNow().setup;
  }
  get hub() {
    return this.onDemandNow().hub;
  }
}

export function createServices(config: ServicesConfig): Services {
  return new Services(config, onDemandModule);
}
