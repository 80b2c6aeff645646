// The only module that knows URLs. Same-origin requests carry the HttpOnly session cookie
// (portolan_session), so no token is kept in JavaScript.

export type Role = 'VIEWER' | 'OPERATOR' | 'ADMIN';

export interface Me { name: string; role: Role }

export interface ViewNode {
  id: string; label: string; labelMinor?: string | null; shape?: string; status: string; kind: string;
  hostId?: string | null; count: number; metrics: Record<string, number>; running: boolean; system: boolean;
  labels: Record<string, string>; namespace?: string | null;
}
export interface ViewEdge { id: string; source: string; target: string; connections: number }
/**
 * A node as the server sends it: fields at their default are left out (labelMinor, hostId, namespace: null;
 * count: 1; running: true; system: false; metrics, labels: empty). TopoStore and api.detail fill them in.
 */
export type WireNode = Omit<ViewNode, 'count' | 'running' | 'system' | 'metrics' | 'labels'>
  & Partial<Pick<ViewNode, 'count' | 'running' | 'system' | 'metrics' | 'labels'>>;
/** An edge of a delta: its ends by id, connections left out when 1. */
export interface WireEdge { source: string; target: string; connections?: number }
/** An edge of a snapshot: the positions of its ends in the snapshot's nodes, [source, target] or [source, target, connections]. */
export type EdgePositions = [number, number] | [number, number, number];
export interface ViewSummary { name: string; label: string; nodeKind: string; nodes: number; edges: number }

export interface Ref { id: string; label: string; kind: string; view: string | null }
export interface Link { nodeId: string; label: string; connections: number }
export interface MetricView { metric: string; latest: number | null; min: number | null; max: number | null;
  avg: number | null; samples: [number, number][] }
export interface NodeDetail {
  view: string; node: ViewNode; hostId: string | null; metadata: { id: string; label: string; value: string }[];
  labels: Record<string, string>; parents: Ref[]; children: Ref[]; inbound: Link[]; outbound: Link[];
  metrics: MetricView[];
}
export interface SearchResult { id: string; kind: string; label: string; hostname?: string; field: string;
  match: string; views: Ref[] }

export interface Snapshot { type: 'snapshot'; view: string; modelVersion: number; at: number;
  nodes: WireNode[]; edges: EdgePositions[] }
export interface Delta { type: 'delta'; view: string; modelVersion: number; at: number;
  nodesAdded: WireNode[]; nodesUpdated: WireNode[]; nodesRemoved: string[];
  edgesAdded: WireEdge[]; edgesUpdated: WireEdge[]; edgesRemoved: [string, string][] }

/** A node with its defaults filled in. */
export function viewNode(n: WireNode): ViewNode {
  return { ...n, count: n.count ?? 1, running: n.running ?? true, system: n.system ?? false, metrics: n.metrics ?? {},
    labels: n.labels ?? {} };
}

/** An edge with its defaults filled in and its key ("source->target", the UI's own). */
export function viewEdge(source: string, target: string, connections = 1): ViewEdge {
  return { id: `${source}->${target}`, source, target, connections };
}

export const CONTROL_ACTIONS = ['start', 'stop', 'restart', 'pause', 'unpause', 'remove'] as const;
export type ControlAction = typeof CONTROL_ACTIONS[number];
/** Actions that interrupt a workload: the UI asks before sending them. */
export const DESTRUCTIVE: ReadonlySet<ControlAction> = new Set(['stop', 'restart', 'pause', 'remove']);

export class ApiError extends Error {
  constructor(readonly status: number, message: string) { super(message); }
}

