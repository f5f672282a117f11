import { describe } from 'vitest';
import { createMemoryBudgetStore } from '../../../server/budget';
import { describeBudgetStoreContract } from './budget-store-contract';

describe('memory budget store', () => {
  describeBudgetStoreContract(() => createMemoryBudgetStore());
});
