// `modelcommons init <project|path>`: proposes a modelcommons.json for a repository without one, and keeps it in
// the data folder as the project's overlay (with --commit, also writes it into the working tree, uncommitted).
import type { SetupAnswers, SetupProposal } from '../../shared/setup.js';
import { AppError } from '../core/app-error.js';
import type { ServiceGraph } from '../core/service-graph.js';
import { call } from './dispatch-call.js';
import { printError, printJson, printLine } from './output.js';
import { resolveProjectRef } from './project-ref.js';

export interface InitFlags {
  readonly data?: string;
  readonly label?: string;
  readonly task?: string;
  readonly model?: string;
  readonly commit?: boolean;
  /** Print the proposal without writing anything. */
  readonly dryRun?: boolean;
  readonly json?: boolean;
}

export async function initCommand(services: ServiceGraph, ref: string, flags: InitFlags): Promise<void> {
  const answers = initAnswers(flags);
  const project = await resolveProjectRef(services, ref);
  const proposal = await call(services, 'setup:detect', { projectId: project.id, answers });
  if (proposal.repositoryManifest) {
    throw new AppError('conflict', `${project.name} already has a modelcommons.json: train it with modelcommons train ${ref}`);
  }
  if (proposal.question || !proposal.manifest) {
    // One line: the question, and the flag that answers it.
    const flag = proposal.labelCandidates.length > 1 ? '--label COL' : '--data PATH';
    throw new AppError('invalid-request', `${proposal.question ?? 'Nothing to propose'} (answer with ${flag})`);
  }
  const written = flags.dryRun ? null : await call(services, 'setup:write', { projectId: project.id, manifest: proposal.manifest, intoRepository: flags.commit ?? false });
  if (flags.json) return printJson({ project: project.id, proposal, written });
  printProposal(proposal);
  if (!written) return printLine('Nothing written (--dry-run).');
  printLine(`Wrote ${written.path}; train it with: modelcommons train ${ref}`);
  if (written.repositoryPath) printLine(`Also wrote ${written.repositoryPath}: review it, then commit it yourself`);
}

function printProposal(p: SetupProposal): void {
  if (p.data?.kind === 'table') printLine(`data:     ${p.data.file} (${p.data.columns.length} columns, ${p.data.rows} rows read)`);
  if (p.data?.kind === 'images') printLine(`data:     ${p.data.folder.path}/ (${p.data.folder.classes.length} classes, ${p.data.folder.images} images)`);
  printLine(`task:     ${p.task}`);
  if (p.label) printLine(`label:    ${p.label}`);
  if (p.features.length) printLine(`features: ${p.features.join(', ')}`);
  for (const l of p.leftOut) printLine(`left out: ${l.column} (${l.reason})`);
  if (p.model) printLine(`model:    ${p.model.summary}`);
  for (const n of p.notes) printError(`note: ${n}`);
}

function initAnswers(flags: InitFlags): SetupAnswers {
  if (flags.task !== undefined && flags.task !== 'classification' && flags.task !== 'regression') {
    throw new AppError('invalid-request', `--task must be classification or regression, not "${flags.task}"`);
  }
  return {
    ...(flags.data ? { data: flags.data } : {}),
    ...(flags.label ? { label: flags.label } : {}),
    ...(flags.task ? { task: flags.task as 'classification' | 'regression' } : {}),
    ...(flags.model ? { model: flags.model } : {}),
  };
}
