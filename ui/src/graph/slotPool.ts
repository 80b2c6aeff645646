// The bookkeeping of the slots in sigma's buffers (slots.ts): pure, so that it can be tested without WebGL.

/** Spare slots allocated after {@code count} items: room for a few minutes of churn before a re-process. */
export function slack(count: number): number {
  return Math.max(256, Math.ceil(count * 0.05));
}

/**
 * Which key holds which position of one program buffer, and which positions are free. Free positions are handed
 * out lowest first, so the buffer stays as short as it can be.
 */
export class SlotPool {
  private readonly positions = new Map<string, number>();
  private readonly keys = new Map<number, string>();
  /** Free positions, highest first (the lowest is popped). */
  private free: number[] = [];
  private size = 0;
  /** Slots taken or freed since the last reset: the buffer is no longer what process() would write. */
  changes = 0;

  /** After a full process: these keys hold these positions, and the buffer has room for {@code capacity} items. */
  reset(index: Record<string, number>, capacity: number) {
    this.positions.clear();
    this.keys.clear();
    for (const key in index) {
      const p = index[key];
      if (p >= capacity || this.keys.has(p)) throw new Error(`slot ${p} of ${key} is out of range or taken twice`);
      this.positions.set(key, p);
      this.keys.set(p, key);
    }
    this.size = capacity;
    this.free = [];
    for (let p = capacity - 1; p >= 0; p--) if (!this.keys.has(p)) this.free.push(p);
    this.changes = 0;
  }

  /** A free position for {@code key}, or undefined when none is left (or the key already has one). */
  take(key: string): number | undefined {
    if (this.positions.has(key) || this.free.length === 0) return undefined;
    const p = this.free.pop()!;
    this.positions.set(key, p);
    this.keys.set(p, key);
    this.changes++;
    return p;
  }

  /** Frees {@code key}'s position and returns it (undefined when the key had none). */
  release(key: string): number | undefined {
    const p = this.positions.get(key);
    if (p === undefined) return undefined;
    this.positions.delete(key);
    this.keys.delete(p);
    // Keep the stack sorted (highest first) so that take() always returns the lowest free position.
    let i = this.free.length;
    while (i > 0 && this.free[i - 1] < p) i--;
    this.free.splice(i, 0, p);
    this.changes++;
    return p;
  }

  positionOf(key: string): number | undefined { return this.positions.get(key); }
  keyAt(position: number): string | undefined { return this.keys.get(position); }
  get capacity() { return this.size; }
  get used() { return this.positions.size; }
  get available() { return this.free.length; }
}
