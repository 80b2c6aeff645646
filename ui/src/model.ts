import { viewEdge, viewNode } from './api';
import type { Delta, Snapshot, ViewEdge, ViewNode } from './api';

/**
 * The view as the stream last described it: a snapshot, then deltas applied in order. Nodes get their
 * defaults filled in; a snapshot's edges (positions in its nodes) and a delta's (ends by id) become ViewEdges.
 */
export class TopoStore {
  nodes = new Map<string, ViewNode>();
  edges = new Map<string, ViewEdge>();
  modelVersion = -1;
  at = 0;

  applySnapshot(s: Snapshot) {
    const nodes = s.nodes.map(viewNode);
    this.nodes = new Map(nodes.map(n => [n.id, n]));
    this.edges = new Map();
    for (const [source, target, connections] of s.edges) {
      const e = viewEdge(nodes[source].id, nodes[target].id, connections);
      this.edges.set(e.id, e);
    }
    this.modelVersion = s.modelVersion;
    this.at = s.at;
  }

  applyDelta(d: Delta) {
    for (const id of d.nodesRemoved ?? []) this.nodes.delete(id);
    for (const n of d.nodesAdded ?? []) this.nodes.set(n.id, viewNode(n));
    for (const n of d.nodesUpdated ?? []) this.nodes.set(n.id, viewNode(n));
    for (const [source, target] of d.edgesRemoved ?? []) this.edges.delete(viewEdge(source, target).id);
    for (const w of [...(d.edgesAdded ?? []), ...(d.edgesUpdated ?? [])]) {
      const e = viewEdge(w.source, w.target, w.connections);
      this.edges.set(e.id, e);
    }
    this.modelVersion = d.modelVersion;
    this.at = d.at;
  }
}

export type GroupKey = (n: ViewNode) => string | null;

export function groupKeyFor(group: string, labelKey: string): GroupKey | null {
  switch (group) {
    case 'host': return n => (n.hostId ? `host:${n.hostId}` : null);
    case 'namespace': return n => (n.namespace ? `namespace:${n.namespace}` : null);
    case 'label': return n => (n.labels?.[labelKey] ? `label:${labelKey}=${n.labels[labelKey]}` : null);
    default: return null;
  }
}

export const GROUP_PREFIX = 'group:';

/**
 * Collapses every group not in {@code expanded} into one node ("group:<key>") that stands for its
 * members: count = sum of counts, metrics summed, status = the worst member's. Edges between groups
 * are merged and their connections summed; edges inside a group disappear. Pure.
 *
 * Given the previous result, a group node or merged edge that came out the same is that same object again, so
 * the graph (which skips objects it has already drawn) redraws only the groups and edges a delta changed.
 */
export function groupTopology(nodes: Iterable<ViewNode>, edges: Iterable<ViewEdge>, key: GroupKey | null,
    expanded: ReadonlySet<string>, prev?: Grouped): Grouped {
  const memberOf = new Map<string, string>();
  if (!key) return { nodes: [...nodes], edges: [...edges], memberOf };
  const out = new Map<string, ViewNode>();
  for (const n of nodes) {
    const k = key(n);
    if (!k || expanded.has(k)) { out.set(n.id, n); continue; }
    const gid = GROUP_PREFIX + k;
    memberOf.set(n.id, gid);
    const g = out.get(gid);
    if (!g) {
      out.set(gid, { id: gid, label: k.slice(k.indexOf(':') + 1), labelMinor: `${n.count} ${n.kind}`, shape: 'group',
        status: n.status, kind: n.kind, hostId: n.hostId, count: n.count, metrics: { ...n.metrics },
        running: n.running, system: n.system, labels: {}, namespace: n.namespace });
    } else {
      g.count += n.count;
      g.labelMinor = `${g.count} ${n.kind}`;
      g.status = worse(g.status, n.status);
      g.running = g.running || n.running;
      for (const [m, v] of Object.entries(n.metrics ?? {})) g.metrics[m] = (g.metrics[m] ?? 0) + v;
    }
  }
  const outEdges = new Map<string, ViewEdge>();
  for (const e of edges) {
    const s = memberOf.get(e.source) ?? e.source;
    const t = memberOf.get(e.target) ?? e.target;
    if (s === t || !out.has(s) || !out.has(t)) continue;
    const id = `${s}->${t}`;
    const prev = outEdges.get(id);
    outEdges.set(id, { id, source: s, target: t, connections: (prev?.connections ?? 0) + e.connections });
  }
  if (prev) {
    const before = new Map<string, ViewNode>(prev.nodes.map(n => [n.id, n]));
    for (const [id, n] of out) { const b = before.get(id); if (b && b !== n && sameGroup(b, n)) out.set(id, b); }
    const beforeEdges = new Map<string, ViewEdge>(prev.edges.map(e => [e.id, e]));
    for (const [id, e] of outEdges) { const b = beforeEdges.get(id); if (b && b.connections === e.connections) outEdges.set(id, b); }
  }
  return { nodes: [...out.values()], edges: [...outEdges.values()], memberOf };
}

