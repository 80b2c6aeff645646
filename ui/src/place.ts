// Where a node that arrives in a live delta starts: next to its neighbours, else next to its group (same host
// or namespace), else on the rim of the drawing. No layout run per delta: old nodes never move, so the map stays
// where the user left it; ForceAtlas2 runs again only when asked (relayout) or for a new view.

import type Graph from 'graphology';

/** The initial spiral (golden angle): no overlaps, deterministic; ForceAtlas2 takes it from there. */
export function spiral(count: number): { x: number; y: number }[] {
  const r = 10 * Math.sqrt(count + 1);
  const out: { x: number; y: number }[] = [];
  for (let i = 0; i < count; i++) {
    const a = (i * 2.399963) % (2 * Math.PI);
    const d = r * Math.sqrt((i + 0.5) / count);
    out.push({ x: d * Math.cos(a), y: d * Math.sin(a) });
  }
  return out;
}

/**
 * Places the {@code added} nodes (already in the graph, edges included) relative to the nodes that were there
 * before. Each lands at the centre of its old neighbours, or of its group's old members, plus an offset of about
 * one node spacing in a direction taken from its id (so two newcomers with the same neighbours do not overlap,
 * and the same delta places the same way). One pass over the graph, whatever the number of new nodes.
 */
export function placeNew(g: Graph, added: readonly string[]): void {
  if (added.length === 0) return;
  const isNew = new Set(added);
  const wantGroups = new Set<string>();
  for (const id of added) { const k = g.getNodeAttribute(id, 'group'); if (k) wantGroups.add(k); }
  const groups = new Map<string, { x: number; y: number; n: number }>();
  let minX = Infinity, maxX = -Infinity, minY = Infinity, maxY = -Infinity, old = 0;
  g.forEachNode((id, a) => {
    if (isNew.has(id)) return;
    old++;
    if (a.x < minX) minX = a.x; if (a.x > maxX) maxX = a.x; if (a.y < minY) minY = a.y; if (a.y > maxY) maxY = a.y;
    if (a.group && wantGroups.has(a.group)) {
      const s = groups.get(a.group) ?? { x: 0, y: 0, n: 0 };
      s.x += a.x; s.y += a.y; s.n++;
      groups.set(a.group, s);
    }
  });
  if (old === 0) { // nothing to be near: a small spiral around the origin
    spiral(added.length).forEach((p, i) => g.mergeNodeAttributes(added[i], p));
    return;
  }
  const extent = Math.max(maxX - minX, maxY - minY, 1);
  // The mean distance between neighbouring nodes if the old ones were spread evenly over the extent.
  const spacing = extent / Math.sqrt(old + 1);
  const cx = (minX + maxX) / 2, cy = (minY + maxY) / 2;
  for (const id of added) {
    let sx = 0, sy = 0, k = 0;
    g.forEachNeighbor(id, (nb, a) => { if (!isNew.has(nb)) { sx += a.x; sy += a.y; k++; } });
    const angle = hashAngle(id);
    let x: number, y: number;
    if (k > 0) { x = sx / k; y = sy / k; }
    else {
      const grp = groups.get(g.getNodeAttribute(id, 'group') ?? '');
      if (grp) { x = grp.x / grp.n; y = grp.y / grp.n; }
      else { // alone: just outside the drawing, where it does not cover anything
        g.mergeNodeAttributes(id, { x: cx + Math.cos(angle) * extent * 0.55, y: cy + Math.sin(angle) * extent * 0.55 });
        continue;
      }
    }
    g.mergeNodeAttributes(id, { x: x + Math.cos(angle) * spacing, y: y + Math.sin(angle) * spacing });
  }
}

/** A direction in [0, 2π) from a string (FNV-1a): stable across runs, spread across ids. */
export function hashAngle(s: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < s.length; i++) { h ^= s.charCodeAt(i); h = Math.imul(h, 0x01000193); }
  return ((h >>> 0) / 0x100000000) * 2 * Math.PI;
}
