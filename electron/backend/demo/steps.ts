// The demo station (演示供电所) is built by an ordered list of steps. Each desk adds its own step
// in one file of this folder and one entry in DEMO_STEPS below: the customers desk files the
// station's customers and meters; the reading desk adds books and months of readings; billing
// adds tariffs and bills; collection adds payments. A step reads what the earlier ones made.
import type { Actor } from '../audit/record';
import type { Backend } from '../context';
import { appraisalStep } from './appraisalStep';
import { billingStep } from './billingStep';
import { collectionStep } from './collectionStep';
import { customersStep } from './customersStep';
import type { Random } from './random';
import { readingsStep } from './readingsStep';
import { staffStep } from './staffStep';

export interface DemoOptions {
  /** How many customers (default 2,000; the bench builds 100,000). */
  customers: number;
  /** Months of history the later steps make (readings, bills, payments): 12+ by default. */
  months: number;
  seed: number;
  /** The demo's "today" (YYYY-MM-DD): the last month of history is the month before it. */
  asOf: string;
}

export interface DemoStaff {
  staffId: string;
  staffNo: string;
  name: string;
  role: 'admin' | 'clerk' | 'meter_reader' | 'billing_clerk' | 'station_head';
  password: string;
}

export interface DemoContext {
  /** The station being built (a fresh database, renamed into place only when every step is done). */
  backend: Backend;
  options: DemoOptions;
  /** This step's own seeded random source. */
  random: Random;
  /** Everyone who can log in, filled by the staff step. */
  staff: DemoStaff[];
  /** Who the demo's writes are recorded as. */
  actor: Actor;
  /** Reports this step's progress (and yields to the event loop). Call between chunks. */
  progress(done: number, total: number): Promise<void>;
}

export interface DemoStep {
  name: string;
  /** Share of the progress bar (roughly its time at 100,000 customers). */
  weight: number;
  run(ctx: DemoContext): Promise<void>;
}

export const DEMO_STEPS: DemoStep[] = [staffStep, customersStep, readingsStep, billingStep, collectionStep, appraisalStep];
