// Sets up training for a project whose repository has no modelcommons.json: detects its data and model files,
// proposes a manifest, and writes it as an overlay in the data folder (or, when asked, into the working tree).
import fs from 'node:fs';
import path from 'node:path';
import { MANIFEST_FILE, Manifest } from '../../../shared/manifest.js';
import type { SetupAnswers, SetupProposal } from '../../../shared/setup.js';
import { AppError } from '../app-error.js';
import type { ProjectsService } from '../projects-service.js';
import { resolveInsideRepo } from '../safe-path.js';

export interface WrittenManifest {
  /** The overlay in the data folder, which training reads when the repository has no manifest. */
  readonly path: string;
  /** The copy written into the working tree (committing it is left to the person), or null. */
  readonly repositoryPath: string | null;
}

export class SetupService {
  constructor(private readonly projects: ProjectsService) {}

  async detect(projectId: string, answers: SetupAnswers = {}): Promise<SetupProposal> {
    const project = this.projects.requireReady(projectId);
    const overlay = this.projects.overlayFile(project.id);
    // The table and image readers load when someone sets a project up, not with every host.
    const [{ findSetupFiles }, { filesToSample, proposeManifest }, { sampleTable }, { needsBinarySample, sampleDataFile }] = await Promise.all([
      import('./find-setup-files.js'),
      import('./propose-manifest.js'),
      import('./sample-table.js'),
      import('./sample-binary-table.js'),
    ]);
    const files = findSetupFiles(project.path);
    // Parquet, NumPy, IDX and gzip'd files are read ahead (asynchronously); a failure is raised when the proposal reads it.
    const ahead = new Map<string, Awaited<ReturnType<typeof sampleDataFile>> | Error>();
    for (const file of filesToSample(files, answers).filter(needsBinarySample)) {
      ahead.set(file, await sampleDataFile(resolveInsideRepo(project.path, file, 'data file'), file).catch((e: unknown) => (e instanceof Error ? e : new Error(String(e)))));
    }
    const core = proposeManifest({
      name: project.name,
      files,
      answers,
      sample: (file) => {
        const read = ahead.get(file);
        if (read instanceof Error) throw read;
        return read ?? sampleTable(resolveInsideRepo(project.path, file, 'data file'), file);
      },
    });
    return { ...core, repositoryManifest: hasRepositoryManifest(project.path), overlay: { path: overlay, exists: fs.existsSync(overlay) } };
  }

  /** Validates the manifest (schema, and every path it names inside the repository), then writes it. */
  write(projectId: string, raw: unknown, options: { intoRepository?: boolean } = {}): WrittenManifest {
    const project = this.projects.requireReady(projectId);
    const parsed = Manifest.safeParse(raw);
    if (!parsed.success) {
      const issue = parsed.error.issues[0]!;
      throw new AppError('invalid-request', `${MANIFEST_FILE}: "${issue.path.join('.') || '(root)'}": ${issue.message}`);
    }
    const manifest = parsed.data;
    for (const [key, rel] of namedPaths(manifest)) resolveInsideRepo(project.path, rel, key);
    const text = `${JSON.stringify(manifest, null, 2)}\n`;
    const overlay = this.projects.overlayFile(project.id);
    writeAtomically(overlay, text);
    let repositoryPath: string | null = null;
    if (options.intoRepository) {
      repositoryPath = path.join(project.path, MANIFEST_FILE);
      if (fs.existsSync(repositoryPath)) throw new AppError('conflict', `${repositoryPath} already exists: it is left as it is`);
      fs.writeFileSync(repositoryPath, text, { flag: 'wx' });
    }
    return { path: overlay, repositoryPath };
  }
}

function hasRepositoryManifest(repoDir: string): boolean {
  try {
    resolveInsideRepo(repoDir, MANIFEST_FILE, MANIFEST_FILE);
    return true;
  } catch {
    return false;
  }
}

/** Every repository path a manifest names, with its key for messages. */
function namedPaths(m: Manifest): [string, string][] {
  const out: [string, string][] = [];
  const add = (key: string, v: string | undefined) => v !== undefined && out.push([key, v]);
  add('data.train', m.data.train);
  add('data.test', m.data.test);
  add('data.validation', m.data.validation);
  add('data.images.train', m.data.images?.train);
  add('data.images.validation', m.data.images?.validation);
  add('data.images.test', m.data.images?.test);
  add('model.keras', m.model.keras);
  add('model.tfjs', m.model.tfjs);
  return out;
}

function writeAtomically(file: string, text: string): void {
  fs.mkdirSync(path.dirname(file), { recursive: true });
  const tmp = `${file}.${process.pid}.tmp`;
  fs.writeFileSync(tmp, text);
  fs.renameSync(tmp, file);
}
