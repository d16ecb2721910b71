// Tests of identities.ts: alias merging, placeholders, bots kept apart, manual merge and split.
import { describe, expect, it } from 'vitest';
import { createBotDetector, isBotIdentity } from './bots.js';
import { identityKey, resolveIdentities, type IdentitySighting } from './identities.js';

const seen = (name: string, email: string, weight = 1): IdentitySighting => ({ name, email, weight });

describe('identities', () => {
  it('merges aliases by shared email, by shared name, and by a login-like name that is an email login', () => {
    const r = resolveIdentities(
      [
        seen('Jane Doe', 'jdoe@work.test', 3),
        seen('J. Doe', 'JDOE@work.test'),
        seen('Jane Doe', 'jane@home.test'),
        seen('jdoe', '12345+jdoe@users.noreply.github.com'),
        seen('Bob', 'bob@mail.test'),
      ],
      isBotIdentity,
    );
    expect(r.people).toHaveLength(2);
    const jane = r.personOf('jdoe', '999+jdoe@users.noreply.github.com');
    expect(jane).toBe(r.personOf('J. Doe', 'jdoe@work.test'));
    expect(jane).toBe(r.personOf('Jane Doe', 'jane@home.test'));
    expect(jane.name).toBe('Jane Doe');
    expect(jane.email).toBe('jdoe@work.test');
    expect(new Set(jane.emails)).toEqual(new Set(['jdoe@work.test', 'jane@home.test', '12345+jdoe@users.noreply.github.com']));
    expect(r.personOf('Bob', 'bob@mail.test')).not.toBe(jane);
  });

  it('does not merge by placeholder emails, generic names or short logins', () => {
    const r = resolveIdentities(
      [seen('Ann One', 'you@example.com'), seen('Ben Two', 'you@example.com'), seen('root', 'a@one.test'), seen('root', 'b@two.test'), seen('dev', 'dev@three.test'), seen('Al', 'al@x.test'), seen('al', 'al@y.test')],
      isBotIdentity,
    );
    expect(r.personOf('Ann One', 'you@example.com')).not.toBe(r.personOf('Ben Two', 'you@example.com'));
    expect(r.personOf('root', 'a@one.test')).not.toBe(r.personOf('root', 'b@two.test'));
    expect(r.personOf('al', 'al@y.test')).toBe(r.personOf('Al', 'al@x.test')); // same name, two letters
    expect(identityKey('Ann One', 'you@example.com')).toBe('n:ann one');
    expect(identityKey('x', 'Jane@Mail.test')).toBe('e:jane@mail.test');
  });

  it('never merges a bot with a person automatically, and marks bots', () => {
    const isBot = createBotDetector({ accounts: ['builds@corp.test'] });
    const r = resolveIdentities([seen('Jenkins', 'builds@corp.test'), seen('Jenkins', 'jenkins@person.test'), seen('dependabot[bot]', 'x@y.test')], isBot);
    expect(r.people).toHaveLength(3);
    expect(r.personOf('Jenkins', 'builds@corp.test').bot).toBe(true);
    expect(r.personOf('Jenkins', 'jenkins@person.test').bot).toBe(false);
    expect(r.personOf('dependabot[bot]', 'x@y.test').bot).toBe(true);
  });

  it('applies manual merges and splits', () => {
    const sightings = [seen('Jane Doe', 'jane@a.test'), seen('Jane Doe', 'jane@b.test'), seen('Janie', 'janie@c.test'), seen('ci-bot', 'ci@corp.test')];
    const auto = resolveIdentities(sightings, isBotIdentity);
    expect(auto.people).toHaveLength(3);
    const split = resolveIdentities(sightings, isBotIdentity, { split: ['jane@b.test'] });
    expect(split.personOf('Jane Doe', 'jane@a.test')).not.toBe(split.personOf('Jane Doe', 'jane@b.test'));
    const merged = resolveIdentities(sightings, isBotIdentity, { merge: [['Janie <janie@c.test>', 'jane@a.test'], ['ci@corp.test', 'Janie']] });
    expect(merged.people).toHaveLength(1);
    expect(merged.people[0]!.bot).toBe(false); // a person with a bot identity merged in by hand
    expect(merged.people[0]!.emails).toHaveLength(4);
  });

  it('refuses an identity it never saw', () => {
    const r = resolveIdentities([seen('A', 'a@x.test')], isBotIdentity);
    expect(() => r.personOf('B', 'b@x.test')).toThrow(/not among the sightings/);
  });
});
