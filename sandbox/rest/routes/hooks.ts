import type { Router } from 'express';
import { findWebhook } from '../../actions/settings-actions';
import { toWebhookSubscription } from '../../serialize/to-settings';
import * as bodies from '../body-schemas';
import { paginate } from '../paginate';
import type { RouteKit } from '../route-kit';

export function mountHookRoutes(router: Router, kit: RouteKit): void {
  const { ctx, state, actions } = kit;
  const base = '/repositories/:workspace/:repo_slug/hooks';

  router.get(base, kit.guard('webhook', (req, res) => {
    const repo = kit.repoOf(req);
    const list = state.repositoryWebhooks.filter((h) => h.repoUuid === repo.uuid);
    res.json(paginate(req, ctx.apiBaseUrl, list.map((h) => toWebhookSubscription(ctx, repo, h))));
  }));

  router.post(base, kit.guard('webhook', (req, res) => {
    const repo = kit.repoOf(req);
    const body = kit.parse(bodies.webhookBody, req.body);
    const hook = actions.createWebhook(kit.repoRef(req), { ...body, events: [...body.events] });
    const json = toWebhookSubscription(ctx, repo, hook);
    res.status(201).location((json.links as { self: { href: string } }).self.href).json(json);
  }));

  router.get(`${base}/:uid`, kit.guard('webhook', (req, res) => {
    const repo = kit.repoOf(req);
    res.json(toWebhookSubscription(ctx, repo, findWebhook(state, repo, String(req.params.uid))));
  }));

  router.put(`${base}/:uid`, kit.guard('webhook', (req, res) => {
    const repo = kit.repoOf(req);
    const body = kit.parse(bodies.webhookUpdateBody, req.body);
    const hook = actions.updateWebhook(kit.repoRef(req), String(req.params.uid), { ...body, events: body.events ? [...body.events] : undefined });
    res.json(toWebhookSubscription(ctx, repo, hook));
  }));

  router.delete(`${base}/:uid`, kit.guard('webhook', (req, res) => {
    actions.deleteWebhook(kit.repoRef(req), String(req.params.uid));
    res.status(204).end();
  }));
}
