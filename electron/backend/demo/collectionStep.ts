import { buildPaymentsDemo } from '../collection/demo';
import type { DemoStep } from './steps';

/**
 * The collection desk's step: every issued bill of the history paid at the counter by the demo's
 * clerks, except some customers' last months (arrears) and a few round-ups (prepaid balance)
 * (electron/backend/collection/demo.ts).
 */
export const collectionStep: DemoStep = {
  name: 'collection',
  weight: 15,
  async run(ctx) {
    const clerks = ctx.staff.filter((s) => s.role === 'clerk');
    await buildPaymentsDemo(ctx.backend, ctx.actor, clerks, ctx.random, ctx.options.asOf, ctx.progress);
  },
};
