import { useCallback, useEffect, useState } from 'react';

export type ResourceState<T> =
  | { status: 'loading' }
  | { status: 'ready'; value: T }
  | { status: 'error'; error: unknown };

export interface ResourceControls<T> {
  /** Loads again (after an action changed what the page shows). */
  reload(): void;
  /** Shows a fresh value an action already returned, without another request. */
  setValue(value: T): void;
}

/** Runs `load` once per `load` identity (and per reload) and tracks its promise; ignores answers after unmount. */
export const useResource = <T,>(load: () => Promise<T>): [ResourceState<T>, ResourceControls<T>] => {
  const [state, setState] = useState<ResourceState<T>>({ status: 'loading' });
  const [generation, setGeneration] = useState(0);
  useEffect(() => {
    let active = true;
    setState((previous) => (previous.status === 'ready' ? previous : { status: 'loading' }));
    load().then(
      (value) => active && setState({ status: 'ready', value }),
      (error: unknown) => active && setState({ status: 'error', error }),
    );
    return () => {
      active = false;
    };
  }, [load, generation]);
  const reload = useCallback(() => setGeneration((g) => g + 1), []);
  const setValue = useCallback((value: T) => setState({ status: 'ready', value }), []);
  return [state, { reload, setValue }];
};
