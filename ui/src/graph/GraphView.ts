import Graph from 'graphology';
import Sigma from 'sigma';
import FA2Layout from 'graphology-layout-forceatlas2/worker';
import forceAtlas2 from 'graphology-layout-forceatlas2';
import type { ViewEdge, ViewNode } from '../api';
import { GROUP_PREFIX, nodeColour } from '../model';

export interface GraphEvents {
  onClick?(id: string, additive: boolean): void;
  onDoubleClick?(id: string): void;
  onStage?(): void;
}

export interface LayoutStats { firstDrawMs?: number; settledMs?: number; running: boolean }

/**
 * The live graph: a graphology graph drawn by sigma (WebGL), laid out by ForceAtlas2 in a web worker.
 * Stable under deltas: existing nodes keep their positions, new nodes start at the centre of their
 * neighbours, and after a small change only the new nodes move (old ones are pinned with FA2's
 * {@code fixed} attribute). The worker stops when the layout has settled.
 */
export class GraphView {
  readonly graph = new Graph({ type: 'directed', multi: false, allowSelfLoops: false });
  readonly sigma: Sigma;
  private layout: FA2Layout | null = null;
  private settleTimer: number | undefined;
  private hovered: string | null = null;
  private neighbours = new Set<string>();
  private selected = new Set<string>();
  private sizeMetric = '';
  private maxMetric = 1;
  private maxConnections = 1;
  private t0 = performance.now();
  stats: LayoutStats = { running: false };
  onSettled?: () => void;

  constructor(container: HTMLElement, private readonly events: GraphEvents = {}) {
    this.sigma = new Sigma(this.graph, container, {
      allowInvalidContainer: true,
      defaultEdgeType: 'arrow',
      renderEdgeLabels: false,
      labelRenderedSizeThreshold: 5,
      labelDensity: 0.6,
      zIndex: true,
      hideEdgesOnMove: false,
      minCameraRatio: 0.02,
      maxCameraRatio: 20,
      labelColor: { color: '#1d2733' },
      nodeReducer: (id, attrs) => {
        const res: Record<string, unknown> = { ...attrs };
        if (this.selected.has(id)) { res.highlighted = true; res.zIndex = 2; res.forceLabel = true; }
        if (this.hovered) {
          if (id === this.hovered || this.neighbours.has(id)) { res.forceLabel = true; res.zIndex = 1; }
          else { res.color = '#cfd6dd'; res.label = ''; }
        }
        return res;
      },
      edgeReducer: (id, attrs) => {
        const res: Record<string, unknown> = { ...attrs };
        if (this.hovered) {
          const [s, t] = this.graph.extremities(id);
          if (s === this.hovered || t === this.hovered) { res.color = '#1f5fa8'; res.zIndex = 1; }
          else res.hidden = true;
        }
        return res;
      },
    });
    this.sigma.once('afterRender', () => { this.stats.firstDrawMs ??= performance.now() - this.t0; });
    // The stage shrinks when the details panel or the drawer opens: keep sigma's canvases in step.
    new ResizeObserver(() => this.resize()).observe(container);
    this.sigma.on('enterNode', ({ node }) => this.hover(node));
    this.sigma.on('leaveNode', () => this.hover(null));
    this.sigma.on('clickNode', ({ node, event }) => {
      const o = event.original as MouseEvent;
      this.events.onClick?.(node, !!(o && (o.shiftKey || o.ctrlKey || o.metaKey)));
    });
    this.sigma.on('doubleClickNode', ({ node, preventSigmaDefault }) => {
      preventSigmaDefault();
      this.events.onDoubleClick?.(node);
    });
    this.sigma.on('clickStage', () => this.events.onStage?.());
  }

  /** Starts the clock that firstDrawMs / settledMs are measured from (benchmarks). */
  resetClock() {
    this.t0 = performance.now();
    this.stats = { running: this.stats.running };
    this.sigma.once('afterRender', () => { this.stats.firstDrawMs ??= performance.now() - this.t0; });
  }

  private hover(node: string | null) {
    this.hovered = node;
    this.neighbours = node && this.graph.hasNode(node) ? new Set(this.graph.neighbors(node)) : new Set();
    this.sigma.refresh({ skipIndexation: true });
  }

  setSelection(ids: Iterable<string>) {
    this.selected = new Set(ids);
    this.sigma.refresh({ skipIndexation: true });
  }

  get sizeMetricName() { return this.sizeMetric; }

  setSizeMetric(metric: string) {
    this.sizeMetric = metric;
    this.recomputeSizes();
    this.sigma.refresh();
  }

