import type { BitbucketOperationName } from '../../server/bitbucket';
import type { ContractContext } from './contract-context';

/** Calls one operation with real fixtures; only the client calls it makes are recorded and checked. */
export type Scenario = (ctx: ContractContext) => Promise<unknown>;

/** Scenarios for every operation of some client groups: the compiler insists on one per operation. */
export type ScenarioTable<Group extends string> = Record<Extract<BitbucketOperationName, `${Group}.${string}`>, Scenario>;

/** A further case for an operation, typically an error answer whose body the spec also describes. */
export interface ExtraScenario {
  operation: BitbucketOperationName;
  name: string;
  run: Scenario;
}
