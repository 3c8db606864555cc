import type { EventStore } from '../load/event-store.js';

/**
 * Wraps a store so it is "down" while `isDown()` holds: existence checks and inserts fail, and every third
 * insert during an outage is carried out and *then* reported as failed (the acknowledgement lost on the way
 * back), which is the case the dedup token and the re-check exist for.
 */
export function createFlakyEventStore(inner: EventStore, isDown: () => boolean): EventStore & { injected: () => number } {
  let injected = 0;
  let inserts = 0;
  return {
    injected: () => injected,
    async existingKeys(table, rows) {
      if (isDown()) {
        injected++;
        throw new Error('ClickHouse unavailable (drill)');
      }
      return inner.existingKeys(table, rows);
    },
    async repairProjections(rows) {
      if (isDown()) {
        injected++;
        throw new Error('ClickHouse unavailable (drill)');
      }
      return inner.repairProjections(rows);
    },
    async markUnsettledVisits(visits) {
      if (isDown()) {
        injected++;
        throw new Error('ClickHouse unavailable (drill)');
      }
      return inner.markUnsettledVisits(visits);
    },
    async ping() {
      return !isDown() && inner.ping();
    },
    async retractOrders(refused) {
      if (isDown()) {
        injected++;
        throw new Error('ClickHouse unavailable (drill)');
      }
      return inner.retractOrders(refused);
    },
    ...(inner.readErasureRegister
      ? {
          readErasureRegister: async (known: string | null) => {
            if (isDown()) {
              injected++;
              throw new Error('ClickHouse unavailable (drill)');
            }
            return inner.readErasureRegister!(known);
          },
        }
      : {}),
    async insert(table, rows, token) {
      if (isDown()) {
        injected++;
        if (++inserts % 3 === 0) await inner.insert(table, rows, token);
        throw new Error('ClickHouse unavailable (drill)');
      }
      return inner.insert(table, rows, token);
    },
  };
}
