import type { Approver } from '../../../shared/contract/collection';
import { hasPermission } from '../../../shared/permissions';
import type { Backend } from '../context';
import { refuse } from '../errors';
import type { CallStaff } from '../handler';
import { login, type LoginPlace } from '../staff/login';
import type { Clerk } from './payments';

/**
 * The station head's own login typed at a clerk's screen (on-the-spot approval of a reversal,
 * a waiver or a closing difference). Checked exactly like a login — a wrong password counts
 * towards the lock-out and is audited — and the person must hold `collection.approve`.
 */
export async function verifyApprover(backend: Backend, approver: Approver, place?: LoginPlace): Promise<CallStaff> {
  const staff = await login(backend, approver.staffNo, approver.password, place);
  if (!hasPermission(staff.roles, 'collection.approve')) throw refuse('collection.approverNotHead', { staffNo: staff.staffNo }, 'forbidden');
  return staff;
}

/** Whoever asked may not approve it too (四眼原则). */
export function assertNotSelf(approver: Clerk, requesterId: string | null): void {
  if (requesterId !== null && approver.id === requesterId) throw refuse('collection.selfApproval', {}, 'forbidden');
}
