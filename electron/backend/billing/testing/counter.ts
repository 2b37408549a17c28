// One turn at the counter for the tests and the bench that show a long job never makes a payment
// wait (payer.ts in a second process, the nowait bench on the job's own thread): a cash payment of
// 1 元, then, with `search`, a look-up of a customer (as at the counter: find, then pay).
import type { Backend } from '../../context';
import { postPayment } from '../../collection/payments';
import { searchCustomers } from '../../customers/search';

export interface CounterClerk {
  id: string;
  staffNo: string;
  name: string;
}

/**
 * Posts the payment (`key` its idempotency key) and runs the search: when the payment was done
 * (performance.now()), its error if any, and the search's time.
 */
export function counterTurn(backend: Backend, clerk: CounterClerk, customerId: string, key: string, search?: string): { paidAt: number; error?: string; searchMs?: number } {
  const station = backend.requireStation();
  let error: string | undefined;
  try {
    backend.write({ staffId: clerk.id, label: `${clerk.staffNo} ${clerk.name}` }, (unit) =>
      postPayment(unit, station.code, { customerId, amountFen: 100, channel: 'cash', idempotencyKey: key }, clerk),
    );
  } catch (caught) {
    error = String((caught as Error).message ?? caught);
  }
  const paidAt = performance.now();
  const paid = { paidAt, ...(error ? { error } : {}) };
  if (search === undefined) return paid;
  searchCustomers(backend.store.read, search, { limit: 20 });
  return { ...paid, searchMs: performance.now() - paidAt };
}
