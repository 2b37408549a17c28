// Work orders (工单) of the customer-service desk (客户服务): what kinds there are, where they come
// from, and the steps a handler records. Names follow the supply service commitments
// (供电服务十项承诺, DOMAIN.md "Customer service").

export const ORDER_KINDS = [
  'complaint', // 投诉
  'report', // 举报
  'opinion', // 意见
  'consultation', // 咨询
  'repair', // 故障报修
  'meter_check', // 电表校验
  'meter_query', // 电量电费异常
  'new_connection', // 业扩报装
  'change_of_use', // 变更用电
] as const;
export type OrderKind = (typeof ORDER_KINDS)[number];

export const ORDER_SOURCES = [
  'counter', // 柜台 walk-in
  'phone', // 电话
  'dispatch95598', // 95598 派单 from head office (reference pack or xlsx file)
] as const;
export type OrderSource = (typeof ORDER_SOURCES)[number];

/**
 * Steps (处理环节) recorded on an order, each a fact with its time. `arrive` (到达现场) and
 * `restore` (恢复送电) meet the repair milestones; `contact` (联系客户) meets the complaint's
 * first-contact milestone; `close` (办结) with a result meets the final one.
 */
export const STEP_KINDS = ['create', 'assign', 'contact', 'arrive', 'restore', 'note', 'suspend', 'resume', 'close', 'reopen', 'escalate'] as const;
export type StepKind = (typeof STEP_KINDS)[number];

/** Where an order stands, derived from its steps: the newest of assign/suspend/resume/close/reopen decides. */
export type OrderState = 'new' | 'assigned' | 'suspended' | 'closed';

export function isOrderKind(text: string): text is OrderKind {
  return (ORDER_KINDS as readonly string[]).includes(text);
}

/** A complaint or a report about a member of staff counts against them once it is found valid (有效投诉). */
export const COMPLAINT_KINDS: readonly OrderKind[] = ['complaint'];
