import { describe, expect, it } from 'vitest';
import type { ViewNode } from './api';
import { controlFrame, groupKeyFor, groupTopology, nodeColour, TopoStore } from './model';
import { parseState, stateQuery } from './state';
import { parse } from './logs';

const node = (id: string, hostId: string, status = 'healthy', cpu = 1): ViewNode => ({
  id, label: id, status, kind: 'container', hostId, count: 1, metrics: { cpu_percent: cpu }, running: true, system: false, labels: {},
});

describe('groupTopology', () => {
  const nodes = [node('a', 'h1'), node('b', 'h1', 'critical', 2), node('c', 'h2')];
  const edges = [{ id: 'a->b', source: 'a', target: 'b', connections: 1 }, { id: 'a->c', source: 'a', target: 'c', connections: 2 },
    { id: 'b->c', source: 'b', target: 'c', connections: 3 }];
  it('collapses a host into one node with summed metrics and worst status; merges edges', () => {
    const g = groupTopology(nodes, edges, groupKeyFor('host', ''), new Set());
    expect(g.nodes.map(n => n.id).sort()).toEqual(['group:host:h1', 'group:host:h2']);
    const h1 = g.nodes.find(n => n.id === 'group:host:h1')!;
    expect(h1.count).toBe(2); expect(h1.status).toBe('critical'); expect(h1.metrics.cpu_percent).toBe(3);
    expect(g.edges).toEqual([{ id: 'group:host:h1->group:host:h2', source: 'group:host:h1', target: 'group:host:h2', connections: 5 }]);
  });
  it('leaves an expanded group as its members', () => {
    const g = groupTopology(nodes, edges, groupKeyFor('host', ''), new Set(['host:h1']));
    expect(g.nodes.map(n => n.id).sort()).toEqual(['a', 'b', 'group:host:h2']);
    expect(g.edges.map(e => e.id).sort()).toEqual(['a->b', 'a->group:host:h2', 'b->group:host:h2']);
  });
});

describe('TopoStore', () => {
  it('applies a snapshot then a delta', () => {
    const s = new TopoStore();
    s.applySnapshot({ type: 'snapshot', view: 'v', modelVersion: 1, at: 1, nodes: [node('a', 'h'), node('b', 'h')], edges: [] });
    s.applyDelta({ type: 'delta', view: 'v', modelVersion: 2, at: 2, nodesAdded: [node('c', 'h')], nodesUpdated: [node('a', 'h', 'warning')],
      nodesRemoved: ['b'], edgesAdded: [{ source: 'a', target: 'c' }], edgesUpdated: [], edgesRemoved: [] });
    expect([...s.nodes.keys()].sort()).toEqual(['a', 'c']);
    expect(s.nodes.get('a')!.status).toBe('warning');
    expect([...s.edges.values()]).toEqual([{ id: 'a->c', source: 'a', target: 'c', connections: 1 }]);
  });
  it('reads the compact wire form: defaults left out, snapshot edges as positions, removed edges as pairs', () => {
    const s = new TopoStore();
    s.applySnapshot(JSON.parse('{"type":"snapshot","view":"v","modelVersion":1,"at":1,"nodes":['
      + '{"id":"a","label":"a","shape":"hexagon","status":"healthy","kind":"container","hostId":"h","metrics":{"cpu_percent":1.5}},'
      + '{"id":"b","label":"b","shape":"hexagon","status":"stale","kind":"container","count":3,"running":false,"system":true,'
      + '"labels":{"app":"x"},"namespace":"ns"},'
      + '{"id":"c","label":"c","shape":"hexagon","status":"healthy","kind":"container"}],'
      + '"edges":[[0,1],[2,0,4]]}'));
    expect(s.nodes.get('a')).toEqual({ id: 'a', label: 'a', shape: 'hexagon', status: 'healthy', kind: 'container', hostId: 'h',
      count: 1, running: true, system: false, metrics: { cpu_percent: 1.5 }, labels: {} });
    const b = s.nodes.get('b')!;
    expect([b.count, b.running, b.system, b.labels, b.namespace]).toEqual([3, false, true, { app: 'x' }, 'ns']);
    expect([...s.edges.values()]).toEqual([{ id: 'a->b', source: 'a', target: 'b', connections: 1 },
      { id: 'c->a', source: 'c', target: 'a', connections: 4 }]);
    s.applyDelta(JSON.parse('{"type":"delta","view":"v","modelVersion":2,"at":2,"nodesAdded":[],"nodesRemoved":[],'
      + '"nodesUpdated":[{"id":"b","label":"b","shape":"hexagon","status":"healthy","kind":"container"}],'
      + '"edgesAdded":[{"source":"b","target":"c","connections":2}],"edgesUpdated":[{"source":"c","target":"a"}],'
      + '"edgesRemoved":[["a","b"]]}'));
    expect(s.nodes.get('b')!.running).toBe(true);
    expect(s.nodes.get('b')!.count).toBe(1);
    expect([...s.edges.values()].sort((x, y) => x.id.localeCompare(y.id))).toEqual([
      { id: 'b->c', source: 'b', target: 'c', connections: 2 }, { id: 'c->a', source: 'c', target: 'a', connections: 1 }]);
  });
});

