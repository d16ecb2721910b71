// Setting up training for a repository without a modelcommons.json: what was found in it, the manifest proposed,
// and the answers a person gives (data file, label, task, model). Pure TS + zod; the contract's setup:* channels.
import { z } from 'zod';
import { Manifest } from './manifest.js';

export const SetupTask = z.enum(['classification', 'regression']);

export const SetupAnswers = z
  .object({
    /** A data file (CSV/TSV/JSONL) or an image folder, relative to the repository root. */
    data: z.string().trim().min(1).optional(),
    label: z.string().trim().min(1).optional(),
    task: SetupTask.optional(),
    /** A model file relative to the root, or "template" for the small default network. */
    model: z.string().trim().min(1).optional(),
  })
  .strict();
export type SetupAnswers = z.infer<typeof SetupAnswers>;

export const ModelFileKind = z.enum(['keras-json', 'keras-archive', 'keras-h5', 'tfjs']);
export type ModelFileKind = z.infer<typeof ModelFileKind>;

export const SetupColumn = z.object({
  name: z.string(),
  /** Numeric when at least 90 % of the non-empty cells read are numbers (the loader's own rule). */
  type: z.enum(['number', 'text']),
  distinct: z.number().int(),
  missing: z.number().int(),
});
export type SetupColumn = z.infer<typeof SetupColumn>;

export const ImageFolderFound = z.object({
  path: z.string(),
  classes: z.array(z.string()),
  images: z.number().int(),
  /** [height, width] of the first image. */
  size: z.tuple([z.number().int(), z.number().int()]).nullable(),
  channels: z.union([z.literal(1), z.literal(3)]),
});
export type ImageFolderFound = z.infer<typeof ImageFolderFound>;

export const SetupProposal = z.object({
  /** Whether the repository itself has a modelcommons.json (then nothing needs setting up). */
  repositoryManifest: z.boolean(),
  /** Where the set-up manifest is (or would be) kept in the data folder, and whether one is there. */
  overlay: z.object({ path: z.string(), exists: z.boolean() }),
  dataFiles: z.array(z.string()),
  imageFolders: z.array(ImageFolderFound),
  modelFiles: z.array(z.object({ path: z.string(), kind: ModelFileKind })),
  /** The data chosen: a table with its columns and first rows, or an image folder. */
  data: z
    .discriminatedUnion('kind', [
      z.object({ kind: z.literal('table'), file: z.string(), columns: z.array(SetupColumn), rows: z.number().int(), preview: z.array(z.array(z.string())) }),
      z.object({ kind: z.literal('images'), folder: ImageFolderFound }),
    ])
    .nullable(),
  label: z.string().nullable(),
  /** Columns that could be the label (named label, target, class, y, …; else the last column). */
  labelCandidates: z.array(z.string()),
  task: SetupTask.nullable(),
  features: z.array(z.string()),
  /** Feature columns left out, each with why (an id, free text with too many distinct values). */
  leftOut: z.array(z.object({ column: z.string(), reason: z.string() })),
  model: z.object({ kind: z.enum(['file', 'template']), file: z.string().nullable(), summary: z.string() }).nullable(),
  /** One line asking what is needed before a manifest can be proposed (a choice of label, no data found); else null. */
  question: z.string().nullable(),
  /** How each choice was made, one line each (shown beside the proposal). */
  notes: z.array(z.string()),
  /** The manifest to write; null while a question is open. */
  manifest: Manifest.nullable(),
});
export type SetupProposal = z.infer<typeof SetupProposal>;
