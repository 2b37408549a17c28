import { formatYuan } from '../../../shared/money';
import { shanghaiDate } from '../../../shared/time';
import { BILLS_ISSUED_HOOKS } from '../billing/ledger';
import { closeAccountChecks } from '../customers/hooks';
import { AppError } from '../errors';
import { loadAccount } from './account';
import { penaltyPolicyOn } from './policy';
import { drawPrepaid } from './prepaid';

// Where the collection desk hooks into the other desks' work (registered once, on import).

/** 销户: an account is closed only with nothing owed (bills and penalties) and no prepaid left to refund. */
closeAccountChecks.push((db, customer) => {
  const today = shanghaiDate(Date.now());
  const policy = penaltyPolicyOn(db, today);
  const account = loadAccount(db, customer.id, today, policy);
  if (account.openBills.length === 0 && account.ledgerBalanceFen === 0) return null;
  return new AppError('conflict', 'customers.err.closeBalance', { accountNo: customer.accountNo, balance: formatYuan(account.ledgerBalanceFen) });
});

/**
 * 预收转实收: bills issued (a billing run's issue, or a correction's new bill) draw the customer's
 * prepaid balance at once, in the issuing transaction. A bill corrected below what was paid on it
 * needs no hook of its own: the account replay counts what was paid beyond the new charge as
 * prepaid, which the correction's new bill then draws here.
 */
BILLS_ISSUED_HOOKS.push((unit, bills) => {
  drawPrepaid(unit, bills);
});
