// One forge account's interaction counts and the git identities its commits link it to: what the forge sync
// hands to the impact tally (impact-tally.ts merges these people with the git history's).
import type { ForgeKind, Interaction, InteractionMonth } from '../../../shared/forge.js';

export interface ForgePerson {
  readonly forge: ForgeKind;
  readonly login: string;
  /** The display name the forge gave (GitLab always; GitHub only from the commit list), or null. */
  readonly name: string | null;
  /** The forge says the account is automation (GitHub `type: "Bot"`, GitLab `bot: true`). */
  readonly bot: boolean;
  /** Git identities (name, email) of the commits the forge attributes to the login. */
  readonly identities: readonly { readonly name: string; readonly email: string }[];
  readonly interaction: Interaction;
  /** The same counts per UTC month, oldest first, only months with any (an item without a date is counted, not dated). */
  readonly months: readonly InteractionMonth[];
}

/** The address a login is keyed by among git identities: GitHub's noreply form (which git identities use too). */
export function loginEmail(forge: ForgeKind, login: string): string {
  return `${login.toLowerCase()}@users.noreply.${forge === 'github' ? 'github.com' : 'gitlab.com'}`;
}
