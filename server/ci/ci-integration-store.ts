/**
 * The port for CI integrations (implemented in server/storage/sql-ci-integration-store.ts).
 * Every read and write is scoped by the tenant's clientKey but one: the intake finds an
 * integration by the id in its URL, then checks the signature with its secret.
 */
import type { CiProvider } from './ci-build-result';
import type { ReportedStatus } from './decide-status-update';
import type { CiStatusUpdate } from './to-bitbucket-status';

export interface CiIntegration {
  id: string;
  clientKey: string;
  provider: CiProvider;
  name: string;
  /** "workspace/repo" when the integration reports to one repository only; else the CI names it. */
  repository: string | null;
  createdBy: string;
  createdAt: Date;
  rotatedAt: Date | null;
}

export type CiDeliveryOutcome = 'accepted' | 'ignored' | 'rejected';

export interface CiDeliveryRecord {
  outcome: CiDeliveryOutcome;
  /** Why it was ignored or rejected (the 4xx message), or what was accepted. */
  reason: string | null;
  repository: string | null;
  commit: string | null;
  statusKey: string | null;
  receivedAt: Date;
}

/** The last status Bosun accepted for one key on one commit. */
export interface CiReportedRecord {
  reported: ReportedStatus;
  status: CiStatusUpdate;
  updatedAt: Date;
}

export interface CiStatusRef {
  clientKey: string;
  repository: string;
  commit: string;
  key: string;
}

export interface CiIntegrationStore {
  /** A new integration with a fresh secret, returned once (only its sealed form is kept). */
  create(input: { clientKey: string; provider: CiProvider; name: string; repository: string | null; createdBy: string }): Promise<{ integration: CiIntegration; secret: string }>;
  /** A new secret for the integration; the old one stops working at once. Null when there is no such integration. */
  rotate(clientKey: string, id: string): Promise<{ integration: CiIntegration; secret: string } | null>;
  /** Deletes the integration and its delivery log; false when there was none. */
  delete(clientKey: string, id: string): Promise<boolean>;
  list(clientKey: string): Promise<CiIntegration[]>;
  /** By the id in `POST /ci/{provider}/{id}` alone, with its secret, for the signature check. */
  getForIntake(id: string): Promise<{ integration: CiIntegration; secret: string } | null>;
  recordDelivery(clientKey: string, integrationId: string, record: CiDeliveryRecord): Promise<void>;
  /** Newest first. */
  listDeliveries(clientKey: string, integrationId: string, limit: number): Promise<CiDeliveryRecord[]>;
  getReported(ref: CiStatusRef): Promise<CiReportedRecord | null>;
  /**
   * Saves what was decided for a key if nobody else decided meanwhile: `expectedFingerprint` is
   * the fingerprint read before deciding (null: there was none). False when another delivery won
   * the race; the caller decides again.
   */
  saveReported(ref: CiStatusRef, record: CiReportedRecord, expectedFingerprint: string | null): Promise<boolean>;
  /** The tenant's INPROGRESS statuses last changed before `before`, for the reaper (oldest first). */
  listInProgressBefore(clientKey: string, before: Date, limit: number): Promise<Array<CiStatusRef & CiReportedRecord>>;
}
