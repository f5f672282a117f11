import type { RiskLevel } from '../../server/web/api/contracts';

export interface RiskLozenge {
  appearance: 'default' | 'moved' | 'removed';
  label: string;
}

const LOZENGES: Record<RiskLevel, RiskLozenge> = {
  read: { appearance: 'default', label: 'Read' },
  write: { appearance: 'moved', label: 'Write' },
  destructive: { appearance: 'removed', label: 'Destructive' },
};

/** A step's risk as a Lozenge: Read (grey), Write (yellow), Destructive (red); null when the tool is unknown. */
export const toRiskLozenge = (risk: RiskLevel | null): RiskLozenge =>
  (risk ? LOZENGES[risk] : undefined) ?? { appearance: 'default', label: 'Unknown' };
