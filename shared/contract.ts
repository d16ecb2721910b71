// The one contract between the UI and the core: every request/response channel and every streamed event, as zod
// schemas. The Electron preload/main, the loopback server and the renderer's client are all typed from this map.
import { z } from 'zod';
import { CHROMIUM_BACKENDS, RUN_BACKENDS, RUNS_IN } from './backends.js';
import { CatalogInfo, CatalogSearchQuery, CatalogSearchResult, HubSearchQuery, HubSearchResult, HubSettings } from './catalog.js';
import { ForgeKind, ForgeProgress, ForgeStatus, ForgeSyncResult } from './forge.js';
import { ImpactReport, ModelBisectRequest, ModelBisectResult, ModelImpact, ModelImpactProgress, ModelImpactRequest, StoredModelImpact, Weights } from './impact.js';
import { Manifest } from './manifest.js';
import { SetupAnswers, SetupProposal } from './setup.js';

export const ProjectStatus = z.enum(['cloning', 'ready', 'failed']);
export const ProjectKind = z.enum(['clone', 'local']);
export type ProjectKind = z.infer<typeof ProjectKind>;

export const Project = z.object({
  id: z.string(),
  name: z.string(),
  /** What the user added: a git URL or a local folder. */
  source: z.string(),
  /** Where the working copy lives on this machine. */
  path: z.string(),
  status: ProjectStatus,
  /** 'clone': a working copy ModelCommons made; 'local': the person's own repository, used in place (never changed). */
  kind: ProjectKind,
  error: z.string().nullable(),
  createdAt: z.string(),
});
export type Project = z.infer<typeof Project>;

export const GitStatus = z.object({
  head: z.string().nullable(),
  branch: z.string().nullable(),
  detached: z.boolean(),
  upstream: z.string().nullable(),
  ahead: z.number().int(),
  behind: z.number().int(),
  modified: z.number().int(),
  untracked: z.number().int(),
  conflicted: z.number().int(),
  clean: z.boolean(),
  /** A shallow clone lacks older history (contributor analytics need it all: deepen). */
  shallow: z.boolean(),
});
export type GitStatus = z.infer<typeof GitStatus>;

export const Commit = z.object({
  sha: z.string(),
  author: z.string(),
  email: z.string(),
  date: z.string(),
  subject: z.string(),
});
export type Commit = z.infer<typeof Commit>;

export const Contributor = z.object({
  name: z.string(),
  email: z.string(),
  commits: z.number().int(),
});
export type Contributor = z.infer<typeof Contributor>;

export const ManifestInfo = z.object({
  found: z.boolean(),
  /** A one-line reason when the manifest is missing or invalid. */
  error: z.string().nullable(),
  name: z.string().nullable(),
  task: z.enum(['classification', 'regression']).nullable(),
  layers: z.number().int().nullable(),
  epochs: z.number().int().nullable(),
  /** Where the manifest came from: the repository's own file, or the set-up overlay in the data folder. */
  source: z.enum(['repository', 'overlay']).optional(),
  /** The metric the status line, the chart and the runs list lead with: `metrics.primary`, else accuracy or r2. */
  primaryMetric: z.string().nullable().optional(),
  /** The model file carries trained weights (a .keras archive, an .h5, a tfjs model.json): it can be evaluated as shipped. */
  shippedWeights: z.boolean().optional(),
});
export type ManifestInfo = z.infer<typeof ManifestInfo>;

export const MetricMap = z.record(z.string(), z.number());

export const EpochRecord = z.object({
  epoch: z.number().int(),
  /** Mean training loss over the epoch's batches. */
  loss: z.number(),
  /** Loss on the validation split (never the test split); null without validation rows. */
  valLoss: z.number().nullable(),
  /** Validation metrics after the epoch: the task's quick metric (accuracy or r2) and `metrics.perEpoch`. */
  metrics: MetricMap,
  samplesPerSecond: z.number(),
});
export type EpochRecord = z.infer<typeof EpochRecord>;

