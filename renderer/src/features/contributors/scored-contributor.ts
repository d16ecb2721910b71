// A contributor re-scored for the person's weights: what the contributors view hands its table and details.
import type { ContributorImpact } from '../../../../shared/impact';

export type ScoredContributor = ContributorImpact & { score: number; share: number };
