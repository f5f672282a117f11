import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { parseWebhookData, webhookDataSchemas, type WebhookEventKey } from '../../../server/bitbucket/webhooks';
import { webhookDataChecks } from '../../../server/bitbucket/webhooks/webhook-event-checks';
import { hasSamples, listWebhookSamples, readSample } from '../../helpers/shared-samples';

const user = { type: 'user', uuid: '{u}', account_id: '557058:a', display_name: 'A', nickname: 'a' };
const repository = { type: 'repository', uuid: '{r}', full_name: 'acme/web', name: 'web', links: { html: { href: 'https://bitbucket.org/acme/web' } } };
const pullrequest = {
  type: 'pullrequest', id: 7, title: 'T', state: 'OPEN', author: user,
  source: { branch: { name: 'f' }, commit: { hash: 'a1' } }, destination: { branch: null, commit: { hash: 'b2' } },
  participants: [{ role: 'REVIEWER', approved: false, state: null, user }],
  reviewers: [user],
};
const base = { actor: user, repository };
const commitStatus = { key: 'k', type: 'build', state: 'SUCCESSFUL', name: 'n', url: null, refname: 'main', commit: { hash: 'c3' } };

/** A payload every schema accepts, per event key (captured samples are added when ../shared is there). */
const synthetic: Record<WebhookEventKey, unknown> = {
  'pullrequest:created': { ...base, pullrequest },
  'pullrequest:updated': { ...base, pullrequest },
  'pullrequest:approved': { ...base, pullrequest, approval: { date: 'd', user } },
  'pullrequest:unapproved': { ...base, pullrequest, approval: { user } },
  'pullrequest:changes_request_created': { ...base, pullrequest },
  'pullrequest:changes_request_removed': { ...base, pullrequest },
  'pullrequest:fulfilled': { ...base, pullrequest },
  'pullrequest:rejected': { ...base, pullrequest },
  'pullrequest:comment_created': { ...base, pullrequest, comment: { id: 3, content: { raw: '/bosun help' }, user } },
  'repo:push': { ...base, push: { changes: [{ new: { type: 'branch', name: 'main', target: { hash: 'h' } }, old: null, created: false, closed: false, forced: false }] } },
  'repo:commit_status_created': { ...base, commit_status: commitStatus },
  'repo:commit_status_updated': { ...base, commit_status: commitStatus },
};
const keys = Object.keys(webhookDataSchemas) as WebhookEventKey[];
const payloads: Array<{ event: WebhookEventKey; data: unknown }> = [
  ...keys.map((event) => ({ event, data: synthetic[event] })),
  ...listWebhookSamples()
    .filter(({ event }) => Object.hasOwn(webhookDataSchemas, event))
    .map(({ file, event }) => ({ event: event as WebhookEventKey, data: readSample(file) })),
];

/** Every path to a value inside `value` (objects' keys, arrays' indexes). */
function pathsOf(value: unknown, prefix: Array<string | number> = []): Array<Array<string | number>> {
  if (typeof value !== 'object' || value === null) return [];
  const entries = Array.isArray(value) ? value.map((v, i) => [i, v] as const) : Object.entries(value);
  return entries.flatMap(([k, v]) => [[...prefix, k], ...pathsOf(v, [...prefix, k])]);
}

const DELETE = Symbol('delete');
/** Values the schemas tell apart: other types, enum neighbours, non-integers, unsafe integers, empty shapes. */
const replacement = fc.oneof(
  fc.constantFrom<unknown>(DELETE, null, 0, -1, 1.5, 2 ** 60, '', 'x', 'OPEN', 'SUPERSEDED', 'FAILED', 'open', 'repository', 'pullrequest', true, false, [], {}, [{}], [null], { type: 'user' }),
  fc.jsonValue({ maxDepth: 2 }),
);

function mutate(data: unknown, changes: Array<{ at: number; to: unknown }>): unknown {
  const copy = structuredClone(data);
  for (const { at, to } of changes) {
    const paths = pathsOf(copy);
    if (paths.length === 0) break;
    const path = paths[at % paths.length]!;
    let holder = copy as Record<string | number, unknown>;
    for (const step of path.slice(0, -1)) holder = holder[step] as Record<string | number, unknown>;
    const last = path[path.length - 1]!;
    if (to === DELETE) {
      if (Array.isArray(holder)) holder.splice(Number(last), 1);
      else delete holder[last];
    } else holder[last] = structuredClone(to);
  }
  return copy;
}

describe('webhook event checks: the plain predicates accept exactly what the zod schemas accept', () => {
  it.skipIf(!hasSamples)('accept every captured sample, as the schemas do', () => {
    for (const { event, data } of payloads) expect({ event, accepted: webhookDataChecks[event](data) }).toEqual({ event, accepted: true });
  });

  it('agree with the schema on mutated payloads, and the parse reads the same facts either way', () => {
    fc.assert(
      fc.property(
        fc.constantFrom(...payloads),
        fc.array(fc.record({ at: fc.nat(), to: replacement }), { minLength: 1, maxLength: 3 }),
        ({ event, data }, changes) => {
          const mutated = mutate(data, changes);
          const zod = webhookDataSchemas[event].safeParse(mutated);
          expect(webhookDataChecks[event](mutated)).toBe(zod.success);
          if (zod.success) expect(parseWebhookData(event, mutated)).toEqual(parseWebhookData(event, zod.data));
          else expect(() => parseWebhookData(event, mutated)).toThrow(/^Invalid /);
        },
      ),
      { numRuns: 1500 },
    );
  });

  it('refuse what is not an object, as the schemas do', () => {
    for (const event of keys) {
      for (const data of [null, [], 'x', 1, [synthetic[event]]]) expect(webhookDataChecks[event](data)).toBe(webhookDataSchemas[event].safeParse(data).success);
    }
  });
});
