import Lozenge from '@atlaskit/lozenge';
import type { AggregateBuildState } from '../../server/web/api/contracts';
import { toBuildStateLozenge } from './to-build-state-lozenge';

export interface BuildStatusLozengeProps {
  state: AggregateBuildState;
  testId?: string;
}

/** A build state as a Lozenge: Passed, Failed, In progress, Stopped or No builds. */
export const BuildStatusLozenge = ({ state, testId }: BuildStatusLozengeProps) => {
  const { appearance, label } = toBuildStateLozenge(state);
  return (
    <Lozenge appearance={appearance} testId={testId}>
      {label}
    </Lozenge>
  );
};
