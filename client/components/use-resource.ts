import { useEffect, useState } from 'react';

export type ResourceState<T> =
  | { status: 'loading' }
  | { status: 'ready'; value: T }
  | { status: 'error'; error: unknown };

/** Runs `load` once per `load` identity and tracks its promise; ignores answers after unmount. */
export const useResource = <T,>(load: () => Promise<T>): ResourceState<T> => {
  const [state, setState] = useState<ResourceState<T>>({ status: 'loading' });
  useEffect(() => {
    let active = true;
    setState({ status: 'loading' });
    load().then(
      (value) => active && setState({ status: 'ready', value }),
      (error: unknown) => active && setState({ status: 'error', error }),
    );
    return () => {
      active = false;
    };
  }, [load]);
  return state;
};