/** Rows in each split: the model learns from train, is chosen on validation, and is scored once on test. */
export const SplitCounts = z.object({ train: z.number().int(), validation: z.number().int(), test: z.number().int() });
export type SplitCounts = z.infer<typeof SplitCounts>;

/** One backend's probe for a model: its speed, or why it cannot train it here. */
export const ProbeFigure = z.object({ backend: z.string(), device: z.string().nullable(), samplesPerSecond: z.number().nullable(), reason: z.string().nullable() });
export type ProbeFigure = z.infer<typeof ProbeFigure>;

export const RunStatus = z.enum(['running', 'succeeded', 'failed', 'cancelled']);

/** A run's effective training settings, flat (epochs, batchSize, optimizer, learningRate, seed, loss…) for tables. */
export const RunParams = z.record(z.string(), z.union([z.string(), z.number(), z.boolean(), z.null()]));
export type RunParams = z.infer<typeof RunParams>;

export const Run = z.object({
  id: z.string(),
  projectId: z.string(),
  commit: z.string(),
  status: RunStatus,
  /** The backend asked for until the training process reports the one it started. */
  backend: z.string(),
  device: z.string().nullable(),
  /** What `auto` measured on each backend before choosing (empty when a backend was forced). */
  probes: z.array(ProbeFigure).nullable(),
  task: z.enum(['classification', 'regression']),
  epochs: z.number().int(),
  history: z.array(EpochRecord),
  metrics: MetricMap.nullable(),
  labels: z.array(z.string()).nullable(),
  confusionMatrix: z.array(z.array(z.number())).nullable(),
  error: z.string().nullable(),
  startedAt: z.string(),
  finishedAt: z.string().nullable(),
  seconds: z.number().nullable(),
  samplesPerSecond: z.number().nullable(),
  /** Folder of the trained model in tfjs format, when the run succeeded. */
  checkpoint: z.string().nullable(),
  /** Row counts of the splits, once the data is loaded. */
  split: SplitCounts.nullable(),
  /** The epoch with the lowest validation loss (the one kept when early stopping restores the best weights). */
  bestEpoch: z.number().int().nullable(),
  /** Doubts about the data or the manifest that did not stop the run (constant columns, a softmax trained as logits). */
  warnings: z.array(z.string()),
  /** The effective training settings; null for runs recorded before they were kept. */
  params: RunParams.nullable(),
  /** sha256 of the manifest it trained from, and of everything its data loading read (null when unknown). */
  manifestHash: z.string().nullable(),
  dataHash: z.string().nullable(),
  seed: z.number().int().nullable(),
});
export type Run = z.infer<typeof Run>;

/** Disk a project takes: its clone folder (0 when the folder is the person's own, registered in place) and its runs' models. */
export const DiskUse = z.object({ projectId: z.string(), cloneBytes: z.number(), runsBytes: z.number(), ownFolder: z.boolean() });
export type DiskUse = z.infer<typeof DiskUse>;

const projectRef = z.object({ projectId: z.string().min(1) });

const float32Array = z.custom<Float32Array>((v) => v instanceof Float32Array, 'expected a Float32Array');
const uint8Array = z.custom<Uint8Array>((v) => v instanceof Uint8Array, 'expected a Uint8Array');

/** A run's data for a Chromium trainer, row-major in typed arrays (structured clone over IPC, base64 over HTTP). */
/** A step before training: `measuring` one backend (done of total measured so far) for `auto`, or loading the data. */
export const TrainingPhase = z.object({
  step: z.enum(['loading', 'measuring']),
  /** The backends being measured now (one, or Chromium's together), for `measuring`. */
  backend: z.string().nullable(),
  done: z.number().int(),
  total: z.number().int(),
});
export type TrainingPhase = z.infer<typeof TrainingPhase>;