  /**
   * Replaces the drawn nodes and edges with these, changing only what differs. Returns how many
   * nodes were added (so a caller can tell a delta from a new view).
   */
  setData(nodes: ViewNode[], edges: ViewEdge[]): number {
    const g = this.graph;
    const fresh = g.order === 0;
    if (fresh) { this.lastNodes.clear(); this.lastEdges.clear(); }
    const keep = new Set<string>();
    for (const n of nodes) keep.add(n.id);
    g.forEachNode(id => { if (!keep.has(id)) { g.dropNode(id); this.lastNodes.delete(id); } });
    const added: string[] = [];
    let changed = false;
    for (const n of nodes) {
      // The store replaces a node's object only when the node changed: skip the unchanged ones.
      if (this.lastNodes.get(n.id) === n && g.hasNode(n.id)) continue;
      this.lastNodes.set(n.id, n);
      changed = true;
      const attrs = {
        label: n.label, color: nodeColour(n), count: n.count, metrics: n.metrics, status: n.status,
        borderColor: n.id.startsWith(GROUP_PREFIX) ? '#1d2733' : undefined,
      };
      if (g.hasNode(n.id)) g.mergeNodeAttributes(n.id, attrs);
      else { g.addNode(n.id, { ...attrs, x: 0, y: 0, size: n.id.startsWith(GROUP_PREFIX) ? 9 + Math.min(10, Math.sqrt(n.count)) : 6 }); added.push(n.id); }
    }
    const keepEdges = new Set<string>();
    let maxConnections = 1;
    for (const e of edges) { keepEdges.add(e.id); if (e.connections > maxConnections) maxConnections = e.connections; }
    g.forEachEdge(id => { if (!keepEdges.has(id)) { g.dropEdge(id); this.lastEdges.delete(id); } });
    const rescale = maxConnections !== this.maxConnections;
    this.maxConnections = maxConnections;
    for (const e of edges) {
      if (!rescale && this.lastEdges.get(e.id) === e && g.hasEdge(e.id)) continue;
      if (!g.hasNode(e.source) || !g.hasNode(e.target)) continue;
      this.lastEdges.set(e.id, e);
      const attrs = this.edgeAttrs(e.connections);
      if (g.hasEdge(e.id)) g.mergeEdgeAttributes(e.id, attrs);
      else if (!g.hasDirectedEdge(e.source, e.target)) g.addDirectedEdgeWithKey(e.id, e.source, e.target, attrs);
    }
    this.place(added, fresh);
    if (changed && this.sizeMetric) this.recomputeSizes();
    if (fresh || added.length > g.order * 0.3) this.relayout('full');
    else if (added.length > 0) this.requestNewOnlyLayout(added);
    // sigma follows the graph's events (partial refreshes); no full re-index per delta.
    return added.length;
  }

  private readonly lastNodes = new Map<string, ViewNode>();
  private readonly lastEdges = new Map<string, ViewEdge>();
  private pendingNew = new Set<string>();
  private newLayoutTimer: number | undefined;
  private lastNewLayout = 0;

  /**
   * New nodes already sit next to their neighbours; the short FA2 run that tidies them (old nodes
   * pinned) is throttled to one per 2 s, so a steady stream of changes does not restart the worker
   * (which copies the whole graph) four times a second.
   */
  private requestNewOnlyLayout(added: string[]) {
    added.forEach(id => this.pendingNew.add(id));
    if (this.newLayoutTimer !== undefined || this.layout) return;
    const wait = Math.max(0, 2000 - (performance.now() - this.lastNewLayout));
    this.newLayoutTimer = window.setTimeout(() => {
      this.newLayoutTimer = undefined;
      const ids = [...this.pendingNew].filter(id => this.graph.hasNode(id));
      this.pendingNew.clear();
      this.lastNewLayout = performance.now();
      if (ids.length) this.relayout('new-only', ids);
    }, wait);
  }

  private edgeAttrs(connections: number) {
    const w = Math.log2(1 + connections) / Math.log2(1 + this.maxConnections);
    const shade = Math.round(0xc3 - w * 0x80).toString(16).padStart(2, '0');
    return { size: 1 + 3 * w, color: `#${shade}${shade}${Math.min(255, parseInt(shade, 16) + 24).toString(16)}`, connections };
  }

  private recomputeSizes() {
    const g = this.graph;
    const m = this.sizeMetric;
    let max = 0;
    if (m) g.forEachNode((_, a) => { max = Math.max(max, a.metrics?.[m] ?? 0); });
    this.maxMetric = max || 1;
    g.updateEachNodeAttributes((id, a) => {
      const base = id.startsWith(GROUP_PREFIX) ? 9 + Math.min(10, Math.sqrt(a.count ?? 1)) : 6;
      const v = m ? (a.metrics?.[m] ?? 0) / this.maxMetric : 0;
      a.size = base + (m ? 12 * Math.sqrt(Math.max(0, v)) : 0);
      return a;
    });
  }

