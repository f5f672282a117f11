/** Baseline: a bare Express app that parses the body and answers 204, nothing else. */
import express from 'express';
import type { AddressInfo } from 'node:net';

const app = express();
app.post('/webhooks/bitbucket', express.json({ limit: '1mb' }), (_req, res) => {
  res.status(204).end();
});
const server = app.listen(0, '127.0.0.1', () => {
  process.stdout.write(`READY http://127.0.0.1:${(server.address() as AddressInfo).port}\n`);
});
