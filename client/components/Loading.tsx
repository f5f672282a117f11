import Spinner from '@atlaskit/spinner/spinner';

export interface LoadingProps {
  label?: string;
}

/** A centered spinner shown while a page's data loads. */
export const Loading = ({ label = 'Loading' }: LoadingProps) => (
  <div className="bosun-loading" data-testid="loading" role="status">
    <Spinner size="medium" label={label} />
    <span className="bosun-subtle">{label}…</span>
  </div>
);