async function call<T>(method: string, path: string, body?: unknown): Promise<T> {
  let res: Response;
  try {
    res = await fetch(path, {
      method, credentials: 'same-origin',
      headers: body === undefined ? {} : { 'Content-Type': 'application/json' },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
  } catch (e) {
    throw new ApiError(0, 'the server cannot be reached');
  }
  const text = await res.text();
  if (!res.ok) {
    let message = text;
    try { const j = JSON.parse(text); message = j.error ?? j.message ?? j.detail ?? text; } catch { /* plain text */ }
    throw new ApiError(res.status, message || res.statusText);
  }
  return (text ? JSON.parse(text) : undefined) as T;
}

export const api = {
  login: (username: string, password: string) =>
    call<{ token: string; username: string; role: Role; expiresAt: string }>('POST', '/api/auth/login', { username, password }),
  logout: () => call<void>('POST', '/api/auth/logout'),
  async me(): Promise<Me> {
    const m = await call<Record<string, unknown>>('GET', '/api/auth/me');
    return { name: String(m.name ?? m.username ?? m.user ?? ''), role: String(m.role ?? 'VIEWER').toUpperCase() as Role };
  },
  views: () => call<{ views: ViewSummary[] }>('GET', '/api/topology').then(r => r.views),
  detail: (view: string, nodeId: string, windowSeconds = 60) =>
    call<NodeDetail>('GET', `/api/topology/${enc(view)}/${enc(nodeId)}?window=${windowSeconds}`)
      .then(d => ({ ...d, node: viewNode(d.node) })),
  search: (q: string) => call<{ results: SearchResult[]; total: number }>('GET', `/api/search?q=${enc(q)}&limit=30`),

  /**
   * Container controls (another engineer's routes, may be missing): POST /api/containers/{id}/{action}.
   * A 404 from a route that does not exist yet becomes a message that says so.
   */
  async control(containerId: string, action: ControlAction): Promise<void> {
    try {
      await call<unknown>('POST', `/api/containers/${enc(containerId)}/${action}`);
    } catch (e) {
      throw notYet(e, `container ${action}`);
    }
  },

  /**
   * Bulk controls: POST /api/containers/_bulk/{action} {"ids": [...]} → {ok, failed, results}. When the
   * bulk route answers 404 (not deployed yet) the caller falls back to one call per container.
   */
  bulkControl: (ids: string[], action: ControlAction) =>
    call<{ ok: number; failed: number; results: { ref: string; status: number; message: string | null }[] }>(
      'POST', `/api/containers/_bulk/${action}`, { ids }),

  topologyWsUrl: (view: string, query: string) => wsUrl(`/api/topology/${enc(view)}/ws${query ? '?' + query : ''}`),
  logsPath: (containerId: string, tail = 500) =>
    `/api/containers/${enc(containerId)}/logs/ws?follow=true&tail=${tail}&timestamps=true`,
  execPath: (containerId: string, cmd = 'sh') => `/api/containers/${enc(containerId)}/exec/ws?cmd=${enc(cmd)}`,
  wsUrl,

  /**
   * A browser cannot read the status of a failed WebSocket upgrade, so before opening one to a route
   * that may not exist yet, ask it with a plain GET: 404 means "not built yet" (or no such container).
   */
  async probeWs(path: string): Promise<void> {
    let res: Response;
    try { res = await fetch(path, { credentials: 'same-origin' }); } catch { throw new ApiError(0, 'the server cannot be reached'); }
    if (res.status === 404) {
      const text = await res.text();
      throw notYet(new ApiError(404, text), path.includes('/exec/') ? 'terminal (exec)' : 'logs');
    }
    if (res.status === 401 || res.status === 403) throw new ApiError(res.status, res.status === 401 ? 'not signed in' : 'your role does not allow this');
  },
};

function notYet(e: unknown, what: string): unknown {
  if (e instanceof ApiError && e.status === 404) {
    return new ApiError(404, `${what} is not available on this server (404): the route is missing or the container is gone`);
  }
  return e;
}

function enc(s: string) { return encodeURIComponent(s); }

function wsUrl(path: string) {
  return `${location.protocol === 'https:' ? 'wss' : 'ws'}://${location.host}${path}`;
}

/** Container id of a view node ("container:<id>"), or null when the node is not one container. */
export function containerIdOf(node: Pick<ViewNode, 'id' | 'kind' | 'count'>): string | null {
  if (node.kind !== 'container' || node.count > 1) return null;
  const m = /^container:(.+)$/.exec(node.id);
  return m ? m[1] : null;
}

export function roleAtLeast(role: Role, required: Role): boolean {
  const order: Role[] = ['VIEWER', 'OPERATOR', 'ADMIN'];
  return order.indexOf(role) >= order.indexOf(required);
}
