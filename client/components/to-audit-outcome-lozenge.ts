import type { AuditEntryView, AuditStepView } from '../../server/web/api/contracts';

export interface OutcomeLozenge {
  appearance: 'success' | 'removed' | 'moved' | 'default';
  label: string;
}

type Outcome = AuditEntryView['outcome'] | AuditStepView['outcome'];

const LOZENGES: Record<Outcome, OutcomeLozenge> = {
  succeeded: { appearance: 'success', label: 'Succeeded' },
  failed: { appearance: 'removed', label: 'Failed' },
  refused: { appearance: 'moved', label: 'Refused' },
  skipped: { appearance: 'default', label: 'Skipped' },
};

/** An audit entry's or step's outcome: Succeeded (green), Failed (red), Refused (yellow), Skipped (grey). */
export const toAuditOutcomeLozenge = (outcome: Outcome): OutcomeLozenge =>
  LOZENGES[outcome] ?? { appearance: 'default', label: String(outcome) };
