/**
 * Jenkins, from the Notification plugin's JSON (format "JSON", protocol "HTTP"): one delivery per
 * phase, QUEUED → STARTED → COMPLETED → FINALIZED, with `build.status` once it has one.
 * COMPLETED and FINALIZED say the same thing; the second is dropped as a duplicate downstream.
 * https://plugins.jenkins.io/notification/ (payload: https://github.com/jenkinsci/notification-plugin#format)
 */
import { z } from 'zod';
import { commitHashSchema, emptyAttachments, type CiAdapter, type CiBuildState } from './ci-build-result';
import { parsePayload } from './parse-payload';
import { toRepositoryHint } from './repository-hint';

const STATUSES: Record<string, { state: CiBuildState; description?: string }> = {
  SUCCESS: { state: 'success' },
  UNSTABLE: { state: 'unstable', description: 'Unstable: the build ran but tests failed' },
  FAILURE: { state: 'failure' },
  ABORTED: { state: 'aborted' },
  NOT_BUILT: { state: 'not_built', description: 'Not built' },
};

export const jenkinsNotificationSchema = z.looseObject({
  name: z.string().min(1),
  display_name: z.string().nullish(),
  url: z.string().nullish(),
  build: z.looseObject({
    full_url: z.url(),
    number: z.number().int().nonnegative(),
    phase: z.enum(['QUEUED', 'STARTED', 'COMPLETED', 'FINALIZED']),
    status: z.enum(['SUCCESS', 'UNSTABLE', 'FAILURE', 'NOT_BUILT', 'ABORTED']).nullish(),
    timestamp: z.number().int().nonnegative().nullish(),
    duration: z.number().int().nonnegative().nullish(),
    scm: z.looseObject(
      {
        url: z.string().nullish(),
        branch: z.string().nullish(),
        commit: commitHashSchema,
      },
      { error: 'missing: Jenkins sends build.scm only for jobs that check out with the Git plugin' },
    ),
  }),
});

export const jenkinsCiAdapter: CiAdapter = {
  provider: 'jenkins',
  parse: ({ body }) => {
    const notification = parsePayload(jenkinsNotificationSchema, body, 'Jenkins notification (Notification plugin JSON)');
    const build = notification.build;
    let mapped: { state: CiBuildState; description?: string };
    if (build.phase === 'QUEUED') mapped = { state: 'queued' };
    else if (build.phase === 'STARTED' || build.status === null || build.status === undefined) mapped = { state: 'running' };
    else mapped = STATUSES[build.status] ?? { state: 'failure' };
    // The plugin's `timestamp` is when the build started, the same on every phase, so it cannot
    // order phases; the ordering rule falls back on the state's rank for equal times.
    const startedAt = build.timestamp ? new Date(build.timestamp) : undefined;
    const finishedAt =
      startedAt && build.duration && (build.phase === 'COMPLETED' || build.phase === 'FINALIZED')
        ? new Date(startedAt.getTime() + build.duration)
        : startedAt;
    return {
      kind: 'build',
      result: {
        provider: 'jenkins',
        check: `job:${notification.name}`,
        name: notification.display_name ? `${notification.name} ${notification.display_name}` : notification.name,
        state: mapped.state,
        commit: build.scm.commit,
        repository: toRepositoryHint(build.scm.url),
        branch: build.scm.branch ? build.scm.branch.replace(/^(refs\/heads\/|origin\/)/, '') : undefined,
        url: build.full_url,
        description: mapped.description,
        occurredAt: finishedAt?.toISOString(),
        run: { number: build.number, attempt: 1 },
        attachments: emptyAttachments(),
      },
    };
  },
};
