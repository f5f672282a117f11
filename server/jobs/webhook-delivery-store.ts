/** The stored-delivery port: the intake writes deliveries, handlers and pages read them; storage implements it. */
export interface WebhookDelivery {
  id: number;
  clientKey: string;
  requestUuid: string;
  hookUuid: string | null;
  eventKey: string;
  attempt: number;
  repositoryUuid: string | null;
  pullrequestId: number | null;
  payload: unknown;
  receivedAt: Date;
}

export type WebhookDeliveryInput = Omit<WebhookDelivery, 'id'>;

export interface WebhookDeliveryStore {
  listRecent(clientKey: string, limit: number): Promise<WebhookDelivery[]>;
  getByRequestUuid(clientKey: string, requestUuid: string): Promise<WebhookDelivery | null>;
  count(clientKey: string): Promise<number>;
}
