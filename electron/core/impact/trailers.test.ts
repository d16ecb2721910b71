// Tests of trailers.ts: trailer keys, git trailer output, contacts and check-mailmap queries.
import { describe, expect, it } from 'vitest';
import { mailmapQuery, parseContact, parseCreditTrailers, trailerKind } from './trailers.js';

describe('credit trailers', () => {
  it('classifies the credit trailer keys case-insensitively and ignores the others', () => {
    expect(trailerKind('Co-authored-by')).toBe('co-author');
    expect(trailerKind('co-authored-BY')).toBe('co-author');
    expect(trailerKind('Reviewed-by')).toBe('review');
    expect(trailerKind('Acked-by')).toBe('review');
    expect(trailerKind('Tested-by')).toBe('review');
    expect(trailerKind('Signed-off-by')).toBe('sign-off');
    expect(trailerKind('Fixes')).toBeNull();
    expect(trailerKind('Change-Id')).toBeNull();
  });

  it('reads git trailer output, dropping other trailers and duplicates', () => {
    const text = [
      'Co-authored-by: Carol King <carol@mail.test>',
      'Fixes: #12',
      'Reviewed-by:   Dave  Reviewer <dave@mail.test>',
      'co-authored-by: Carol King <CAROL@mail.test>',
      'Signed-off-by: Bob <bob@mail.test>',
      'Reviewed-by:',
      '',
    ].join('\n');
    expect(parseCreditTrailers(text)).toEqual([
      { kind: 'co-author', contact: 'Carol King <carol@mail.test>' },
      { kind: 'review', contact: 'Dave Reviewer <dave@mail.test>' },
      { kind: 'sign-off', contact: 'Bob <bob@mail.test>' },
    ]);
  });

  it('splits contacts and builds check-mailmap queries only where there is an email', () => {
    expect(parseContact('Jane Doe <jane@mail.test>')).toEqual({ name: 'Jane Doe', email: 'jane@mail.test' });
    expect(parseContact('"Doe, Jane" <jane@mail.test>')).toEqual({ name: 'Doe, Jane', email: 'jane@mail.test' });
    expect(parseContact('<jane@mail.test>')).toEqual({ name: '', email: 'jane@mail.test' });
    expect(parseContact('jane@mail.test')).toEqual({ name: '', email: 'jane@mail.test' });
    expect(parseContact('Jane Doe')).toEqual({ name: 'Jane Doe', email: '' });
    expect(mailmapQuery({ name: 'Jane Doe', email: 'jane@mail.test' })).toBe('Jane Doe <jane@mail.test>');
    expect(mailmapQuery({ name: '', email: 'jane@mail.test' })).toBe('<jane@mail.test>');
    expect(mailmapQuery({ name: 'Jane Doe', email: '' })).toBeNull();
  });
});
