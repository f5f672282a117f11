import { describe } from 'vitest';
import { createMemoryRepositoryTemplateStore } from '../../../server/policies/memory-repository-template-store';
import { describeRepositoryTemplateStoreContract } from './repository-template-store-contract';

describe('memory repository template store', () => {
  describeRepositoryTemplateStoreContract(() => createMemoryRepositoryTemplateStore());
});