export const ChromiumTrainingData = z.object({
  xTrain: float32Array,
  yTrain: float32Array,
  nTrain: z.number().int(),
  xVal: float32Array,
  yVal: float32Array,
  nVal: z.number().int(),
  xTest: float32Array,
  yTest: float32Array,
  nTest: z.number().int(),
  nFeatures: z.number().int(),
  labels: z.array(z.string()).nullable(),
  warnings: z.array(z.string()).optional(),
});
export type ChromiumTrainingData = z.infer<typeof ChromiumTrainingData>;

/** The GPU backends a Chromium context trains on (shared/backends.ts names them). */
export const ChromiumBackend = z.enum(CHROMIUM_BACKENDS);

/** A trained model as tfjs's save handler gives it: written by the core as model.json + weights.bin. */
export const CheckpointArtifacts = z.object({
  modelTopology: z.unknown(),
  weightSpecs: z.array(z.object({ name: z.string(), shape: z.array(z.number()), dtype: z.string() }).passthrough()),
  weightData: uint8Array,
  format: z.string().optional(),
  generatedBy: z.string().optional(),
});
export type CheckpointArtifacts = z.infer<typeof CheckpointArtifacts>;

// The trainer protocol's messages, defined once: a Node training process sends them over IPC
// (electron/core/training/portable/trainer-protocol.ts), a Chromium trainer reports them over the contract.

/** A batch's progress within its epoch. */
export const BatchProgress = z.object({ epoch: z.number().int(), batch: z.number().int(), batches: z.number().int(), samplesPerSecond: z.number(), etaSeconds: z.number() });
export type BatchProgress = z.infer<typeof BatchProgress>;

/** The training loop starts: the backend and device it runs on, the model's size and the split. */
export const TrainerStarted = z.object({
  kind: z.literal('started'),
  backend: z.string(),
  device: z.string(),
  /** What `auto` measured before choosing. */
  probes: z.array(ProbeFigure).optional(),
  parameters: z.number(),
  trainRows: z.number(),
  validationRows: z.number(),
  testRows: z.number(),
  warnings: z.array(z.string()),
});
export type TrainerStarted = z.infer<typeof TrainerStarted>;

/** A finished training's figures. */
export const TrainResult = z.object({
  metrics: z.record(z.string(), z.number()),
  labels: z.array(z.string()).nullable(),
  confusionMatrix: z.array(z.array(z.number())).nullable(),
  seconds: z.number(),
  /** Training samples processed per second of the training loop (the figure the benchmarks use). */
  samplesPerSecond: z.number(),
  epochsRun: z.number().int(),
  stoppedEarly: z.boolean(),
  /** Where the trained model was saved (tfjs format); null when none was. */
  checkpointDir: z.string().nullable(),
  /** Rows in each split: the model learns from train, is chosen on validation, and is scored once on test. */
  split: SplitCounts,
  /** The epoch with the lowest validation loss (null without validation rows). */
  bestEpoch: z.number().int().nullable(),
  /** What the data or the manifest made doubtful, in a person's words (constant columns, a softmax trained as logits). */
  warnings: z.array(z.string()),
  /**
   * With `TrainJob.keepPredictions`: per test row, in test-row order, the predicted class index (classification)
   * or value (regression). Never stored with the run.
   */
  testPredictions: z.array(z.number()).optional(),
});
export type TrainResult = z.infer<typeof TrainResult>;

/** A Chromium trainer's result: no checkpoint folder (the model travels as artifacts) and no predictions kept. */
export const ChromiumTrainResult = TrainResult.omit({ checkpointDir: true, testPredictions: true });
export type ChromiumTrainResult = z.infer<typeof ChromiumTrainResult>;

/**
 * The trainer protocol's messages as a Chromium trainer reports them (plus `cancelled`, which it may decide itself);
 * the core fills what an older or simpler trainer leaves out (validation rows, warnings, split, best epoch).
 */
