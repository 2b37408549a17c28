// Sizing a job's next slice by the pace of the last one (issue 18): a write transaction should
// hold the store about `targetMs` (well under the 250 ms bound), on a quiet machine or a busy one.
// The billing run, the imports and the period open size their slices the same way.

export class Pace {
  /** Tests: every slice takes this many items (a huge number: the one-transaction baseline). */
  static fixed: number | undefined;
  private next: number;

  constructor(
    /** The first slice's size, small enough for a slow machine. */
    first: number,
    private readonly targetMs = 80,
    private readonly min = 1,
    private readonly max = 100_000,
  ) {
    this.next = first;
  }

  /** How many items the next slice takes. */
  get size(): number {
    return Pace.fixed ?? this.next;
  }

  /** Times `slice` (which worked on `count` items) and sizes the next one from its pace (at most 1.5 times this one). */
  run<T>(count: number, slice: () => T): T {
    const started = performance.now();
    const result = slice();
    const ms = performance.now() - started;
    const paced = Math.round((count * this.targetMs) / Math.max(ms, 1));
    this.next = Math.max(this.min, Math.min(this.max, Math.round(Math.max(count, 1) * 1.5), paced));
    return result;
  }
}
