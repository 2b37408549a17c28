import { buildAppraisalDemo } from '../appraisal/demo';
import type { DemoStep } from './steps';

/**
 * The appraisal desk's step: both shipped score sheets, twelve months of appraisals from the
 * earlier steps' readings, bills and payments — most signed, one disputed, the current month a
 * draft (electron/backend/appraisal/demo.ts).
 */
export const appraisalStep: DemoStep = {
  name: 'appraisal',
  weight: 3,
  async run(ctx) {
    await buildAppraisalDemo(ctx.backend, ctx.actor, ctx.random, ctx.options.asOf, ctx.progress);
  },
};
