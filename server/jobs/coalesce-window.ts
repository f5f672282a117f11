/** Events for one PR (or one commit) inside this window become one job. */
export const COALESCE_WINDOW_MS = 1500;

/** The pull request events after which its reviews and statuses may look different. */
export const PULL_REQUEST_REVIEW_EVENTS = [
  'pullrequest:created',
  'pullrequest:updated',
  'pullrequest:approved',
  'pullrequest:unapproved',
  'pullrequest:changes_request_created',
  'pullrequest:changes_request_removed',
] as const;

/**
 * The coalescing window `now` falls in: a job keyed by `bucket` is one per subject per window,
 * and runs at `runAt`, the window's end, so everything that arrived in it is already visible.
 */
export function toCoalesceWindow(now: Date): { bucket: number; runAt: Date } {
  const bucket = Math.floor(now.getTime() / COALESCE_WINDOW_MS);
  return { bucket, runAt: new Date((bucket + 1) * COALESCE_WINDOW_MS) };
}
