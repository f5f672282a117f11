import { useEffect, useState } from 'react';
import type { TemplateProgressView } from '../../server/web/api/template-views';
import type { ApiClient } from '../api/create-api-client';

const POLL_MS = 1000;
/** A paused batch is polled less often: it waits for the rate budget, minutes at least. */
const PAUSED_POLL_MS = 15_000;

/**
 * Follows a template apply (a bulk batch or single jobs) until nothing is left, then calls
 * `onFinished` once. Polling stops when the component goes away.
 */
export const useTemplateProgress = (
  api: Pick<ApiClient, 'getTemplateProgress'>,
  query: { batchId?: string; jobIds?: string[] } | null,
  onFinished: (progress: TemplateProgressView) => void,
): { progress: TemplateProgressView | null; error: unknown } => {
  const [progress, setProgress] = useState<TemplateProgressView | null>(null);
  const [error, setError] = useState<unknown>(null);
  const key = query ? `${query.batchId ?? ''}|${(query.jobIds ?? []).join(',')}` : null;
  useEffect(() => {
    if (!query) return undefined;
    let live = true;
    let timer: ReturnType<typeof setTimeout> | undefined;
    setProgress(null);
    setError(null);
    const poll = async () => {
      try {
        const next = await api.getTemplateProgress(query);
        if (!live) return;
        setProgress(next);
        if (next.remaining === 0) {
          onFinished(next);
          return;
        }
        timer = setTimeout(() => void poll(), next.pausedUntil ? PAUSED_POLL_MS : POLL_MS);
      } catch (err) {
        if (live) setError(err);
      }
    };
    void poll();
    return () => {
      live = false;
      if (timer) clearTimeout(timer);
    };
    // The query's identity is its key; onFinished is read when it fires.
  }, [api, key]);
  return { progress, error };
};
