import type { Tenant } from '../../host';

export const CI_PROVIDER_NAMES = ['generic', 'github-actions', 'gitlab', 'jenkins', 'circleci'] as const;
export type CiProviderName = (typeof CI_PROVIDER_NAMES)[number];

export interface CiDeliveryView {
  outcome: 'accepted' | 'ignored' | 'rejected';
  reason: string | null;
  repository: string | null;
  commit: string | null;
  statusKey: string | null;
  receivedAt: string;
}

export interface CiIntegrationView {
  id: string;
  provider: CiProviderName;
  name: string;
  repository: string | null;
  /** Where the CI posts: `{baseUrl}/ci/{provider}/{id}`. */
  endpointUrl: string;
  /** Ready to paste; the secret appears in it only in the answer that created or rotated it. */
  snippet: string;
  createdAt: string;
  rotatedAt: string | null;
  lastDeliveries: CiDeliveryView[];
}

/** The one answer that carries the secret: after this, only its sealed form exists. */
export interface CiIntegrationWithSecretView extends CiIntegrationView {
  secret: string;
}

/** CI integrations for admin settings (implemented in server/create-ci-integration-views.ts). */
export interface CiIntegrationViews {
  list(tenant: Tenant): Promise<CiIntegrationView[]>;
  create(tenant: Tenant, input: { provider: CiProviderName; name: string; repository: string | null }, createdBy: string): Promise<CiIntegrationWithSecretView>;
  /** Null when the tenant has no such integration. */
  rotate(tenant: Tenant, id: string): Promise<CiIntegrationWithSecretView | null>;
  remove(tenant: Tenant, id: string): Promise<boolean>;
}
