// A seeded random source for the demo station: the same seed gives the same station.

/** mulberry32: small, fast, good enough to make plausible data (not for anything secret). */
export class Random {
  private state: number;
  constructor(seed: number) {
    this.state = seed >>> 0 || 0x9e3779b9;
  }

  /** Derives an independent source for one demo step, so adding a step never changes another's data. */
  static forStep(seed: number, step: string): Random {
    let h = seed ^ 0x811c9dc5;
    for (const ch of step) h = Math.imul(h ^ ch.charCodeAt(0), 0x01000193);
    return new Random(h);
  }

  /** [0, 1) */
  next(): number {
    this.state = (this.state + 0x6d2b79f5) >>> 0;
    let t = this.state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  }

  /** Integer in [min, max]. */
  int(min: number, max: number): number {
    return min + Math.floor(this.next() * (max - min + 1));
  }

  chance(p: number): boolean {
    return this.next() < p;
  }

  pick<T>(items: readonly T[]): T {
    return items[Math.floor(this.next() * items.length)] as T;
  }

  /** Picks by weight: [[value, weight], …]. */
  weighted<T>(items: readonly (readonly [T, number])[]): T {
    const total = items.reduce((s, [, w]) => s + w, 0);
    let x = this.next() * total;
    for (const [value, weight] of items) {
      x -= weight;
      if (x < 0) return value;
    }
    return (items.at(-1) as readonly [T, number])[0];
  }

  digits(n: number): string {
    let out = '';
    for (let i = 0; i < n; i++) out += String(this.int(0, 9));
    return out;
  }
}
