import { expect, it, vi } from 'vitest';
import { guard } from './guard.js';
import { spoor } from './index.js';

it('guard sends an exception to fail instead of the caller', () => {
  const fail = vi.fn();
  const ok = vi.fn();
  const api = guard({ boom: () => { throw new Error('x'); }, ok }, fail);
  expect(() => api.boom()).not.toThrow();
  expect(fail).toHaveBeenCalledWith(new Error('x'));
  api.ok(1, 2);
  expect(ok).toHaveBeenCalledWith(1, 2);
});

it('spoor() outside a browser reports the error and returns an API that does nothing', () => {
  const onError = vi.fn();
  const api = spoor({ writeKey: 'wk', collector: 'https://c.example', onError });
  expect(onError).toHaveBeenCalledTimes(1);
  expect(() => api.purchase({ orderId: 'o', revenue: 1, currency: 'EUR', items: [] })).not.toThrow();
});
