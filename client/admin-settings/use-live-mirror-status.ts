import { useEffect, useState } from 'react';
import type { MirrorStatusView } from '../../server/web/api/contracts';
import type { ApiClient } from '../api/create-api-client';

/** While a sync runs (or has not started) the progress moves every few seconds; otherwise the budget is refreshed now and then. */
const SYNCING_POLL_MS = 3000;
const IDLE_POLL_MS = 15_000;

const toDelay = (mirror: MirrorStatusView) => (mirror.sync === null || mirror.sync.state === 'running' ? SYNCING_POLL_MS : IDLE_POLL_MS);

/**
 * The mirror's sync progress and the request budget, kept live: admin settings read them again on a timer
 * (the page's own admin-only read), faster while a sync runs, and only while the page is visible. A failed
 * refresh keeps what is shown and tries again on the next tick; polling stops when the page goes away.
 */
export const useLiveMirrorStatus = (api: Pick<ApiClient, 'getAdminSettings'>, initial: MirrorStatusView): MirrorStatusView => {
  const [mirror, setMirror] = useState(initial);
  useEffect(() => {
    let live = true;
    let delay = toDelay(initial);
    let timer: ReturnType<typeof setTimeout> | undefined;
    const tick = async () => {
      if (document.visibilityState !== 'hidden') {
        try {
          const next = (await api.getAdminSettings()).mirror;
          if (!live) return;
          if (next) {
            setMirror(next);
            delay = toDelay(next);
          }
        } catch {
          // Shown as it was; the next tick asks again.
        }
      }
      if (live) timer = setTimeout(() => void tick(), delay);
    };
    timer = setTimeout(() => void tick(), delay);
    return () => {
      live = false;
      clearTimeout(timer);
    };
    // The first view starts the loop; later views come from the loop itself.
  }, [api]);
  return mirror;
};
