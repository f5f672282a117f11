import { describe, expect, it } from 'vitest';
import { createIdempotencyKey } from '../../../client/api/create-idempotency-key';

const UUID_V4 = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;

describe('createIdempotencyKey', () => {
  it('uses randomUUID when there is one', () => {
    expect(createIdempotencyKey({ randomUUID: () => 'fixed', getRandomValues: (a) => a })).toBe('fixed');
    expect(createIdempotencyKey()).toMatch(UUID_V4);
    expect(createIdempotencyKey()).not.toBe(createIdempotencyKey());
  });

  it('builds a v4 UUID from random bytes outside a secure context', () => {
    const key = createIdempotencyKey({ getRandomValues: (array) => array.fill(0xff) });
    expect(key).toBe('ffffffff-ffff-4fff-bfff-ffffffffffff');
    expect(key).toMatch(UUID_V4);
  });
});
