import { parseCenti } from '../../../shared/money';
import { replaceMeter } from '../customers/meters';
import { sql } from '../db/sql';
import { buildReadingDemo } from '../readings/demo';
import type { DemoStep } from './steps';

/**
 * The reading desk's step: books for every metering point with the readers assigned, then the
 * history months read, reviewed and closed (electron/backend/readings/demo.ts). Meter
 * replacements go through the customers desk's 换表.
 */
export const readingsStep: DemoStep = {
  name: 'readings',
  weight: 60,
  async run(ctx) {
    await buildReadingDemo(
      ctx.backend,
      ctx.actor,
      { months: ctx.options.months, asOf: ctx.options.asOf },
      ctx.random,
      (r) =>
        ctx.backend.write(ctx.actor, (unit) => {
          const old = unit.get<{ id: string; digits: number; multiplier: number }>(
            sql`SELECT id, digits, multiplier FROM meters WHERE point_id = ${r.pointId} AND removed_date IS NULL`,
          );
          if (!old) return;
          replaceMeter(unit, {
            meterId: old.id,
            finalReading: parseCenti(r.oldFinal),
            finalRegisters: null,
            reason: r.newStart === '0' ? '轮换' : '故障，换装检修表',
            meter: { meterNo: r.newMeterNo, digits: old.digits, multiplier: old.multiplier, tou: false, installDate: r.date, startReading: parseCenti(r.newStart), startRegisters: null },
          });
        }),
      ctx.progress,
    );
  },
};
