export { createDatabase } from './create-database';
export type { Database, DatabaseOptions } from './create-database';
export { createTenantStore } from './tenant-store';
export type { Tenant, TenantWithSecret, TenantInput, TenantStore } from './tenant-store';
export { createWebhookDeliveryStore } from './webhook-delivery-store';
export type { WebhookDelivery, WebhookDeliveryInput, WebhookDeliveryStore } from './webhook-delivery-store';
export { MIGRATIONS } from './migrations';
