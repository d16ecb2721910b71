// Project catalogs: the catalog.json schema (a list of model projects with precomputed card facts), the records of
// added catalogs, and the search query and hits that cross the contract. Pure TS + zod.
import { z } from 'zod';
import { Manifest } from './manifest.js';

export const CATALOG_FILE = 'catalog.json';

/** The most README text a catalog entry carries (see markdownExcerpt). */
export const CATALOG_README_MAX = 2000;

export const catalogTasks = ['classification', 'regression', 'image', 'text', 'other'] as const;
export const CatalogTask = z.enum(catalogTasks);
export type CatalogTask = z.infer<typeof CatalogTask>;

export const BUNDLED_URL_PREFIX = 'bundled:';

/** A bundled project's name: one path segment of letters, digits, `.`, `_`, `-`, never `.`/`..`. */
const BUNDLED_NAME = /^[A-Za-z0-9][A-Za-z0-9._-]{0,99}$/;

/** The project name of a `bundled:<name>` URL, or null when the URL is not one or the name is unsafe. */
export function bundledName(url: string): string | null {
  if (!url.startsWith(BUNDLED_URL_PREFIX)) return null;
  const name = url.slice(BUNDLED_URL_PREFIX.length);
  return BUNDLED_NAME.test(name) && !name.includes('..') ? name : null;
}

const REMOTE_URL = /^(https?|ssh|git|file):\/\/[^\s]+$/i;
/** `user@host:path` or `host.tld:path`, as git reads scp-like ssh addresses. */
const SCP_LIKE = /^(?:[\w.-]+@[\w.-]+|[\w-]+(?:\.[\w-]+)+):(?!\/\/)[^\s]+$/;

// eslint-disable-next-line no-control-regex
const URL_CONTROL = /[\u0000-\u001f\u007f-\u009f\u061c\u200e\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069]/;

/** True for the URLs an entry may point at: a git URL, an scp-like ssh address, or `bundled:<name>`. */
export function isCatalogEntryUrl(url: string): boolean {
  // A control or bidi character in a URL is never a real address, only a way to fake what a terminal shows.
  if (URL_CONTROL.test(url)) return false;
  if (url.startsWith(BUNDLED_URL_PREFIX)) return bundledName(url) !== null;
  // `ext::`, `fd::` and other transport helpers run programs: never in a catalog.
  if (/^[a-z][a-z0-9+.-]*::/i.test(url)) return false;
  return REMOTE_URL.test(url) || SCP_LIKE.test(url);
}

export const CatalogManifestSummary = z.object({
  /** The manifest's task (classification, regression). */
  task: z.string().min(1),
  /** The layers in one line, e.g. "dense 16 → dense 3". */
  model: z.string().min(1).max(500),
  /** Rows of tabular data, or images, in the data the manifest declares. */
  rows: z.number().int().nonnegative().optional(),
});
export type CatalogManifestSummary = z.infer<typeof CatalogManifestSummary>;

export const CatalogLastCommit = z.object({
  sha: z.string().regex(/^[0-9a-f]{40}([0-9a-f]{24})?$/, 'a full commit id (40 or 64 hex digits)'),
  /** ISO 8601 author date. */
  date: z.string().min(1),
  subject: z.string(),
});
export type CatalogLastCommit = z.infer<typeof CatalogLastCommit>;

// Objects are not `.strict()`: a catalog written for a newer ModelCommons (with keys this one does not know)
// still loads here, its extra keys ignored.
export const CatalogEntry = z.object({
  name: z.string().trim().min(1).max(200),
  url: z
    .string()
    .trim()
    .refine(isCatalogEntryUrl, 'expected a git URL (https://, ssh://, git://, file://, user@host:path) or bundled:<name>'),
  description: z.string().max(2000),
  task: CatalogTask,
  tags: z.array(z.string().trim().min(1).max(50)).max(50).default([]),
  /** An SPDX license expression, e.g. "MIT" or "MIT AND CC-BY-4.0". */
  license: z.string().trim().min(1).max(200),
  /** Bytes a clone takes (the repository's objects). */
  size: z.number().int().nonnegative().optional(),
  /** A sanitized excerpt of the README (markdownExcerpt): no HTML, no images. */
  readme: z.string().max(CATALOG_README_MAX).optional(),
  manifest: CatalogManifestSummary.optional(),
  lastCommit: CatalogLastCommit.optional(),
  /** How many people have commits in the project. */
  contributors: z.number().int().nonnegative().optional(),
  /**
   * A modelcommons.json for a repository that has none, written for one commit of it: a clone from this entry checks
   * that commit out and keeps the manifest in the data folder (the repository is not changed).
   */
  overlay: z
    .object({
      commit: z.string().regex(/^[0-9a-f]{40}([0-9a-f]{24})?$/, 'a full commit id (40 or 64 hex digits)'),
      manifest: Manifest,
    })
    .optional(),
});
export type CatalogEntry = z.output<typeof CatalogEntry>;