export interface Grouped { nodes: ViewNode[]; edges: ViewEdge[]; memberOf: Map<string, string> }

function sameGroup(a: ViewNode, b: ViewNode): boolean {
  if (a.count !== b.count || a.status !== b.status || a.running !== b.running || a.labelMinor !== b.labelMinor || a.label !== b.label) return false;
  const ka = Object.keys(a.metrics ?? {}), kb = Object.keys(b.metrics ?? {});
  return ka.length === kb.length && ka.every(k => a.metrics[k] === b.metrics[k]);
}

const SEVERITY: Record<string, number> = { healthy: 0, stale: 1, warning: 2, critical: 3 };
function worse(a: string, b: string) { return (SEVERITY[b] ?? 0) > (SEVERITY[a] ?? 0) ? b : a; }

export const STATUS_COLOURS: Record<string, string> = {
  healthy: '#2e9e5b', warning: '#e8a317', critical: '#d64541', stale: '#8a94a0', stopped: '#b8c0c8',
};

/** Hex only: sigma paints hsl() as black. */
export function nodeColour(n: Pick<ViewNode, 'status' | 'running'>): string {
  if (!n.running && n.status !== 'stale') return STATUS_COLOURS.stopped;
  return STATUS_COLOURS[n.status] ?? '#5b7fa6';
}

export function formatMetric(metric: string, v: number | null | undefined): string {
  if (v == null || !Number.isFinite(v)) return '–';
  if (metric.includes('percent') || metric === 'cpu') return `${v.toFixed(1)} %`;
  if (metric.includes('bytes_per_s')) return `${bytes(v)}/s`;
  if (metric.includes('bytes') || metric.includes('memory')) return bytes(v);
  return v >= 100 ? v.toFixed(0) : v.toFixed(2);
}

function bytes(v: number) {
  const units = ['B', 'KiB', 'MiB', 'GiB', 'TiB'];
  let i = 0;
  while (Math.abs(v) >= 1024 && i < units.length - 1) { v /= 1024; i++; }
  return `${v.toFixed(i === 0 ? 0 : 1)} ${units[i]}`;
}

/** A control frame of the logs or exec WebSocket: {"type":"end","message"} or {"type":"exit","code"}. */
export interface ControlFrame { type: 'end' | 'exit'; message?: string; code?: number }

/** The control frame a text frame holds, or null when it is output (a log line, terminal text). */
export function controlFrame(data: string): ControlFrame | null {
  if (!data.startsWith('{"type"')) return null;
  try {
    const j = JSON.parse(data);
    if (j.type === 'exit') return { type: 'exit', code: typeof j.code === 'number' ? j.code : undefined };
    if (j.type === 'end') return { type: 'end', message: typeof j.message === 'string' ? j.message : undefined };
  } catch { /* not JSON: output */ }
  return null;
}
