import { LIMITS } from '@spoor/events';
import { expect, it } from 'vitest';
import { MAX_EVENTS_PER_BATCH, MAX_TEXT_LENGTH, MAX_URL_LENGTH, TRANSPORT_BUDGET } from './limits.js';

it('the SDK copies of the contract limits match @spoor/events', () => {
  expect({ TRANSPORT_BUDGET, MAX_EVENTS_PER_BATCH, MAX_URL_LENGTH, MAX_TEXT_LENGTH }).toEqual({
    TRANSPORT_BUDGET: LIMITS.sdkTransportBudgetBytes,
    MAX_EVENTS_PER_BATCH: LIMITS.maxEventsPerBatch,
    MAX_URL_LENGTH: LIMITS.maxUrlLength,
    MAX_TEXT_LENGTH: LIMITS.maxTextLength,
  });
});
