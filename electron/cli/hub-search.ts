// `modelcommons catalog search <query> --hub [--library keras] [--json]` and `modelcommons catalog hub [on|off]`:
// the Hugging Face Hub as a browse source from the terminal. Nothing goes online until the source is turned on;
// a token comes only from HF_TOKEN (never a flag, which would land in shell history and `ps`).
import { HUB_SOURCE_NAME, type HubSearchResult, type HubSettings } from '../../shared/catalog.js';
import { resolveDataHome } from '../core/data-home.js';
import { ServiceGraph } from '../core/service-graph.js';
import { call } from './dispatch-call.js';
import { printError, printJson, printLine } from './output.js';

function openHubServices(version: string): ServiceGraph {
  return new ServiceGraph({ home: resolveDataHome(), version }, () => import('../core/on-demand-services.js'));
}

export async function hubSearchCommand(version: string, query: string | undefined, opts: { library?: string; limit?: string; json?: boolean }) {
  const services = openHubServices(version);
  const interrupted = () => void services.dispatch('hub:cancel', {});
  process.once('SIGINT', interrupted);
  try {
    const limit = opts.limit === undefined ? undefined : Number(opts.limit);
    if (limit !== undefined && !(Number.isInteger(limit) && limit >= 1 && limit <= 200)) throw new Error(`--limit must be a whole number from 1 to 200, not "${opts.limit}"`);
    const result = await call(services, 'hub:search', {
      ...(query?.trim() ? { query: query.trim() } : {}),
      ...(opts.library ? { library: opts.library } : {}),
      ...(limit !== undefined ? { limit } : {}),
    });
    if (!result.enabled) throw new Error(`The ${HUB_SOURCE_NAME} source is off: turn it on with \`modelcommons catalog hub on\` (or in Browse)`);
    if (result.error && !result.fromCache) throw new Error(result.error);
    if (opts.json) return printJson(result);
    printHubResult(result);
  } finally {
    process.off('SIGINT', interrupted);
    services.close();
  }
}

function printHubResult(result: HubSearchResult): void {
  if (result.fromCache) printError(`${result.error}; showing the listing stored as of ${result.asOf}`);
  if (!result.models.length) return printLine(`No model on the ${HUB_SOURCE_NAME} matches.`);
  for (const m of result.models) {
    const facts = [m.library ?? 'no library', `${m.downloads.toLocaleString('en')} downloads`, `${m.likes.toLocaleString('en')} likes`, `updated ${m.lastModified.slice(0, 10)}`];
    printLine(`${m.id.padEnd(40)} ${facts.join(' · ')}`);
    printLine(`${''.padEnd(40)} ${m.cloneUrl} [${HUB_SOURCE_NAME}]`);
  }
  printLine(`${result.models.length} model${result.models.length === 1 ? '' : 's'} as of ${result.asOf}; clone one with \`modelcommons clone <url>\``);
}

/** `catalog hub`: shows the source's state; `on`/`off` changes it (kept across runs). */
export async function hubSourceCommand(version: string, state: string | undefined, opts: { json?: boolean }) {
  if (state !== undefined && state !== 'on' && state !== 'off') throw new Error(`Expected on or off, not "${state}"`);
  const services = openHubServices(version);
  try {
    const settings = state === undefined ? await call(services, 'hub:settings', {}) : await call(services, 'hub:setEnabled', { enabled: state === 'on' });
    if (opts.json) return printJson(settings);
    printLine(describe(settings));
  } finally {
    services.close();
  }
}

function describe(s: HubSettings): string {
  const token = s.token === 'environment' ? ', with the token in HF_TOKEN' : s.token === 'entered' ? ', with an entered token' : '';
  return `The ${HUB_SOURCE_NAME} source is ${s.enabled ? 'on' : 'off'} (${s.hubUrl}${token})`;
}