  /** New nodes start near their placed neighbours (or on the rim when they have none). */
  private place(added: string[], fresh: boolean) {
    const g = this.graph;
    if (fresh) {
      const r = 10 * Math.sqrt(added.length + 1);
      added.forEach((id, i) => {
        const a = (i * 2.399963) % (2 * Math.PI); // golden angle spiral: no overlaps, deterministic
        const d = r * Math.sqrt((i + 0.5) / added.length);
        g.mergeNodeAttributes(id, { x: d * Math.cos(a), y: d * Math.sin(a) });
      });
      return;
    }
    const isNew = new Set(added);
    let minX = Infinity, maxX = -Infinity, minY = Infinity, maxY = -Infinity;
    g.forEachNode((id, a) => {
      if (!isNew.has(id)) { minX = Math.min(minX, a.x); maxX = Math.max(maxX, a.x); minY = Math.min(minY, a.y); maxY = Math.max(maxY, a.y); }
    });
    const spread = Number.isFinite(minX) ? Math.max(maxX - minX, maxY - minY, 10) : 10;
    for (const id of added) {
      let sx = 0, sy = 0, k = 0;
      g.forEachNeighbor(id, (nb, a) => { if (!isNew.has(nb)) { sx += a.x; sy += a.y; k++; } });
      const jitter = () => (Math.random() - 0.5) * spread * 0.05;
      if (k > 0) g.mergeNodeAttributes(id, { x: sx / k + jitter(), y: sy / k + jitter() });
      else {
        const a = Math.random() * 2 * Math.PI;
        const cx = Number.isFinite(minX) ? (minX + maxX) / 2 : 0, cy = Number.isFinite(minY) ? (minY + maxY) / 2 : 0;
        g.mergeNodeAttributes(id, { x: cx + Math.cos(a) * spread * 0.55, y: cy + Math.sin(a) * spread * 0.55 });
      }
    }
  }

  /** Runs FA2 in the worker until the nodes stop moving (or a time cap). */
  relayout(kind: 'full' | 'new-only' = 'full', movable: string[] = []) {
    const g = this.graph;
    this.stopLayout();
    if (g.order < 2) { this.finishSettle(); return; }
    const m = new Set(movable);
    g.updateEachNodeAttributes((id, a) => { a.fixed = kind === 'new-only' && !m.has(id); return a; });
    const settings = forceAtlas2.inferSettings(g);
    settings.barnesHutOptimize = g.order > 300;
    // Keeps disconnected components (typical: one per host or service) together on screen.
    settings.strongGravityMode = true;
    settings.gravity = 0.5;
    settings.slowDown = kind === 'full' ? 1 + Math.log(g.order) : 5;
    this.layout = new FA2Layout(g, { settings });
    this.layout.start();
    this.stats.running = true;
    const started = performance.now();
    const cap = kind === 'full' ? Math.min(20000, 2500 + g.order * 2) : 1500;
    let prev = this.positions();
    const check = () => {
      const now = this.positions();
      const moved = meanMove(prev, now);
      prev = now;
      // No iteration arrived from the worker since the last look (big graph, busy CPU): not "settled".
      if (moved === 0 && performance.now() - started < cap) { this.settleTimer = window.setTimeout(check, 200); return; }
      const extent = extentOf(now);
      if (performance.now() - started > cap || (performance.now() - started > 400 && moved < extent * 0.0015)) {
        this.stopLayout();
        this.finishSettle();
      } else this.settleTimer = window.setTimeout(check, 200);
    };
    this.settleTimer = window.setTimeout(check, 200);
  }

  private finishSettle() {
    this.graph.updateEachNodeAttributes((_, a) => { a.fixed = false; return a; });
    if (this.pendingNew.size) this.requestNewOnlyLayout([]);
    this.stats.running = false;
    this.stats.settledMs ??= performance.now() - this.t0;
    this.onSettled?.();
  }

  private positions(): Float64Array {
    const out = new Float64Array(this.graph.order * 2);
    let i = 0;
    this.graph.forEachNode((_, a) => { out[i++] = a.x; out[i++] = a.y; });
    return out;
  }

  stopLayout() {
    window.clearTimeout(this.settleTimer);
    if (this.layout) { this.layout.kill(); this.layout = null; }
    this.stats.running = false;
  }

  fit() { this.sigma.getCamera().animatedReset({ duration: 300 }); }
  zoom(f: number) { const c = this.sigma.getCamera(); f > 1 ? c.animatedZoom({ factor: f, duration: 200 }) : c.animatedUnzoom({ factor: 1 / f, duration: 200 }); }
  focus(id: string) {
    if (!this.graph.hasNode(id)) return;
    const d = this.sigma.getNodeDisplayData(id);
    if (d) this.sigma.getCamera().animate({ x: d.x, y: d.y, ratio: Math.min(this.sigma.getCamera().ratio, 0.5) }, { duration: 300 });
  }
  resize() { this.sigma.resize(); this.sigma.refresh(); }
  destroy() { this.stopLayout(); this.sigma.kill(); }
}

function meanMove(a: Float64Array, b: Float64Array): number {
  if (a.length !== b.length || a.length === 0) return Infinity;
  let s = 0;
  for (let i = 0; i < a.length; i += 2) s += Math.hypot(a[i] - b[i], a[i + 1] - b[i + 1]);
  return s / (a.length / 2);
}

function extentOf(p: Float64Array): number {
  let minX = Infinity, maxX = -Infinity, minY = Infinity, maxY = -Infinity;
  for (let i = 0; i < p.length; i += 2) {
    minX = Math.min(minX, p[i]); maxX = Math.max(maxX, p[i]); minY = Math.min(minY, p[i + 1]); maxY = Math.max(maxY, p[i + 1]);
  }
  return Math.max(maxX - minX, maxY - minY, 1);
}
