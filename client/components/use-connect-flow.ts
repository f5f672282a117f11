import { useCallback, useEffect, useRef, useState } from 'react';
import type { ApiClient } from '../api/create-api-client';

export type ConnectFlowState =
  | { status: 'idle' }
  | { status: 'waiting'; url: string }
  | { status: 'failed'; message: string };

interface OAuthMessage {
  type: 'bosun-oauth';
  status: 'connected' | 'failed';
}

const isOAuthMessage = (data: unknown): data is OAuthMessage =>
  typeof data === 'object' && data !== null && (data as { type?: unknown }).type === 'bosun-oauth';

/**
 * "Connect your Bitbucket account": Bosun hands out a one-time start URL, which opens in its own
 * window (an iframe cannot keep the first-party cookie the flow binds to); that window reports
 * back with postMessage when Bitbucket sent the person back.
 */
export const useConnectFlow = (api: ApiClient, onConnected: () => void) => {
  const [state, setState] = useState<ConnectFlowState>({ status: 'idle' });
  const done = useRef(onConnected);
  done.current = onConnected;

  useEffect(() => {
    const listener = (event: MessageEvent) => {
      // Only Bosun's own callback page (same origin as this iframe) may report.
      if (event.origin !== window.location.origin || !isOAuthMessage(event.data)) return;
      if (event.data.status === 'connected') {
        setState({ status: 'idle' });
        done.current();
      } else {
        setState({ status: 'failed', message: 'Connecting did not complete; see the window Bitbucket opened.' });
      }
    };
    window.addEventListener('message', listener);
    return () => window.removeEventListener('message', listener);
  }, []);

  const start = useCallback(async () => {
    try {
      const { url } = await api.startOAuth();
      setState({ status: 'waiting', url });
      window.open(url, 'bosun-oauth', 'popup,width=640,height=760');
    } catch (err) {
      setState({ status: 'failed', message: err instanceof Error ? err.message : String(err) });
    }
  }, [api]);

  return { state, start };
};
