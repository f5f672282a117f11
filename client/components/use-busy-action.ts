import { useCallback, useState } from 'react';

/**
 * One button action at a time: `run` marks the section busy, clears the last error, awaits the
 * action and keeps what it threw for an ErrorMessage. `setError` lets a poll report its own failure.
 */
export const useBusyAction = (): {
  busy: boolean;
  error: unknown;
  setError: (error: unknown) => void;
  run: (action: () => Promise<void>) => Promise<void>;
} => {
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const run = useCallback(async (action: () => Promise<void>) => {
    setBusy(true);
    setError(null);
    try {
      await action();
    } catch (err) {
      setError(err);
    } finally {
      setBusy(false);
    }
  }, []);
  return { busy, error, setError, run };
};
