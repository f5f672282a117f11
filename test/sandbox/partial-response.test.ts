import { describe, expect, it } from 'vitest';
import { applyFields } from '../../sandbox/rest/partial-response';

const page = {
  pagelen: 10,
  next: 'n',
  values: [
    { id: 1, title: 'a', participants: [{ approved: true }], reviewers: [], links: { self: { href: 'x' }, html: { href: 'y' } } },
    { id: 2, title: 'b', participants: [], reviewers: [], links: { self: { href: 'z' }, html: { href: 'w' } } },
  ],
};

describe('partial responses (fields=)', () => {
  it('returns only the listed fields, through arrays', () => {
    expect(applyFields(page, 'values.id,next')).toEqual({ next: 'n', values: [{ id: 1 }, { id: 2 }] });
  });

  it('matches any key with *', () => {
    expect(applyFields(page, 'values.links.*.href')).toEqual({ values: [{ links: { self: { href: 'x' }, html: { href: 'y' } } }, { links: { self: { href: 'z' }, html: { href: 'w' } } }] });
  });

  it('leaves out what a resource omits by default unless + asks for it, and removes with -', () => {
    const omit = ['values.participants', 'values.reviewers'];
    const plain = applyFields(page, undefined, omit) as typeof page;
    expect(plain.values[0]).not.toHaveProperty('participants');
    expect(plain.values[0]).toHaveProperty('title', 'a');
    const withParticipants = applyFields(page, '+values.participants,-values.links', omit) as typeof page;
    expect(withParticipants.values[0]).toMatchObject({ participants: [{ approved: true }] });
    expect(withParticipants.values[0]).not.toHaveProperty('reviewers');
    expect(withParticipants.values[0]).not.toHaveProperty('links');
  });
});
