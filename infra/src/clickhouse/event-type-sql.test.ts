import { EVENT_TYPES, type EventType } from '@spoor/events';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { eventTypeSql, eventTypesSql } from './event-type-sql.js';

describe('eventTypeSql', () => {
  it("quotes every type of the contract's list", () => {
    for (const type of EVENT_TYPES) expect(eventTypeSql(type)).toBe(`'${type}'`);
    expect(eventTypesSql('email_open', 'email_click')).toBe("('email_open', 'email_click')");
  });

  it('refuses any name the contract does not list, naming it (a renamed type fails at module load)', () => {
    fc.assert(
      fc.property(
        fc.string().filter((s) => !(EVENT_TYPES as readonly string[]).includes(s)),
        (name) => {
          expect(() => eventTypeSql(name as EventType)).toThrow('is not an event type of the contract');
          expect(() => eventTypesSql('purchase', name as EventType)).toThrow('is not an event type of the contract');
        },
      ),
    );
    expect(() => eventTypeSql('cart_add' as EventType)).toThrow('"cart_add" is not an event type');
  });
});
