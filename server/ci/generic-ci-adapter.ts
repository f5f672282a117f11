/**
 * Bosun's own build-result format, for any CI that can run `curl` (and for the GitHub Actions
 * step Bosun hands out). Documented in docs/ci-generic-format.md; the schema below is the truth.
 *
 * ```json
 * {
 *   "version": 1,
 *   "repository": "acme/widgets",
 *   "commit": "4f1c2d…",
 *   "branch": "feature/login",
 *   "pullRequest": 12,
 *   "check": "unit-tests",
 *   "name": "Unit tests",
 *   "state": "failure",
 *   "url": "https://ci.example.com/builds/41",
 *   "description": "3 of 120 tests failed",
 *   "occurredAt": "2026-11-30T10:15:00Z",
 *   "run": { "number": 41, "attempt": 1 },
 *   "junit": "<testsuites>…</testsuites>",
 *   "sarif": { "version": "2.1.0", "runs": [] },
 *   "findings": [{ "path": "src/a.ts", "line": 3, "message": "Unused variable", "severity": "low", "type": "code_smell" }]
 * }
 * ```
 */
import { z } from 'zod';
import {
  ciBuildStateSchema,
  ciFindingSchema,
  commitHashSchema,
  type CiAdapter,
  type CiParseOutcome,
} from './ci-build-result';
import { parsePayload } from './parse-payload';

const MAX_JUNIT_CHARS = 5_000_000;

export const genericBuildPayloadSchema = z.object({
  version: z.literal(1),
  repository: z.string().min(1).max(400).optional(),
  commit: commitHashSchema,
  branch: z.string().min(1).max(1000).optional(),
  pullRequest: z.number().int().positive().optional(),
  check: z.string().trim().min(1).max(400),
  name: z.string().trim().min(1).max(255).optional(),
  state: ciBuildStateSchema,
  url: z.url({ protocol: /^https?$/ }),
  description: z.string().max(2000).optional(),
  occurredAt: z.iso.datetime({ offset: true }).optional(),
  run: z
    .object({ number: z.number().int().nonnegative(), attempt: z.number().int().positive().default(1) })
    .optional(),
  junit: z.union([z.string().max(MAX_JUNIT_CHARS), z.array(z.string().max(MAX_JUNIT_CHARS)).max(20)]).optional(),
  sarif: z.union([z.looseObject({}), z.array(z.looseObject({})).max(20)]).optional(),
  findings: z.array(ciFindingSchema).max(5000).optional(),
});
export type GenericBuildPayload = z.input<typeof genericBuildPayloadSchema>;

export const genericCiAdapter: CiAdapter = {
  provider: 'generic',
  parse: ({ body }): CiParseOutcome => {
    const payload = parsePayload(genericBuildPayloadSchema, body, 'Bosun build result (generic format, version 1)');
    const junit = payload.junit === undefined ? [] : Array.isArray(payload.junit) ? payload.junit : [payload.junit];
    const sarif = payload.sarif === undefined ? [] : Array.isArray(payload.sarif) ? payload.sarif : [payload.sarif];
    return {
      kind: 'build',
      result: {
        provider: 'generic',
        check: payload.check,
        name: payload.name ?? payload.check,
        state: payload.state,
        commit: payload.commit,
        repository: payload.repository,
        branch: payload.branch,
        pullRequestId: payload.pullRequest,
        url: payload.url,
        description: payload.description,
        occurredAt: payload.occurredAt,
        run: payload.run,
        attachments: { junit, sarif, findings: payload.findings ?? [] },
      },
    };
  },
};
