import type { Database } from './create-database';
import type { WebhookDeliveryRow } from './models';
import type { WebhookDelivery, WebhookDeliveryStore } from '../jobs/webhook-delivery-store';

export type { WebhookDelivery, WebhookDeliveryInput, WebhookDeliveryStore } from '../jobs/webhook-delivery-store';


function toDelivery(row: WebhookDeliveryRow): WebhookDelivery {
  return {
    id: row.id,
    clientKey: row.clientKey,
    requestUuid: row.requestUuid,
    hookUuid: row.hookUuid,
    eventKey: row.eventKey,
    attempt: row.attempt,
    repositoryUuid: row.repositoryUuid,
    pullrequestId: row.pullrequestId,
    payload: JSON.parse(row.payload) as unknown,
    receivedAt: new Date(row.receivedAt),
  };
}

export function createWebhookDeliveryStore(db: Database): WebhookDeliveryStore {
  const { WebhookDelivery } = db.models;
  return {
    async listRecent(clientKey, limit) {
      const rows = await WebhookDelivery.findAll({
        where: { clientKey },
        order: [['receivedAt', 'DESC'], ['id', 'DESC']],
        limit,
      });
      return rows.map(toDelivery);
    },
    async getByRequestUuid(clientKey, requestUuid) {
      const row = await WebhookDelivery.findOne({ where: { clientKey, requestUuid } });
      return row ? toDelivery(row) : null;
    },
    count: (clientKey) => WebhookDelivery.count({ where: { clientKey } }),
  };
}
