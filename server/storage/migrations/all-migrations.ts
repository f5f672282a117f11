import type { Migration } from './migration';
import { migration0001 } from './0001-tenants';
import { migration0002 } from './0002-webhook-deliveries';
import { migration0003 } from './0003-jobs';
import { migration0004 } from './0004-user-connections';
import { migration0005 } from './0005-oauth-states';
import { migration0006 } from './0006-agent-executions';
import { migration0007 } from './0007-auto-merges';
import { migration0008 } from './0008-auto-merge-attempts';
import { migration0009 } from './0009-execution-leases';
import { migration0010 } from './0010-install-ids-and-refresh-leases';
import { migration0011 } from './0011-rate-budget';
import { migration0012 } from './0012-workspace-mirror';
import { migration0013 } from './0013-policies';
import { migration0014 } from './0014-audit-names';
import { migration0015 } from './0015-repository-templates';
import { migration0016 } from './0016-merge-queues';
import { migration0017 } from './0017-tenant-host';
import { migration0018 } from './0018-ci-integrations';
import { migration0027 } from './0027-tenant-migrations';
import { migration0028 } from './0028-forge-tenant-host';
import { migration0029 } from './0029-mirror-branches-and-facts';
import { migration0033 } from './0033-mirror-repository-settings';
import { migration0034 } from './0034-uninstalled-tenants';
import { migration0035 } from './0035-forge-app-tokens';
import { migration0036 } from './0036-queue-strategy-to-policy';
import { migration0031 } from './0031-reviewer-cursors';
import { migration0032 } from './0032-auto-merge-queued';

/** In order. Add new migrations at the end, one file each. */
export const MIGRATIONS: Migration[] = [
  migration0001,
  migration0002,
  migration0003,
  migration0004,
  migration0005,
  migration0006,
  migration0007,
  migration0008,
  migration0009,
  migration0010,
  migration0011,
  migration0012,
  migration0013,
  migration0014,
  migration0015,
  migration0016,
  migration0017,
  migration0018,
  migration0027,
  migration0028,
  migration0029,
  migration0031,
  migration0032,
  migration0033,
  migration0034,
  migration0035,
  migration0036,
];