export const TrainerReport = z.discriminatedUnion('kind', [
  TrainerStarted.partial({ validationRows: true, warnings: true }),
  z.object({ kind: z.literal('batch'), progress: BatchProgress }),
  z.object({ kind: z.literal('epoch'), record: z.lazy(() => EpochRecord) }),
  z.object({
    kind: z.literal('done'),
    result: ChromiumTrainResult.partial({ split: true, bestEpoch: true, warnings: true }),
    checkpoint: CheckpointArtifacts.nullable(),
  }),
  /** A probe job's answer: each asked-for backend's speed on this model, or why it cannot train it here. */
  z.object({ kind: z.literal('probed'), probes: z.array(ProbeFigure) }),
  z.object({ kind: z.literal('failed'), message: z.string() }),
  z.object({ kind: z.literal('cancelled') }),
]);
export type TrainerReport = z.infer<typeof TrainerReport>;
const IdentityOverrides = z.object({ merge: z.array(z.array(z.string())), split: z.array(z.string()) });
const CategoryRuleShape = z.object({ pattern: z.string().min(1), category: z.enum(['code', 'docs', 'data', 'config', 'tests']) });
const nothing = z.object({}).strict();

/**
 * Each channel's request and response schemas, built when the channel is first used: a command that lists projects
 * builds one pair, not every channel's (see schemasOf).
 */
