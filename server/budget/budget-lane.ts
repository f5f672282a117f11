/** Who a Bitbucket call is for, most urgent first: a person waiting on a click, automation, sync and backfill. */
export const BUDGET_LANES = ['people', 'automation', 'sync'] as const;
export type BudgetLane = (typeof BUDGET_LANES)[number];

export function isBudgetLane(value: string): value is BudgetLane {
  return (BUDGET_LANES as readonly string[]).includes(value);
}
