import type { Router } from 'express';
import { findPipeline } from '../../actions/pipeline-actions';
import { toPipeline, toPipelineStep } from '../../serialize/to-pipeline';
import { SandboxError } from '../../state/sandbox-error';
import type { Pipeline } from '../../state/types';
import * as bodies from '../body-schemas';
import { paginate } from '../paginate';
import type { RouteKit } from '../route-kit';

const SORTS: Record<string, (p: Pipeline) => string | number> = {
  created_on: (p) => p.createdOn,
  build_number: (p) => p.buildNumber,
};

export function mountPipelineRoutes(router: Router, kit: RouteKit): void {
  const { ctx, state, actions } = kit;
  const base = '/repositories/:workspace/:repo_slug/pipelines';
  const one = `${base}/:pipeline_uuid`;

  router.get(base, kit.guard('pipeline', (req, res) => {
    const repo = kit.repoOf(req);
    const q = req.query;
    const str = (k: string) => (typeof q[k] === 'string' ? (q[k] as string) : undefined);
    const branch = str('target.branch') ?? str('target.ref_name');
    const status = str('status');
    let list = state.pipelines.filter((p) =>
      p.repoUuid === repo.uuid &&
      (branch === undefined || p.refName === branch) &&
      (str('target.commit.hash') === undefined || p.commitHash.startsWith(str('target.commit.hash')!)) &&
      (str('target.selector.type') === undefined || p.selector.type === str('target.selector.type')) &&
      (str('target.selector.pattern') === undefined || p.selector.pattern === str('target.selector.pattern')) &&
      (status === undefined || p.state === status || p.result === status),
    );
    const sort = str('sort') ?? '-created_on';
    const get = SORTS[sort.replace(/^-/, '')];
    if (!get) throw new SandboxError(400, `Invalid sort field: ${sort}`);
    const dir = sort.startsWith('-') ? -1 : 1;
    list = [...list].sort((a, b) => {
      const x = get(a);
      const y = get(b);
      return (x < y ? -1 : x > y ? 1 : a.buildNumber - b.buildNumber) * dir;
    });
    res.json(paginate(req, ctx.apiBaseUrl, list.map((p) => toPipeline(ctx, repo, p)), { maxPagelen: 100 }));
  }));

  router.post(base, kit.guard('pipeline:write', (req, res, p) => {
    const repo = kit.repoOf(req);
    const body = kit.parse(bodies.pipelineTriggerBody, req.body);
    const pipeline = actions.triggerPipeline({
      ...kit.repoRef(req), actor: kit.actorOf(p), refName: body.target.ref_name, commit: body.target.commit?.hash,
      selector: body.target.selector, variables: body.variables,
    });
    const json = toPipeline(ctx, repo, pipeline);
    res.status(201).location((json.links as { self: { href: string } }).self.href).json(json);
  }));

  router.get(one, kit.guard('pipeline', (req, res) => {
    const repo = kit.repoOf(req);
    res.json(toPipeline(ctx, repo, findPipeline(state, repo, String(req.params.pipeline_uuid))));
  }));

  router.post(`${one}/stopPipeline`, kit.guard('pipeline:write', (req, res, p) => {
    actions.stopPipeline({ ...kit.repoRef(req), actor: kit.actorOf(p), uuid: String(req.params.pipeline_uuid) });
    res.status(204).end();
  }));

  router.get(`${one}/steps`, kit.guard('pipeline', (req, res) => {
    const repo = kit.repoOf(req);
    const pipeline = findPipeline(state, repo, String(req.params.pipeline_uuid));
    res.json(paginate(req, ctx.apiBaseUrl, pipeline.steps.map((s) => toPipelineStep(ctx, repo, pipeline, s))));
  }));

  const stepOf = (pipeline: Pipeline, uuid: string) => {
    const bare = uuid.replace(/^\{|\}$/g, '').toLowerCase();
    const step = pipeline.steps.find((s) => s.uuid.slice(1, -1).toLowerCase() === bare);
    if (!step) throw new SandboxError(404, `No step with uuid ${uuid} in pipeline ${pipeline.uuid}.`, undefined, { key: 'result-service.step.not-found' });
    return step;
  };

  router.get(`${one}/steps/:step_uuid`, kit.guard('pipeline', (req, res) => {
    const repo = kit.repoOf(req);
    const pipeline = findPipeline(state, repo, String(req.params.pipeline_uuid));
    res.json(toPipelineStep(ctx, repo, pipeline, stepOf(pipeline, String(req.params.step_uuid))));
  }));

  /** Served inline (Bitbucket redirects completed logs to storage with 307). */
  router.get(`${one}/steps/:step_uuid/log`, kit.guard('pipeline', (req, res) => {
    const repo = kit.repoOf(req);
    const pipeline = findPipeline(state, repo, String(req.params.pipeline_uuid));
    const step = stepOf(pipeline, String(req.params.step_uuid));
    if (step.state === 'PENDING') throw new SandboxError(404, 'The log file for this step does not exist yet.', undefined, { key: 'result-service.log.not-found' });
    res.type('application/octet-stream').send(`${step.log.join('\n')}\n`);
  }));
}