const requestSchemas = {
  'app:info': () => ({
    request: nothing,
    /** `canChooseFolder`: the host has a native folder dialog (the desktop app); elsewhere a path is typed. */
    response: z.object({ version: z.string(), home: z.string(), canChooseFolder: z.boolean() }),
  }),
  /** Asks the person for a folder with the system's dialog (desktop app only); null when they cancel. */
  'app:chooseFolder': () => ({
    request: z.object({ title: z.string().max(200).optional() }).strict(),
    response: z.object({ path: z.string().nullable() }),
  }),
  /** Every training backend on this machine (the training process's and Chromium's): installed or not, last probe figures. */
  'machine:backends': () => ({
    request: nothing,
    response: z.object({
      cpu: z.string(),
      backends: z.array(
        z.object({
          backend: z.string(),
          /** The Node training process, or a Chromium context (WebGPU/WebGL: the hidden window or a `serve` page). */
          runsIn: z.enum(RUNS_IN),
          installed: z.boolean(),
          reason: z.string().nullable(),
          lastProbe: z.object({ samplesPerSecond: z.number().nullable(), reason: z.string().nullable(), measuredAt: z.string() }).nullable(),
        }),
      ),
    }),
  }),
  'projects:list': () => ({ request: nothing, response: z.array(Project) }),
  'projects:add': () => ({
    request: z
      .object({
        source: z.string().trim().min(1, 'Enter a git URL or a local folder'),
        /** Only the latest N commits (a shallow clone); full history when absent. */
        depth: z.number().int().positive().optional(),
        /** Where the working copy goes (an absolute path to a new or empty folder); under the data folder when absent. */
        destination: z.string().trim().min(1).optional(),
        /** A local folder used where it is (registered, never copied or changed) instead of cloned. */
        inPlace: z.boolean().optional(),
      })
      .strict(),
    response: Project,
  }),
  'projects:get': () => ({ request: projectRef.strict(), response: Project }),
  'projects:cancelClone': () => ({ request: projectRef.strict(), response: z.object({ cancelled: z.boolean() }) }),
  'projects:commits': () => ({
    request: projectRef.extend({ limit: z.number().int().positive().max(5000).default(200) }).strict(),
    response: z.array(Commit),
  }),
  'projects:contributors': () => ({ request: projectRef.strict(), response: z.array(Contributor) }),
  /** The clone's branch, ahead/behind and local changes; with fetch, after fetching its remote. */
  'projects:gitStatus': () => ({ request: projectRef.extend({ fetch: z.boolean().default(false) }).strict(), response: GitStatus }),
  'projects:pull': () => ({
    request: projectRef.extend({ discardLocalChanges: z.boolean().default(false) }).strict(),
    response: z.object({ updated: z.boolean(), commits: z.number().int(), head: z.string() }),
  }),
  'projects:deepen': () => ({ request: projectRef.strict(), response: GitStatus }),
  'projects:branches': () => ({
    request: projectRef.strict(),
    response: z.object({ current: z.string().nullable(), local: z.array(z.string()), remote: z.array(z.string()) }),
  }),
  'projects:switchBranch': () => ({
    request: projectRef.extend({ branch: z.string().min(1), discardLocalChanges: z.boolean().default(false) }).strict(),
    response: GitStatus,
  }),
  'projects:checkout': () => ({
    request: projectRef.extend({ revision: z.string().min(1), discardLocalChanges: z.boolean().default(false) }).strict(),
    response: GitStatus,
  }),
  'projects:manifest': () => ({ request: projectRef.strict(), response: ManifestInfo }),
  /** For a repository without a modelcommons.json: its data and model files, and a proposed manifest (or one question). */
  'setup:detect': () => ({ request: projectRef.extend({ answers: SetupAnswers.default({}) }).strict(), response: SetupProposal }),
  /** Keeps the manifest in the data folder (and, with intoRepository, writes it into the working tree, uncommitted). */
  'setup:write': () => ({
    request: projectRef.extend({ manifest: Manifest, intoRepository: z.boolean().default(false) }).strict(),
    response: z.object({ path: z.string(), repositoryPath: z.string().nullable() }),
  }),
  'training:start': () => ({
    request: projectRef
      .extend({
        epochs: z.number().int().positive().max(10_000).optional(),
        backend: z.enum(RUN_BACKENDS).optional(),
        /** Evaluate the shipped model on the test rows without training (as the manifest's model.evaluate). */
        evaluate: z.boolean().optional(),
      })
      .strict(),
    response: Run,
  }),
  'training:cancel': () => ({ request: z.object({ runId: z.string().min(1) }).strict(), response: Run }),
  /** Measures `auto`'s backends on the project's model in the background, once per machine and model shape. */
  'training:measure': () => ({ request: projectRef.strict(), response: z.object({ started: z.boolean() }) }),
  /** A Chromium context takes a job announced by `trainer:job`: its manifest and data (once; a second claim is refused). */
  'trainer:claim': () => ({
    request: z.object({ jobId: z.string().min(1) }).strict(),
    response: z.object({
      purpose: z.enum(['train', 'probe']),
      backends: z.array(ChromiumBackend).min(1),
      manifest: Manifest,
      data: ChromiumTrainingData,
    }),
  }),
  /** What a Chromium trainer says about the job it claimed, in the trainer protocol's words. */
  'trainer:report': () => ({
    request: z.object({ jobId: z.string().min(1), message: TrainerReport }).strict(),
    response: z.object({ accepted: z.boolean() }),
  }),
  'runs:list': () => ({ request: projectRef.strict(), response: z.array(Run) }),
  /** Deletes a run that is not running, and its saved model. */
  'runs:delete': () => ({ request: z.object({ runId: z.string().min(1) }).strict(), response: z.object({ deleted: z.boolean() }) }),
  /** Removes a project that is not cloning or training: its record, runs, models and, when ModelCommons made it, its clone folder. */
  'projects:remove': () => ({ request: projectRef.strict(), response: z.object({ removed: z.boolean(), folderRemoved: z.boolean() }) }),
  'projects:diskUse': () => ({ request: projectRef.strict(), response: DiskUse }),
  'catalog:search': () => ({ request: CatalogSearchQuery, response: CatalogSearchResult }),
  'catalog:list': () => ({ request: nothing, response: z.array(CatalogInfo) }),
  'catalog:add': () => ({ request: z.object({ url: z.string().trim().min(1, 'Enter the git URL of a catalog') }).strict(), response: CatalogInfo }),
  'catalog:refresh': () => ({ request: z.object({ catalogId: z.string().min(1) }).strict(), response: CatalogInfo }),
  'catalog:remove': () => ({ request: z.object({ catalogId: z.string().min(1) }).strict(), response: z.object({ removed: z.boolean() }) }),
  /** Whether the Hugging Face Hub source is on, where it is, and whether a token is in use (never the token). */
  'hub:settings': () => ({ request: nothing, response: HubSettings }),
  /** Turns the Hub source on or off (off by default; kept across restarts). Nothing is fetched while it is off. */
  'hub:setEnabled': () => ({ request: z.object({ enabled: z.boolean() }).strict(), response: HubSettings }),
  /** A Hub token for this session's requests (null forgets it); held in memory, never stored or logged. */
  'hub:setToken': () => ({ request: z.object({ token: z.string().max(500).nullable() }).strict(), response: HubSettings }),
  /** Hub models by text and library; the stored listing, with the reason, when the Hub cannot be read. */
  'hub:search': () => ({ request: HubSearchQuery, response: HubSearchResult }),
  'hub:cancel': () => ({ request: nothing, response: z.object({ cancelled: z.boolean() }) }),
  'impact:identities': () => ({ request: projectRef.strict(), response: IdentityOverrides }),
  /** Records that these identities (emails, or "Name <email>") are one person; applied to every later analysis. */
  'impact:merge': () => ({
    request: projectRef.extend({ identities: z.array(z.string().min(1)).min(2, 'Pick at least two identities to merge') }).strict(),
    response: IdentityOverrides,
  }),
  /** Keeps an identity apart from every other: it is never merged, by hand or by evidence. */
  'impact:split': () => ({ request: projectRef.extend({ identity: z.string().min(1) }).strict(), response: IdentityOverrides }),
  /** The project's own category rules (checked first) and the documented defaults after them. */
  'impact:categoryRules': () => ({ request: projectRef.strict(), response: z.object({ rules: z.array(CategoryRuleShape), defaults: z.array(CategoryRuleShape) }) }),
  'impact:setCategoryRules': () => ({
    request: projectRef.extend({ rules: z.array(CategoryRuleShape) }).strict(),
    response: z.object({ rules: z.array(CategoryRuleShape) }),
  }),
  'impact:analyze': () => ({
    request: projectRef
      .extend({
        weights: Weights.partial().optional(),
        includeBots: z.boolean().optional(),
        blame: z.boolean().optional(),
        since: z.string().optional(),
        until: z.string().optional(),
      })
      .strict(),
    response: ImpactReport,
  }),
  /** Each contributor's effect on the model's metric, by replaying the history (trainings stored and reused). */
  'impact:model': () => ({ request: projectRef.merge(ModelImpactRequest).strict(), response: ModelImpact }),
  /** The first model-touching commit whose state is worse than `good`'s beyond seed noise. */
  'impact:bisect': () => ({ request: projectRef.merge(ModelBisectRequest).strict(), response: ModelBisectResult }),
  /** The project's last finished model analysis and the last bisect on it, as stored (null when there is none). */
  'impact:lastModel': () => ({ request: projectRef.strict(), response: StoredModelImpact.nullable() }),
  /** Stops the project's running model-impact analysis or bisect; stored trainings are kept for the next run. */
  'impact:cancelModel': () => ({ request: projectRef.strict(), response: z.object({ cancelled: z.boolean() }) }),
  /** The project's forge connection, what its remote proposes, "as of" and the rate budget. Fetches nothing. */
  'forge:status': () => ({ request: projectRef.strict(), response: ForgeStatus }),
  /** Connects the project to its forge (a token, if given, goes to the keychain, never the store). Fetches nothing. */
  'forge:connect': () => ({
    request: projectRef
      .extend({ forge: ForgeKind, repo: z.string().trim().min(1, 'Enter OWNER/REPO or GROUP/PROJECT'), apiUrl: z.string().optional(), token: z.string().optional() })
      .strict(),
    response: ForgeStatus,
  }),
  /** Reads what changed on the connected forge since the last sync (conditional requests). */
  'forge:sync': () => ({ request: projectRef.strict(), response: ForgeSyncResult }),
} as const;

