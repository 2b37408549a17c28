import { sql } from '../db/sql';
import { insertStaff, prepareStaff } from '../staff/staff';
import type { DemoStaff, DemoStep } from './steps';

/** Everyone at the demo station logs in with this password (documented in docs/customers.md). */
export const DEMO_PASSWORD = 'demo1234';

const PEOPLE: Omit<DemoStaff, 'staffId' | 'password'>[] = [
  { staffNo: 'A001', name: '周管理', role: 'admin' },
  { staffNo: 'H001', name: '赵所长', role: 'station_head' },
  { staffNo: 'C001', name: '王芳', role: 'clerk' },
  { staffNo: 'C002', name: '李娜', role: 'clerk' },
  { staffNo: 'B001', name: '杨敏', role: 'billing_clerk' },
  { staffNo: 'M001', name: '张伟', role: 'meter_reader' },
  { staffNo: 'M002', name: '刘洋', role: 'meter_reader' },
  { staffNo: 'M003', name: '陈静', role: 'meter_reader' },
];

/** The station's staff: an administrator, a station head, clerks, a billing clerk and meter readers. */
export const staffStep: DemoStep = {
  name: 'staff',
  weight: 2,
  async run(ctx) {
    for (const [i, person] of PEOPLE.entries()) {
      // The administrator was made with the station; the others are added here.
      if (person.role !== 'admin') {
        const prepared = await prepareStaff({ ...person, roles: [person.role], password: DEMO_PASSWORD, mustChangePassword: false });
        ctx.backend.write(ctx.actor, (unit) => insertStaff(unit, prepared));
      }
      const staffId = ctx.backend.store.read.value<string>(sql`SELECT id FROM staff WHERE staff_no = ${person.staffNo}`);
      ctx.staff.push({ ...person, staffId: staffId ?? '', password: DEMO_PASSWORD });
      await ctx.progress(i + 1, PEOPLE.length);
    }
  },
};

export const DEMO_ADMIN = PEOPLE[0] as Omit<DemoStaff, 'staffId' | 'password'>;
