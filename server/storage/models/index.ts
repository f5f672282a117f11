import type { ModelStatic, Sequelize } from 'sequelize';
import { defineTenant, type TenantRow } from './tenant';
import { defineWebhookDelivery, type WebhookDeliveryRow } from './webhook-delivery';
import { defineJob, type JobRow } from './job';

export interface Models {
  Tenant: ModelStatic<TenantRow>;
  WebhookDelivery: ModelStatic<WebhookDeliveryRow>;
  Job: ModelStatic<JobRow>;
}

/** Model definitions mirror the migrations, which own the schema. One file per model. */
export function defineModels(sequelize: Sequelize): Models {
  return {
    Tenant: defineTenant(sequelize),
    WebhookDelivery: defineWebhookDelivery(sequelize),
    Job: defineJob(sequelize),
  };
}

export { TenantRow } from './tenant';
export { WebhookDeliveryRow } from './webhook-delivery';
export { JobRow } from './job';