export const CatalogFile = z.object({
  $schema: z.string().optional(),
  name: z.string().trim().min(1).max(200),
  description: z.string().max(2000).optional(),
  entries: z.array(CatalogEntry).max(10_000),
});
export type CatalogFile = z.output<typeof CatalogFile>;

export type ParseCatalogResult =
  | { readonly kind: 'ok'; readonly catalog: CatalogFile }
  | { readonly kind: 'invalid'; readonly message: string; readonly issues: readonly CatalogIssue[] };

export interface CatalogIssue {
  /** The zod path joined with dots, e.g. "entries.1.url"; "(root)" for the document itself. */
  readonly key: string;
  readonly message: string;
}

/** Parses catalog.json text; `file` names the file in the message (e.g. "catalog.json of https://…"). */
export function parseCatalogJson(text: string, file: string): ParseCatalogResult {
  let data: unknown;
  try {
    data = JSON.parse(text.replace(/^\uFEFF/, ''));
  } catch (err) {
    // V8 quotes the text around the error, line breaks and all: the message stays one line.
    const reason = (err instanceof Error ? err.message : String(err)).replace(/\s*[\r\n]+\s*/g, ' ');
    const issue = { key: '(root)', message: `not valid JSON (${reason})` };
    return { kind: 'invalid', message: `${file} is not valid JSON: ${reason}`, issues: [issue] };
  }
  const parsed = CatalogFile.safeParse(data);
  if (parsed.success) return { kind: 'ok', catalog: parsed.data };
  const issues = parsed.error.issues.map((i) => ({ key: i.path.map(String).join('.') || '(root)', message: issueMessage(i) }));
  const shown = issues.slice(0, 5).map((i) => `${i.key}: ${i.message}`);
  if (issues.length > shown.length) shown.push(`and ${issues.length - shown.length} more`);
  return { kind: 'invalid', message: `${file} is invalid: ${shown.join('; ')}`, issues };
}

function issueMessage(issue: z.core.$ZodIssue): string {
  if (issue.code === 'invalid_type' && /received undefined$/.test(issue.message)) return `required (${issue.expected})`;
  return issue.message;
}

/** JSON Schema for catalog authors' editors. */
export function catalogJsonSchema(): unknown {
  return z.toJSONSchema(CatalogFile, { io: 'input' });
}

/** The ids in an SPDX expression, upper-cased: "MIT AND (CC-BY-4.0 OR Apache-2.0)" → MIT, CC-BY-4.0, APACHE-2.0. */
export function licenseIds(expression: string): string[] {
  return expression
    .split(/[\s()]+/)
    .filter((t) => t && !/^(AND|OR|WITH)$/i.test(t))
    .map((t) => t.replace(/\+$/, '').toUpperCase());
}

// ---------------------------------------------------------------------------------------------------- records

/** An added catalog: a git repository cloned into the data folder. */
export const CatalogInfo = z.object({
  id: z.string(),
  url: z.string(),
  /** The catalog's own name (from its catalog.json). */
  name: z.string(),
  /** Where its clone lives on this machine. */
  path: z.string(),
  entries: z.number().int(),
  /** The last time its catalog.json was read successfully. */
  updatedAt: z.string(),
  /** Why the last refresh failed (the previous catalog stays in use); null when it worked. */
  error: z.string().nullable(),
  createdAt: z.string(),
});
export type CatalogInfo = z.infer<typeof CatalogInfo>;

/** The id the bundled catalog goes by in search hits. */
export const BUNDLED_CATALOG_ID = 'bundled';

