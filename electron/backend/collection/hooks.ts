import { formatYuan } from '../../../shared/money';
import { shanghaiDate } from '../../../shared/time';
import { closeAccountChecks } from '../customers/hooks';
import { AppError } from '../errors';
import { loadAccount } from './account';
import { penaltyPolicyOn } from './policy';

// Where the collection desk hooks into the other desks' work (registered once, on import).

/** 销户: an account is closed only with nothing owed (bills and penalties) and no prepaid left to refund. */
closeAccountChecks.push((db, customer) => {
  const today = shanghaiDate(Date.now());
  const policy = penaltyPolicyOn(db, today);
  const account = loadAccount(db, customer.id, today, policy);
  if (account.openBills.length === 0 && account.ledgerBalanceFen === 0) return null;
  return new AppError('conflict', 'customers.err.closeBalance', { accountNo: customer.accountNo, balance: formatYuan(account.ledgerBalanceFen) });
});
