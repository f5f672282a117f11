import type { ReactNode } from 'react';
import { ErrorMessage } from './ErrorMessage';
import { Loading } from './Loading';
import { useResource, type ResourceControls } from './use-resource';

export interface ResourceViewProps<T> {
  /** Keep this stable (define it outside render or memoize it): a new function loads again. */
  load: () => Promise<T>;
  loadingLabel?: string;
  children: (value: T, controls: ResourceControls<T>) => ReactNode;
}

/** Loads a view model, showing Loading, then the children, or an ErrorMessage; never blank. */
export const ResourceView = <T,>({ load, loadingLabel, children }: ResourceViewProps<T>) => {
  const [state, controls] = useResource(load);
  if (state.status === 'loading') return <Loading label={loadingLabel} />;
  if (state.status === 'error') return <ErrorMessage error={state.error} />;
  return <>{children(state.value, controls)}</>;
};
