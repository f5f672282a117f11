import { describe, expect, it } from 'vitest';
import { ASK_MAX_LENGTH, toRequestLengthProblem } from '../../../client/pr-panel/to-request-length-problem';

describe('toRequestLengthProblem', () => {
  it('lets a request up to the limit through and words the problem plainly past it', () => {
    expect(toRequestLengthProblem('merge this')).toBeNull();
    expect(toRequestLengthProblem('x'.repeat(ASK_MAX_LENGTH))).toBeNull();
    expect(toRequestLengthProblem(`${'x'.repeat(ASK_MAX_LENGTH)} `)).not.toBeNull();
    expect(toRequestLengthProblem('x'.repeat(2345))).toBe('That is 2,345 characters; Bosun reads requests of up to 2,000. Shorten it (345 too many) and ask again.');
  });
});
