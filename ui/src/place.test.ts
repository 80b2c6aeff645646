import Graph from 'graphology';
import { describe, expect, it } from 'vitest';
import { placeNew } from './place';

/** Two clusters far apart: a..c around (0, 0) on host h1, x..z around (1000, 0) on host h2. */
function world() {
  const g = new Graph({ type: 'directed' });
  [['a', 0, 0], ['b', 10, 0], ['c', 0, 10]].forEach(([id, x, y]) => g.addNode(id, { x, y, group: 'h1' }));
  [['x', 1000, 0], ['y', 1010, 0], ['z', 1000, 10]].forEach(([id, x, y]) => g.addNode(id, { x, y, group: 'h2' }));
  g.addEdge('a', 'b'); g.addEdge('x', 'y');
  return g;
}
const dist = (g: Graph, a: string, x: number, y: number) => Math.hypot(g.getNodeAttribute(a, 'x') - x, g.getNodeAttribute(a, 'y') - y);

describe('placeNew', () => {
  it('puts a new node next to its neighbours and moves nothing else', () => {
    const g = world();
    const before = g.mapNodes((id, a) => [id, a.x, a.y]);
    g.addNode('n', { x: 0, y: 0, group: 'h1' });
    g.addEdge('n', 'x'); g.addEdge('y', 'n');
    placeNew(g, ['n']);
    expect(dist(g, 'n', 1005, 0)).toBeLessThan(1010 / Math.sqrt(7) + 1); // about one spacing from its neighbours' centre
    expect(g.filterNodes(id => id !== 'n').map(id => [id, g.getNodeAttribute(id, 'x'), g.getNodeAttribute(id, 'y')])).toEqual(before);
  });

  it('puts a node without neighbours next to its group, and one without either outside the drawing', () => {
    const g = world();
    g.addNode('m', { x: 0, y: 0, group: 'h2' });
    g.addNode('lonely', { x: 0, y: 0, group: 'h9' });
    placeNew(g, ['m', 'lonely']);
    expect(dist(g, 'm', 1003.3, 3.3)).toBeLessThan(1010 / Math.sqrt(7) + 1);
    expect(dist(g, 'lonely', 505, 5)).toBeGreaterThan(500);
  });

  it('places two newcomers with the same neighbours apart, the same way each time', () => {
    const place = () => {
      const g = world();
      for (const id of ['p', 'q']) { g.addNode(id, { x: 0, y: 0 }); g.addEdge(id, 'a'); }
      placeNew(g, ['p', 'q']);
      return g.mapNodes((id, a) => [id, a.x, a.y]);
    };
    const one = place();
    expect(one).toEqual(place());
    const [p, q] = one.filter(([id]) => id === 'p' || id === 'q') as [string, number, number][];
    expect(Math.hypot(p[1] - q[1], p[2] - q[2])).toBeGreaterThan(1);
  });
});
