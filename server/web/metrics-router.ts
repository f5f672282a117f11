import express, { type Router } from 'express';

/** What /metrics serves: a Prometheus registry (prom-client's Registry has this shape). */
export interface MetricsSource {
  readonly contentType: string;
  metrics(): Promise<string>;
}

/** GET /metrics in Prometheus text format. Operational data only: no secrets, tenants by clientKey. */
export function createMetricsRouter(deps: { source: MetricsSource }): Router {
  const router = express.Router();
  router.get('/metrics', async (_req, res, next) => {
    try {
      const body = await deps.source.metrics();
      res.setHeader('Cache-Control', 'no-store');
      res.type(deps.source.contentType).send(body);
    } catch (err) {
      next(err);
    }
  });
  return router;
}