export const CatalogSearchQuery = z
  .object({
    /** Words matched, case-insensitively, in the name, description and tags; every word must match. */
    query: z.string().trim().max(200).optional(),
    task: CatalogTask.optional(),
    /** Every tag must be on the entry (case-insensitive). */
    tags: z.array(z.string().trim().min(1)).max(20).optional(),
    /** An SPDX id the entry's license expression names (case-insensitive). */
    license: z.string().trim().min(1).optional(),
    /** Bytes; entries without a known size are left out when this is set. */
    maxSize: z.number().int().nonnegative().optional(),
  })
  .strict();
export type CatalogSearchQuery = z.input<typeof CatalogSearchQuery>;

export const CatalogHit = z.object({
  entry: CatalogEntry,
  catalog: z.object({ id: z.string(), name: z.string(), bundled: z.boolean() }),
});
export type CatalogHit = z.output<typeof CatalogHit>;

export const CatalogSearchResult = z.object({
  hits: z.array(CatalogHit),
  /** Catalogs that could not be read this time (their entries are missing from the hits). */
  skipped: z.array(z.object({ catalogId: z.string(), name: z.string(), error: z.string() })),
});
export type CatalogSearchResult = z.output<typeof CatalogSearchResult>;

// ---------------------------------------------------------------------------------------------------- Hugging Face Hub

/** Where the Hub is unless HF_ENDPOINT names another (a mirror, or the tests' loopback server). */
export const HUB_URL_DEFAULT = 'https://huggingface.co';

/** The label a Hub card carries beside the catalogs' names. */
export const HUB_SOURCE_NAME = 'Hugging Face Hub';

/** Libraries a Hub search filters on (the Hub's `library` facet); any other id is accepted too. */
export const HUB_LIBRARIES = ['keras', 'tf-keras', 'keras-hub', 'tfjs'] as const;

/** A Hub model id: `owner/name` (or a bare legacy `name`), each part letters, digits, `.`, `_`, `-`. */
export const HUB_MODEL_ID = /^(?:[A-Za-z0-9][A-Za-z0-9._-]{0,95}\/)?[A-Za-z0-9][A-Za-z0-9._-]{0,95}$/;

export const HubModel = z.object({
  /** `owner/name`, as the Hub writes it. */
  id: z.string().regex(HUB_MODEL_ID),
  author: z.string(),
  downloads: z.number().int().nonnegative(),
  likes: z.number().int().nonnegative(),
  /** The Hub's `library_name` (keras, tfjs, …); null when the model card names none. */
  library: z.string().nullable(),
  /** ISO 8601. */
  lastModified: z.string(),
  /** The model's page on the Hub. */
  pageUrl: z.string(),
  /** What to clone: the Hub serves each model as a git repository (LFS for the weights). */
  cloneUrl: z.string(),
});
export type HubModel = z.infer<typeof HubModel>;

export const HubSearchQuery = z
  .object({
    /** Text the Hub matches in model ids. */
    query: z.string().trim().max(200).optional(),
    /** One library, e.g. `keras` or `tfjs`. */
    library: z.string().trim().regex(/^[a-z0-9][a-z0-9._-]{0,49}$/i, 'a library id such as keras or tfjs').optional(),
    limit: z.number().int().min(1).max(200).optional(),
  })
  .strict();
export type HubSearchQuery = z.input<typeof HubSearchQuery>;

export const HubSearchResult = z.object({
  /** False while the Hub source is off: nothing was fetched and no models are listed. */
  enabled: z.boolean(),
  models: z.array(HubModel),
  /** When the listing was read from the Hub (ISO 8601); null when there is none. */
  asOf: z.string().nullable(),
  /** True when the Hub could not be reached this time and the listing is the one stored for offline use. */
  fromCache: z.boolean(),
  /** Why the Hub could not be read this time (one line); null when it was. */
  error: z.string().nullable(),
});
export type HubSearchResult = z.output<typeof HubSearchResult>;

export const HubSettings = z.object({
  /** The Hub is reached only when this is on (off by default; kept in the store). */
  enabled: z.boolean(),
  hubUrl: z.string(),
  /** A token is in use (entered this session, or HF_TOKEN); the token itself never crosses the contract. */
  token: z.enum(['none', 'entered', 'environment']),
});
export type HubSettings = z.infer<typeof HubSettings>;
