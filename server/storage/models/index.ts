import type { ModelStatic, Sequelize } from 'sequelize';
import { defineTenant, type TenantRow } from './tenant';
import { defineWebhookDelivery, type WebhookDeliveryRow } from './webhook-delivery';
import { defineJob, type JobRow } from './job';
import { defineAuditEntry, type AuditEntryRow } from './audit-entry';
import { defineExecution, type ExecutionRow } from './execution';
import { defineAutoMerge, type AutoMergeRow } from './auto-merge';
import { defineOAuthState, type OAuthStateRow } from './oauth-state';
import { defineUserConnection, type UserConnectionRow } from './user-connection';
import { defineBudgetUsage, type BudgetUsageModelRow } from './budget-usage';
import { defineBudgetPause, type BudgetPauseModelRow } from './budget-pause';
import { defineMirrorModels, type MirrorModels } from './mirror-models';
import { defineCiModels, type CiModels } from './ci-integration';
import { definePolicy, type PolicyRow } from './policy';
import { defineMergeQueue, type MergeQueueRow } from './merge-queue';
import { defineReviewerCursor, type ReviewerCursorRow } from './reviewer-cursor';
import { defineForgeAppToken, type ForgeAppTokenRow } from './forge-app-token';
import { defineRepositoryTemplateModels, type RepositoryTemplateBindingRow, type RepositoryTemplateRow } from './repository-template';

export interface Models extends MirrorModels, CiModels {
  Tenant: ModelStatic<TenantRow>;
  WebhookDelivery: ModelStatic<WebhookDeliveryRow>;
  Job: ModelStatic<JobRow>;
  AuditEntry: ModelStatic<AuditEntryRow>;
  Execution: ModelStatic<ExecutionRow>;
  AutoMerge: ModelStatic<AutoMergeRow>;
  UserConnection: ModelStatic<UserConnectionRow>;
  OAuthState: ModelStatic<OAuthStateRow>;
  BudgetUsage: ModelStatic<BudgetUsageModelRow>;
  BudgetPause: ModelStatic<BudgetPauseModelRow>;
  Policy: ModelStatic<PolicyRow>;
  RepositoryTemplate: ModelStatic<RepositoryTemplateRow>;
  RepositoryTemplateBinding: ModelStatic<RepositoryTemplateBindingRow>;
  MergeQueue: ModelStatic<MergeQueueRow>;
  ReviewerCursor: ModelStatic<ReviewerCursorRow>;
  ForgeAppToken: ModelStatic<ForgeAppTokenRow>;
}

/** Model definitions mirror the migrations, which own the schema. One file per model. */
export function defineModels(sequelize: Sequelize): Models {
  return {
    Tenant: defineTenant(sequelize),
    WebhookDelivery: defineWebhookDelivery(sequelize),
    Job: defineJob(sequelize),
    AuditEntry: defineAuditEntry(sequelize),
    Execution: defineExecution(sequelize),
    AutoMerge: defineAutoMerge(sequelize),
    UserConnection: defineUserConnection(sequelize),
    OAuthState: defineOAuthState(sequelize),
    BudgetUsage: defineBudgetUsage(sequelize),
    BudgetPause: defineBudgetPause(sequelize),
    Policy: definePolicy(sequelize),
    ...defineMirrorModels(sequelize),
    ...defineCiModels(sequelize),
    ...defineRepositoryTemplateModels(sequelize),
    MergeQueue: defineMergeQueue(sequelize),
    ReviewerCursor: defineReviewerCursor(sequelize),
    ForgeAppToken: defineForgeAppToken(sequelize),
  };
}

export { TenantRow } from './tenant';
export { WebhookDeliveryRow } from './webhook-delivery';
export { JobRow } from './job';
export { AuditEntryRow } from './audit-entry';
export { ExecutionRow } from './execution';
export { AutoMergeRow } from './auto-merge';
export { UserConnectionRow } from './user-connection';
export { OAuthStateRow } from './oauth-state';
export { BudgetUsageModelRow } from './budget-usage';
export { BudgetPauseModelRow } from './budget-pause';
export type { MirrorModels } from './mirror-models';
export { PolicyRow } from './policy';
export { ForgeAppTokenRow } from './forge-app-token';
export { RepositoryTemplateBindingRow, RepositoryTemplateRow } from './repository-template';
export { MergeQueueRow } from './merge-queue';
export { ReviewerCursorRow } from './reviewer-cursor';
