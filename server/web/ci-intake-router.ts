/**
 * `POST /ci/{provider}/{integrationId}`: build results from any CI. Thin: the raw body (the
 * signature covers its bytes) goes to the CI intake (server/jobs/ci-report-jobs.ts), which
 * verifies, validates once and queues; the answer is 202 while Bitbucket is written by the job.
 * Refusals carry their status (401 signature, 404 integration, 400 body, 422 repository or
 * commit) to the one error mapper.
 */
import express, { type Request, type Router } from 'express';
import type { CiIntake } from '../jobs/ci-report-jobs';

/** JUnit and SARIF ride in the generic body; GitHub's own payloads stay well under 1 MB. */
const BODY_LIMIT = '6mb';

function toHeaders(req: Request): Record<string, string | undefined> {
  const headers: Record<string, string | undefined> = {};
  for (const [name, value] of Object.entries(req.headers)) headers[name] = Array.isArray(value) ? value.join(',') : value;
  return headers;
}

export function createCiIntakeRouter(deps: { intake: CiIntake }): Router {
  const router = express.Router();
  const raw = express.raw({ type: () => true, limit: BODY_LIMIT });
  router.post('/ci/:provider/:integrationId', raw, async (req, res, next) => {
    try {
      const answer = await deps.intake.receive({
        provider: String(req.params.provider),
        integrationId: String(req.params.integrationId),
        headers: toHeaders(req),
        rawBody: Buffer.isBuffer(req.body) ? req.body : Buffer.alloc(0),
      });
      res.setHeader('Cache-Control', 'no-store');
      res.status(202).json(answer);
    } catch (error) {
      next(error);
    }
  });
  return router;
}
