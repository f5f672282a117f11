export {
  DEFAULT_POLICY,
  RULE_NAMES,
  policyLayerSchema,
  principalSchema,
  QUEUE_POLICY_STRATEGIES,
  ruleModeSchema,
  type BotRule,
  type EffectivePolicy,
  type FreezeWindowPolicy,
  type OwnerRule,
  type PolicyLayer,
  type QueuePolicyStrategy,
  type RuleMode,
  type RuleName,
} from './policy-schema';
export {
  checkPolicyLayer,
  resolvePolicy,
  toConfigStatus,
  toReadinessPolicy,
  type LayerCheck,
  type PolicyIssue,
  type PolicyLayerInput,
  type PolicySource,
  type ResolvedPolicy,
} from './resolve-policy';
export { BOSUN_FILE_PATH, toBosunFileLayer, toBosunFileLocation } from './read-bosun-file';
export { parseBosunFile } from './parse-bosun-file';
export type { PolicyScope, PolicyStore, StoredPolicy } from './policy-store';
export { createMemoryPolicyStore } from './memory-policy-store';
export { InvalidPolicyError, PolicyConflictError } from './errors';
export { previewPolicyChange, type PolicyChange, type PreviewPullRequest } from './preview-policy-change';
