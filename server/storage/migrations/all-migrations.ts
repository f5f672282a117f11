import type { Migration } from './migration';
import { migration0001 } from './0001-tenants';
import { migration0002 } from './0002-webhook-deliveries';
import { migration0003 } from './0003-jobs';

/** In order. Add new migrations at the end, one file each. */
export const MIGRATIONS: Migration[] = [
  migration0001,
  migration0002,
  migration0003,
];

