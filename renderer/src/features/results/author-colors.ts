// One colour per author for the metric chart and its legend: the Okabe–Ito palette (told apart with the common
// colour-vision deficiencies), in the order authors first appear; the chart never relies on colour alone.
const palette = ['#0072B2', '#E69F00', '#009E73', '#D55E00', '#CC79A7', '#56B4E9', '#F0E442', '#999999'];

export interface AuthorColor {
  readonly email: string;
  readonly name: string;
  readonly color: string;
}

/** Authors (by email, the identity the report already merged) with their colour, first appearance first. */
export function authorColors(commits: readonly { email: string; author: string }[]): AuthorColor[] {
  const seen = new Map<string, AuthorColor>();
  for (const c of commits) {
    if (!seen.has(c.email)) seen.set(c.email, { email: c.email, name: c.author, color: palette[seen.size % palette.length]! });
  }
  return [...seen.values()];
}