export const events = {
  'projects:changed': Project,
  'clone:progress': z.object({
    projectId: z.string(),
    stage: z.string(),
    percent: z.number(),
    /** Percent of the whole transfer, never going back (git's phases weighted). */
    overallPercent: z.number(),
    processed: z.number().nullable(),
    total: z.number().nullable(),
    bytesPerSecond: z.number().nullable(),
  }),
  'training:progress': z.object({
    runId: z.string(),
    projectId: z.string(),
    epochs: z.number().int(),
    record: EpochRecord,
  }),
  'training:batch': BatchProgress.extend({ runId: z.string(), projectId: z.string() }),
  /** The run's backend, device, split and warnings are known (the training loop starts): shown before any epoch ends. */
  'training:started': Run,
  /** What a run does before its first batch: loading data, or measuring a backend for `auto` (done of total). */
  'training:phase': TrainingPhase.extend({ runId: z.string(), projectId: z.string() }),
  'training:finished': Run,
  /** A job for a Chromium trainer (the desktop app's hidden window, or a `serve` page): the first to claim it runs it. */
  'trainer:job': z.object({ jobId: z.string(), purpose: z.enum(['train', 'probe']) }),
  /** The job's run was cancelled or ended: the context running it stops. */
  'trainer:cancel': z.object({ jobId: z.string() }),
  'impact:progress': z.object({
    projectId: z.string(),
    phase: z.enum(['listing', 'commits', 'blame', 'aggregating']),
    done: z.number(),
    total: z.number(),
  }),
  'forge:progress': ForgeProgress,
  'impact:modelProgress': ModelImpactProgress,
} as const;

