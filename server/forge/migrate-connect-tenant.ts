import type { Tenant, TenantStore } from '../host';
import { PermanentError } from '../errors';

/** What moving one installation's data did (or, in a dry run, would do). */
export interface TenantMoveReport {
  /** Rows now owned by the Forge installation, per table. */
  moved: Record<string, number>;
  /** The Forge installation's own rows replaced because a moved row had the same unique key. */
  replaced: Record<string, number>;
  /** Sealed values opened with the Connect key's context and sealed again with the Forge one's. */
  resealed: number;
}

export interface TenantMigrationRecord {
  connectClientKey: string;
  forgeClientKey: string;
  workspaceUuid: string;
  migratedAt: Date;
}

/** The storage side of the migration (storage/sql-tenant-data-mover.ts implements it). */
export interface TenantDataMover {
  /** Every installation Bosun holds for a workspace (Bitbucket's link between a Connect clientKey and a Forge installation). */
  tenantsOfWorkspace(workspaceUuid: string): Promise<Tenant[]>;
  /** The recorded move of a Connect installation, or of the workspace's latest one. */
  findMigration(query: { connectClientKey: string } | { workspaceUuid: string }): Promise<TenantMigrationRecord | null>;
  /**
   * In one transaction: every row the Connect installation owns becomes the Forge one's (resealing
   * what is sealed to the clientKey), the Connect installation's record goes, and the move is
   * recorded. A dry run does all of it and rolls back.
   */
  move(input: { from: Tenant; to: Tenant; now: Date; dryRun: boolean }): Promise<TenantMoveReport>;
}

export type ConnectToForgeResult =
  | { outcome: 'migrated' | 'dry-run'; from: string; to: string; workspaceUuid: string; report: TenantMoveReport }
  | { outcome: 'already-migrated'; from: string; to: string; workspaceUuid: string; migratedAt: Date };

export type ConnectMigrationErrorCode = 'NO_CONNECT_INSTALLATION' | 'NO_FORGE_INSTALLATION' | 'AMBIGUOUS' | 'NOT_THE_SAME_WORKSPACE' | 'WRONG_HOST';

/** The migration cannot run as asked; the message says what to do. */
export class ConnectMigrationError extends PermanentError<ConnectMigrationErrorCode> {
  constructor(code: ConnectMigrationErrorCode, message: string) {
    super(code, 409, message);
  }
}

export interface ConnectToForgeInput {
  /** The workspace both installations are in: finds them when the keys are not given. */
  workspaceUuid?: string;
  connectClientKey?: string;
  forgeInstallationId?: string;
  dryRun?: boolean;
}

const alreadyDone = (done: TenantMigrationRecord): ConnectToForgeResult => ({
  outcome: 'already-migrated',
  from: done.connectClientKey,
  to: done.forgeClientKey,
  workspaceUuid: done.workspaceUuid,
  migratedAt: done.migratedAt,
});

const isForge = (tenant: Tenant, appId: string) => tenant.host === 'forge' || tenant.appKey === appId;

/**
 * Connect → Forge for an existing workspace: the workspace's Connect installation hands every row
 * it owns (policies, audit, connections, mirror, jobs…) to its Forge installation, which Bosun has
 * stored since Forge sent `avi:forge:installed:app`. Safe to repeat: once moved, the Connect
 * installation is gone and the record says where its data went.
 */
export async function migrateConnectTenant(
  deps: { tenants: TenantStore; mover: TenantDataMover; forgeAppId: string; now: () => Date },
  input: ConnectToForgeInput,
): Promise<ConnectToForgeResult> {
  const { tenants, mover } = deps;
  let from: Tenant | null = input.connectClientKey ? await tenants.get(input.connectClientKey) : null;
  let to: Tenant | null = input.forgeInstallationId ? await tenants.get(input.forgeInstallationId) : null;

  if (input.connectClientKey && !from) {
    const done = await mover.findMigration({ connectClientKey: input.connectClientKey });
    if (done) return alreadyDone(done);
    throw new ConnectMigrationError('NO_CONNECT_INSTALLATION', `Bosun has no installation ${input.connectClientKey}`);
  }
  const workspaceUuid = input.workspaceUuid ?? from?.workspaceUuid ?? to?.workspaceUuid ?? null;
  if (!workspaceUuid) throw new ConnectMigrationError('NOT_THE_SAME_WORKSPACE', 'Name the workspace (--workspace) or both installations');
  const inWorkspace = from && to ? [] : await mover.tenantsOfWorkspace(workspaceUuid);

  if (!from) {
    const connect = inWorkspace.filter((t) => !isForge(t, deps.forgeAppId));
    if (connect.length > 1) throw new ConnectMigrationError('AMBIGUOUS', `The workspace has ${connect.length} Connect installations: name one (--connect)`);
    from = connect[0] ?? null;
  }
  if (!to) {
    const forge = inWorkspace.filter((t) => isForge(t, deps.forgeAppId));
    if (forge.length > 1) throw new ConnectMigrationError('AMBIGUOUS', `The workspace has ${forge.length} Forge installations: name one (--forge)`);
    to = forge[0] ?? null;
  }
  if (!to) throw new ConnectMigrationError('NO_FORGE_INSTALLATION', 'Install the Forge app in this workspace first: Bosun moves the data to its installation');
  if (!isForge(to, deps.forgeAppId)) throw new ConnectMigrationError('WRONG_HOST', `${to.clientKey} is not a Forge installation`);
  if (!from) {
    // Nothing left to move: a run that already finished, or a workspace that never had Connect.
    const done = await mover.findMigration({ workspaceUuid });
    if (done && done.forgeClientKey === to.clientKey) return alreadyDone(done);
    throw new ConnectMigrationError('NO_CONNECT_INSTALLATION', 'This workspace has no Connect installation left in Bosun (already migrated, or never installed)');
  }
  if (isForge(from, deps.forgeAppId)) throw new ConnectMigrationError('WRONG_HOST', `${from.clientKey} is not a Connect installation`);
  if (from.workspaceUuid !== to.workspaceUuid || from.workspaceUuid !== workspaceUuid) {
    throw new ConnectMigrationError('NOT_THE_SAME_WORKSPACE', 'The Connect and Forge installations are not of the same workspace');
  }
  const dryRun = input.dryRun ?? false;
  const report = await mover.move({ from, to, now: deps.now(), dryRun });
  return { outcome: dryRun ? 'dry-run' : 'migrated', from: from.clientKey, to: to.clientKey, workspaceUuid, report };
}
