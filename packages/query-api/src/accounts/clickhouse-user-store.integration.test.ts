import { freshClickHouseDatabase } from '@spoor/test-harness';
import { describe } from 'vitest';
import { createClickHouseUserStore } from './clickhouse-user-store.js';
import { userStoreContract } from './user-store.contract.js';

// One fresh migrated database per test (chDB in process, or CLICKHOUSE_URL): the contract starts from no users.
describe('ClickHouse UserStore (users, user_site_roles)', () =>
  userStoreContract(async () => {
    const { client, database } = await freshClickHouseDatabase();
    return createClickHouseUserStore({ client, database });
  }));
