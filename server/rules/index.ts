export { aggregateBuildState } from './aggregate-build-state';
export type { AggregateBuildState, BuildStatusState } from './aggregate-build-state';
