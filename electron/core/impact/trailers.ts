// Reads the credit trailers of a commit message (Co-authored-by, Reviewed-by, Acked-by, Tested-by,
// Signed-off-by) from git's own trailer output, and splits a "Name <email>" contact.

export type TrailerKind = 'co-author' | 'review' | 'sign-off';

export interface CreditTrailer {
  readonly kind: TrailerKind;
  /** The value as written, e.g. `Jane Doe <jane@example.org>`. */
  readonly contact: string;
}

export interface Contact {
  readonly name: string;
  readonly email: string;
}

const KIND_BY_KEY: ReadonlyMap<string, TrailerKind> = new Map([
  ['co-authored-by', 'co-author'],
  ['co-author', 'co-author'],
  ['reviewed-by', 'review'],
  ['acked-by', 'review'],
  ['tested-by', 'review'],
  ['signed-off-by', 'sign-off'],
]);

/** Which credit a trailer key gives (case-insensitive), or null for any other trailer. */
export function trailerKind(key: string): TrailerKind | null {
  return KIND_BY_KEY.get(key.trim().toLowerCase()) ?? null;
}

/**
 * Parses the output of `%(trailers:only,unfold)`: one `Key: value` per line. Lines of other trailers
 * and duplicates within the commit are dropped.
 */
export function parseCreditTrailers(text: string): CreditTrailer[] {
  const out: CreditTrailer[] = [];
  const seen = new Set<string>();
  for (const line of text.split('\n')) {
    const colon = line.indexOf(':');
    if (colon <= 0) continue;
    const kind = trailerKind(line.slice(0, colon));
    const contact = line.slice(colon + 1).trim().replace(/\s+/g, ' ');
    if (!kind || !contact) continue;
    const key = `${kind}\n${contact.toLowerCase()}`;
    if (seen.has(key)) continue;
    seen.add(key);
    out.push({ kind, contact });
  }
  return out;
}

/** Splits `Name <email>`; a bare `email@host` or a bare name are accepted too. */
export function parseContact(value: string): Contact {
  const text = value.trim();
  const m = /^(.*?)\s*<([^<>]*)>\s*$/.exec(text);
  if (m) return { name: (m[1] ?? '').trim().replace(/^"(.*)"$/, '$1'), email: (m[2] ?? '').trim() };
  if (/^[^\s@<>]+@[^\s@<>]+$/.test(text)) return { name: '', email: text };
  return { name: text, email: '' };
}

/** The `Name <email>` form `git check-mailmap` accepts, or null where the contact has no email. */
export function mailmapQuery(contact: Contact): string | null {
  if (!contact.email || /[<>\n]/.test(contact.email) || /[<>\n]/.test(contact.name)) return null;
  return contact.name ? `${contact.name} <${contact.email}>` : `<${contact.email}>`;
}
