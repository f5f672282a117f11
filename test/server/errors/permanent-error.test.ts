import { describe, expect, it } from 'vitest';
import { CiPayloadError, CiSignatureError, CiTargetNotFoundError, UnknownCiIntegrationError, UnknownCiProviderError } from '../../../server/ci';
import { isBosunError, PermanentError } from '../../../server/errors';
import { ForgeRefusedError, ForgeRequestError, ForgeTokenError } from '../../../server/forge/errors';
import { HostAuthError } from '../../../server/host';

describe('one base for the permanent errors of ci/, forge/ and host/', () => {
  it('keeps each class’s code, status and name, and the model’s fields', () => {
    const cases: Array<[Error, string, number, string]> = [
      [new CiPayloadError('Bad body', ['a: Required']), 'CI_PAYLOAD_INVALID', 400, 'CiPayloadError'],
      [new UnknownCiProviderError('x'.repeat(60)), 'CI_UNKNOWN_PROVIDER', 404, 'UnknownCiProviderError'],
      [new UnknownCiIntegrationError(), 'CI_UNKNOWN_INTEGRATION', 404, 'UnknownCiIntegrationError'],
      [new CiSignatureError('no'), 'CI_SIGNATURE_INVALID', 401, 'CiSignatureError'],
      [new CiTargetNotFoundError('gone'), 'CI_TARGET_NOT_FOUND', 422, 'CiTargetNotFoundError'],
      [new ForgeTokenError('FIT_EXPIRED', 'old'), 'FIT_EXPIRED', 401, 'ForgeTokenError'],
      [new ForgeRefusedError('FORGE_NO_USER', 'who'), 'FORGE_NO_USER', 403, 'ForgeRefusedError'],
      [new ForgeRequestError('bad'), 'FORGE_BAD_REQUEST', 400, 'ForgeRequestError'],
      [new HostAuthError('JWT_EXPIRED', 'old'), 'JWT_EXPIRED', 401, 'HostAuthError'],
    ];
    for (const [error, code, httpStatus, name] of cases) {
      expect(error).toBeInstanceOf(PermanentError);
      expect(error).toBeInstanceOf(Error);
      expect(isBosunError(error)).toBe(true);
      expect({ code: (error as PermanentError).code, httpStatus: (error as PermanentError).httpStatus, name: error.name }).toEqual({ code, httpStatus, name });
      expect(error).toMatchObject({ retryable: false, retryAfterMs: null });
    }
    expect(new CiPayloadError('Bad body', ['a: Required'])).toMatchObject({ message: 'Bad body: a: Required', problems: ['a: Required'] });
    expect(new UnknownCiProviderError('x'.repeat(60)).provider).toHaveLength(40);
  });
});
