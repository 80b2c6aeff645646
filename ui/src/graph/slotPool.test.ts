import { describe, expect, it } from 'vitest';
import { SlotPool, slack } from './slotPool';

/** A pool as process() leaves it: keys k0..k{n-1} dense at the front, room for {@code capacity}. */
function pool(n: number, capacity: number) {
  const index: Record<string, number> = {};
  for (let i = 0; i < n; i++) index[`k${i}`] = i;
  const p = new SlotPool();
  p.reset(index, capacity);
  return p;
}

describe('SlotPool', () => {
  it('hands out the free slots after the dense front, lowest first, and maps keys to slots both ways', () => {
    const p = pool(3, 6);
    expect(p.available).toBe(3);
    expect(p.take('a')).toBe(3);
    expect(p.take('b')).toBe(4);
    expect(p.positionOf('a')).toBe(3);
    expect(p.keyAt(4)).toBe('b');
    expect(p.positionOf('k1')).toBe(1);
    expect(p.keyAt(1)).toBe('k1');
    expect(p.used).toBe(5);
    expect(p.changes).toBe(2);
  });

  it('reuses a released slot before any higher one, and forgets the released key', () => {
    const p = pool(4, 8);
    expect(p.release('k1')).toBe(1);
    expect(p.release('k3')).toBe(3);
    expect(p.positionOf('k1')).toBeUndefined();
    expect(p.keyAt(1)).toBeUndefined();
    expect(p.take('x')).toBe(1);
    expect(p.take('y')).toBe(3);
    expect(p.take('z')).toBe(4);
    expect(p.keyAt(1)).toBe('x');
  });

  it('says when it has run out, and gives one key one slot only', () => {
    const p = pool(2, 3);
    expect(p.take('a')).toBe(2);
    expect(p.take('b')).toBeUndefined();
    expect(p.release('nope')).toBeUndefined();
    expect(p.release('k0')).toBe(0);
    expect(p.take('a')).toBeUndefined(); // already has slot 2
    expect(p.take('b')).toBe(0);
    expect(p.available).toBe(0);
  });

  it('starts over from the index a compaction (full process) wrote, holes and hot slots gone', () => {
    const p = pool(4, 6);
    p.release('k0'); p.take('n1'); p.take('n2'); p.take('n3');
    expect(p.changes).toBe(4);
    // process() wrote the four survivors densely, in its own order, into a buffer reallocated with new slack
    p.reset({ k2: 0, n1: 1, k1: 2, n3: 3, k3: 4, n2: 5 }, 9);
    expect(p.changes).toBe(0);
    expect(p.positionOf('n1')).toBe(1);
    expect(p.keyAt(4)).toBe('k3');
    expect(p.positionOf('k0')).toBeUndefined();
    expect(p.available).toBe(3);
    expect(p.take('m')).toBe(6);
  });

  it('rejects an index that does not fit the buffer or gives two keys one slot', () => {
    expect(() => new SlotPool().reset({ a: 0, b: 3 }, 3)).toThrow(/out of range/);
    expect(() => new SlotPool().reset({ a: 1, b: 1 }, 3)).toThrow(/taken twice/);
  });

  it('keeps take() lowest-first whatever order slots are released in', () => {
    const p = pool(10, 10);
    for (const k of ['k7', 'k2', 'k9', 'k0', 'k5']) p.release(k);
    expect([1, 2, 3, 4, 5].map(i => p.take(`t${i}`))).toEqual([0, 2, 5, 7, 9]);
  });
});

describe('slack', () => {
  it('leaves room for a few minutes of churn, at least 256 slots', () => {
    expect(slack(0)).toBe(256);
    expect(slack(1000)).toBe(256);
    expect(slack(10000)).toBe(500);
  });
});
