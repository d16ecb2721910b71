// The forge (GitHub / GitLab) connection of a project as it crosses the contract: what is connected, when it
// was last synced, the API's rate budget, and what a sync fetched.
import { z } from 'zod';

export const ForgeKind = z.enum(['github', 'gitlab']);
export type ForgeKind = z.infer<typeof ForgeKind>;

/** The public API base of each forge; GitHub Enterprise and self-hosted GitLab give their own. */
export const DEFAULT_FORGE_API_URL: Readonly<Record<ForgeKind, string>> = Object.freeze({
  github: 'https://api.github.com',
  gitlab: 'https://gitlab.com',
});

/** A project on a forge: `OWNER/REPO` on GitHub, `GROUP/…/PROJECT` on GitLab. */
export const ForgeTarget = z.object({ forge: ForgeKind, repo: z.string().min(1), apiUrl: z.string().url() });
export type ForgeTarget = z.infer<typeof ForgeTarget>;

export const RateBudget = z.object({
  limit: z.number().nullable(),
  remaining: z.number().nullable(),
  /** When the budget refills (ISO 8601), as the API said. */
  resetAt: z.string().nullable(),
});
export type RateBudget = z.infer<typeof RateBudget>;

/** Items per kind; `commits` is the commits read in a sync's `fetched`, and the login ↔ git identity links in a status. */
export const ForgeCounts = z.object({
  issues: z.number().int(),
  pullRequests: z.number().int(),
  comments: z.number().int(),
  reviews: z.number().int(),
  reviewComments: z.number().int(),
  commits: z.number().int(),
});
export type ForgeCounts = z.infer<typeof ForgeCounts>;

export const ForgeStatus = z.object({
  projectId: z.string(),
  /** Null until the user connects the project: nothing is fetched before. */
  connection: ForgeTarget.nullable(),
  /** What the project's remote URL suggests, for the Connect control. */
  proposed: ForgeTarget.nullable(),
  /** When the last complete sync finished ("as of"); null when never synced. */
  syncedAt: z.string().nullable(),
  rate: RateBudget.nullable(),
  /** Whether a token is at hand for the connected forge (its environment variable, or one the user entered). */
  hasToken: z.boolean(),
  counts: ForgeCounts,
});
export type ForgeStatus = z.infer<typeof ForgeStatus>;

export const ForgeSyncResult = z.object({
  status: ForgeStatus,
  /** HTTP requests made by this sync, and how many of them the server answered 304 Not Modified. */
  requests: z.number().int(),
  notModified: z.number().int(),
  /** Items received (new or changed) by this sync. */
  fetched: ForgeCounts,
});
export type ForgeSyncResult = z.infer<typeof ForgeSyncResult>;

export const ForgeProgress = z.object({
  projectId: z.string(),
  /** The list being read: issues, comments, reviews, reviewComments, commits. */
  list: z.string(),
  /** Items received so far in this sync, and requests made. */
  fetched: z.number().int(),
  requests: z.number().int(),
  /** Set while the sync waits for the rate limit (seconds). */
  waitingSeconds: z.number().nullable(),
});
export type ForgeProgress = z.infer<typeof ForgeProgress>;

/** One person's interaction on the forge (README.md, PQ): what the contributor report shows. */
export const Interaction = z.object({
  /** Issues (not pull requests) the person opened. */
  issuesOpened: z.number().int(),
  /** Issues opened by someone else that the person commented on, once per issue. */
  answers: z.number().int(),
  /** Others' pull requests the person submitted a review on, once per pull request. */
  reviews: z.number().int(),
  /** Review comments (on the diff) on others' pull requests. */
  reviewComments: z.number().int(),
});
export type Interaction = z.infer<typeof Interaction>;

/** One calendar month (UTC, "2026-01") of a person's interaction: the counts of Interaction dated in it. */
export const InteractionMonth = Interaction.extend({ month: z.string() });
export type InteractionMonth = z.infer<typeof InteractionMonth>;