describe('colours and URL state', () => {
  it('uses hex colours only (sigma paints hsl() black)', () => {
    for (const st of ['healthy', 'warning', 'critical', 'stale', 'other']) expect(nodeColour({ status: st, running: true })).toMatch(/^#[0-9a-f]{6}$/);
  });
  it('round-trips view, filters and selection through the query', () => {
    const s = parseState('?view=hosts&state=running&label=app%3Dweb&label=tier&sel=a,b&mode=table&group=host');
    expect(s.filters.labels).toEqual(['app=web', 'tier']);
    expect(parseState('?' + stateQuery(s))).toEqual(s);
  });
});

describe('log lines', () => {
  it('splits Docker timestamps and reads JSON frames', () => {
    expect(parse('2024-01-01T00:00:00.123Z hello\nworld\n')).toEqual([
      { stream: 'stdout', ts: '2024-01-01T00:00:00.123Z', text: 'hello' }, { stream: 'stdout', ts: '', text: 'world' }]);
    expect(parse('{"stream":"stderr","line":"boom"}')[0]).toEqual({ stream: 'stderr', ts: '', text: 'boom' });
  });

  it('reads a frame of several JSON lines, one line each', () => {
    expect(parse('{"stream":"stdout","line":"a {x}","ts":"2024-01-01T00:00:00Z"}\n{"stream":"stderr","line":"b\\nc"}\nplain'))
      .toEqual([{ stream: 'stdout', ts: '2024-01-01T00:00:00Z', text: 'a {x}' },
        { stream: 'stderr', ts: '', text: 'b\nc' }, { stream: 'stdout', ts: '', text: 'plain' }]);
  });
});

describe('controlFrame', () => {
  it('recognises the exec exit and the log end frames', () => {
    expect(controlFrame('{"type":"exit","code":7}')).toEqual({ type: 'exit', code: 7 });
    expect(controlFrame('{"type":"end","message":"the log ended"}')).toEqual({ type: 'end', message: 'the log ended' });
  });
  it('leaves output alone', () => {
    expect(controlFrame('{"stream":"stdout","line":"{\\"type\\":\\"exit\\"}"}')).toBeNull();
    expect(controlFrame('plain text')).toBeNull();
    expect(controlFrame('{"type":"exit" broken')).toBeNull();
  });
});

describe('groupTopology with the previous result', () => {
  const nodes = [node('a', 'h1'), node('b', 'h1'), node('c', 'h2')];
  const edges = [{ id: 'a->c', source: 'a', target: 'c', connections: 2 }, { id: 'b->c', source: 'b', target: 'c', connections: 1 }];
  it('returns the same objects for the groups and edges a change did not touch', () => {
    const key = groupKeyFor('host', '');
    const before = groupTopology(nodes, edges, key, new Set());
    const after = groupTopology([nodes[0], nodes[1], node('c', 'h2', 'critical')], edges, key, new Set(), before);
    const id = (g: typeof before, gid: string) => g.nodes.find(n => n.id === gid);
    expect(id(after, 'group:host:h1')).toBe(id(before, 'group:host:h1'));
    expect(id(after, 'group:host:h2')).not.toBe(id(before, 'group:host:h2'));
    expect(id(after, 'group:host:h2')!.status).toBe('critical');
    expect(after.edges[0]).toBe(before.edges[0]);
    const more = groupTopology(nodes, [edges[0], { ...edges[1], connections: 5 }], key, new Set(), after);
    expect(more.edges[0]).not.toBe(after.edges[0]);
    expect(more.edges[0].connections).toBe(7);
  });
});
