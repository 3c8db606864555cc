import { EVENT_TYPES, type EventType } from '@spoor/events';

const KNOWN: ReadonlySet<string> = new Set(EVENT_TYPES);

/**
 * An event type as a quoted SQL literal (`'purchase'`), for the constant conditions queries and views put on
 * `type`. The name is checked against the contract's list (@spoor/events EVENT_TYPES) when called — SQL strings are
 * built at module load, so a type renamed or removed in the contract fails the import, not a query returning nothing.
 * The contract's names are [a-z_] identifiers, so the quoting cannot be broken out of.
 */
export function eventTypeSql(type: EventType): string {
  if (!KNOWN.has(type) || !/^[a-z_]+$/.test(type)) throw new Error(`"${String(type)}" is not an event type of the contract (@spoor/events EVENT_TYPES: ${EVENT_TYPES.join(', ')})`);
  return `'${type}'`;
}

/** Several event types as a parenthesised SQL list for IN / NOT IN: `('email_open', 'email_click')`. */
export function eventTypesSql(...types: [EventType, ...EventType[]]): string {
  return `(${types.map(eventTypeSql).join(', ')})`;
}