type RequestSchemas = { [C in keyof typeof requestSchemas]: ReturnType<(typeof requestSchemas)[C]> };
export type Channel = keyof RequestSchemas;
export type EventName = keyof typeof events;
export type RequestOf<C extends Channel> = z.input<RequestSchemas[C]['request']>;
export type ParsedRequestOf<C extends Channel> = z.output<RequestSchemas[C]['request']>;
export type ResponseOf<C extends Channel> = z.output<RequestSchemas[C]['response']>;
export type EventPayload<E extends EventName> = z.output<(typeof events)[E]>;

const builtSchemas = new Map<Channel, RequestSchemas[Channel]>();
/** A channel's request and response schemas (built on its first use, then kept). */
export function schemasOf<C extends Channel>(channel: C): RequestSchemas[C] {
  let schemas = builtSchemas.get(channel);
  if (!schemas) builtSchemas.set(channel, (schemas = requestSchemas[channel]()));
  return schemas as RequestSchemas[C];
}

export const channelNames = Object.keys(requestSchemas) as Channel[];
export const eventNames = Object.keys(events) as EventName[];

export function isChannel(name: unknown): name is Channel {
  return typeof name === 'string' && Object.hasOwn(requestSchemas, name);
}
export function isEventName(name: unknown): name is EventName {
  return typeof name === 'string' && Object.hasOwn(events, name);
}

/** Every failure crossing the boundary has a kind and a one-line message meant for a person. */
export const ApiErrorShape = z.object({
  kind: z.enum(['invalid-request', 'not-found', 'conflict', 'git', 'training', 'internal']),
  message: z.string(),
});
export type ApiErrorShape = z.infer<typeof ApiErrorShape>;

export type Envelope<T> = { ok: true; value: T } | { ok: false; error: ApiErrorShape };

/** One event as it travels over any transport. */
export interface EventMessage<E extends EventName = EventName> {
  name: E;
  payload: EventPayload<E>;
}

export const IPC_EVENT_CHANNEL = 'modelcommons:event';
