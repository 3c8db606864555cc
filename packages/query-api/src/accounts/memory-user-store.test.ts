import { describe } from 'vitest';
import { createMemoryUserStore } from './memory-user-store.js';
import { userStoreContract } from './user-store.contract.js';

describe('memory UserStore', () => userStoreContract(async () => createMemoryUserStore()));
