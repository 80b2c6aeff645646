import Graph from 'graphology';
import Sigma from 'sigma';
import FA2Layout from 'graphology-layout-forceatlas2/worker';
import forceAtlas2 from 'graphology-layout-forceatlas2';
import type { GraphEvents as GraphologyEvents } from 'graphology-types';
import type { ViewEdge, ViewNode } from '../api';
import { GROUP_PREFIX, nodeColour } from '../model';
import { placeNew, spiral } from '../place';
import { LITE_PROGRAMS, litePrograms } from '../programs';
import { hoverLabels, quietOverlays, stillLabels } from './layers';
import { applyEdgePositions, applyNodePositions, applyPositions } from './positions';
import { SigmaSlots } from './slots';

type GraphEvent = keyof GraphologyEvents;
type Listener = GraphologyEvents[GraphEvent];
/** The graph events sigma 3 listens to (Sigma#bindGraphHandlers). */
const SIGMA_GRAPH_EVENTS = ['nodeAdded', 'nodeDropped', 'nodeAttributesUpdated', 'eachNodeAttributesUpdated', 'edgeAdded',
  'edgeDropped', 'edgeAttributesUpdated', 'eachEdgeAttributesUpdated', 'edgesCleared', 'cleared'] as const;

/** The colour of the nodes that are not the hovered one or its neighbours, while a node is hovered. */
const DIM = '#cfd6dd';
/** The colour of the hovered node's edges (the others are hidden meanwhile). */
const HOVER_EDGE = '#1f5fa8';

function baseSize(id: string, count: number) { return id.startsWith(GROUP_PREFIX) ? 9 + Math.min(10, Math.sqrt(count)) : 6; }

export interface GraphEvents {
  onClick?(id: string, additive: boolean): void;
  onDoubleClick?(id: string): void;
  onStage?(): void;
}

export interface LayoutStats { firstDrawMs?: number; settledMs?: number; running: boolean }

/**
 * The live graph: a graphology graph drawn by sigma (WebGL), laid out by ForceAtlas2 in a web worker.
 * Stable under deltas: existing nodes keep their positions and new nodes start next to their neighbours
 * (place.ts); the layout runs for a new view or on request and stops when it has settled.
 */
export class GraphView {
  readonly graph = new Graph({ type: 'directed', multi: false, allowSelfLoops: false });
  readonly sigma: Sigma;
  /** Free slots in sigma's buffers for nodes and edges that live deltas add (slots.ts). */
  readonly slots: SigmaSlots;
  private layout: FA2Layout | null = null;
  private settleTimer: number | undefined;
  private hovered: string | null = null;
  private neighbours = new Set<string>();
  private selected = new Set<string>();
  private readonly sigmaListeners: [GraphEvent, Listener][];
  private sizeMetric = '';
  private maxMetric = 1;
  private maxConnections = 1;
  private t0 = performance.now();
  stats: LayoutStats = { running: false };
  onSettled?: () => void;

  constructor(container: HTMLElement, private readonly events: GraphEvents = {}) {
    this.sigma = new Sigma(this.graph, container, {
      allowInvalidContainer: true,
      ...LITE_PROGRAMS,
      renderEdgeLabels: false,
      labelRenderedSizeThreshold: 5,
      labelDensity: 0.6,
      zIndex: true,
      hideEdgesOnMove: false,
      // Room for the labels (drawn right of their node) when the graph is fitted: at sigma's default 30 px a
      // node on the right edge had its label cut off.
      stagePadding: 80,
      minCameraRatio: 0.02,
      maxCameraRatio: 20,
      labelColor: { color: '#1d2733' },
      // While a node is hovered, the other nodes are dimmed and their labels and edges hidden by the programs and
      // the label filter (see hover()), not here: only the hovered node, its neighbours and the selected nodes
      // depend on the hover, so only they are re-processed when it changes.
      nodeReducer: (id, attrs) => {
        const res: Record<string, unknown> = { ...attrs };
        if (this.selected.has(id)) { res.highlighted = true; res.zIndex = 2; res.forceLabel = true; }
        if (this.hovered) {
          if (id === this.hovered || this.neighbours.has(id)) { res.forceLabel = true; res.zIndex = 1; }
          else if (this.selected.has(id)) { res.color = DIM; res.label = ''; }
        }
        return res;
      },
    });
    this.slots = new SigmaSlots(this.sigma);
    quietOverlays(this.sigma);
    this.labels = hoverLabels(this.sigma);
    // The label canvas changes a frame after the render that changed it (a hover, a layout step): not together with
    // the node canvas, whose repaint is that frame's work.
    this.stillLabels = stillLabels(this.sigma, true);
    this.sigma.once('afterRender', () => { this.stats.firstDrawMs ??= performance.now() - this.t0; });
    this.sigmaListeners = SIGMA_GRAPH_EVENTS.flatMap(ev => this.graph.listeners(ev).map(fn => [ev, fn] as [GraphEvent, Listener]));
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

  private readonly labels: { only(keys: ReadonlySet<string> | null): void };
  /** Renders that left the label canvas as it was (nothing on it changed). */
  readonly stillLabels: { readonly skipped: number };

  /**
   * Highlights a node and its neighbours (null: none). The other nodes are drawn dimmed by the node program (one
   * uniform), their labels are left out by the label filter, and the edge layer shows only the node's edges, in the
   * highlight colour; so only the nodes whose own display changes (the hovered one, its neighbours, the selected
   * ones, before and after) are re-processed, not the whole graph.
   */
  private hover(node: string | null) {
    const before = [this.hovered, ...this.neighbours];
    this.hovered = node && this.graph.hasNode(node) ? node : null;
    this.neighbours = this.hovered ? new Set(this.graph.neighbors(this.hovered)) : new Set();
    const lit = this.hovered ? [this.hovered, ...this.neighbours] : null;
    const { nodes, edges } = litePrograms(this.sigma);
    nodes?.setHighlight(lit, DIM);
    edges?.setHighlight(this.hovered ? this.graph.edges(this.hovered) : null, HOVER_EDGE);
    this.labels.only(lit ? new Set([...lit, ...this.selected]) : null);
    this.repaint([...before, ...(lit ?? []), ...this.selected]);
  }

  /**
   * Re-applies the reducer to these nodes and rewrites only their entries in sigma's buffers (no re-indexing), then
   * renders in the next frame. When sigma will process the whole graph anyway (or a node has no entry yet), the
   * nodes are updated and that process writes them.
   */
  private repaint(ids: Iterable<string | null>) {
    const s = this.sigma as unknown as { needToProcess: boolean; nodeProgramIndex: Record<string, number> };
    const nodes = [...new Set([...ids].filter((id): id is string => id !== null && this.graph.hasNode(id)))];
    const indexed = nodes.every(id => s.nodeProgramIndex[id] !== undefined);
    this.sigma.refresh({ partialGraph: { nodes }, skipIndexation: indexed && !s.needToProcess, schedule: true });
  }

  /**
   * The app calls this after every delta; only an actual change repaints, and only the nodes that were or are
   * selected.
   */
  setSelection(ids: Iterable<string>) {
    const next = new Set(ids);
    if (next.size === this.selected.size && [...next].every(id => this.selected.has(id))) return;
    const before = this.selected;
    this.selected = next;
    if (this.hovered) this.labels.only(new Set([this.hovered, ...this.neighbours, ...next]));
    this.repaint([...before, ...next]);
  }

  get sizeMetricName() { return this.sizeMetric; }

  setSizeMetric(metric: string) {
    this.sizeMetric = metric;
    this.recomputeSizes();
    this.sigma.refresh();
  }

  /**
   * Replaces the drawn nodes and edges with these, changing only what differs, as one batch: sigma's graph
   * listeners are off while the graph changes (each of them re-indexes or re-processes the whole graph for one
   * node or edge), then one refresh tells sigma what changed. New nodes start next to their neighbours (place.ts);
   * nothing else moves and no layout starts here: the caller runs {@link relayout} for a new view.
   *
   * Changes to the drawing's structure (nodes or edges added or removed, an edge's traffic) are applied at most
   * once per {@link structureIntervalMs}; in between, only node colours, sizes and labels change (in the graph at
   * once, on screen within {@link repaintIntervalMs}). On
   * software WebGL, redrawing 10,000 edges is what costs a frame; this way it happens once a second under a
   * steady stream of changes, not four times.
   */
  setData(nodes: ViewNode[], edges: ViewEdge[], now = false): { added: number; fresh: boolean; deferred: boolean } {
    const g = this.graph;
    const fresh = g.order === 0;
    this.latest = { nodes, edges };
    window.clearTimeout(this.deferTimer);
    this.deferTimer = undefined;
    if (!fresh && !now) {
      const wait = this.lastStructure + this.structureIntervalMs - performance.now();
      if (wait > 0 && this.structureChanges(nodes, edges)) {
        this.applyNodeChanges(nodes);
        this.deferTimer = window.setTimeout(() => {
          this.deferTimer = undefined;
          if (this.latest) this.setData(this.latest.nodes, this.latest.edges, true);
        }, wait);
        return { added: 0, fresh, deferred: true };
      }
    }
    if (fresh) { this.lastNodes.clear(); this.lastEdges.clear(); }
    const added: string[] = [];
    const changedNodes: string[] = [];
    const addedEdges: string[] = [];
    const changedEdges: string[] = [];
    let removed = false;
    const droppedNodes: string[] = [];
    const droppedEdges: string[] = [];
    this.batch(() => {
      if (!fresh) {
        const keep = new Set<string>();
        for (const n of nodes) keep.add(n.id);
        g.forEachNode(id => { if (!keep.has(id)) droppedNodes.push(id); });
        for (const id of droppedNodes) {
          g.forEachEdge(id, e => { droppedEdges.push(e); });
          g.dropNode(id);
          this.lastNodes.delete(id);
        }
        removed = droppedNodes.length > 0;
      }
      for (const n of nodes) {
        // The store replaces a node's object only when the node changed: skip the unchanged ones.
        if (this.lastNodes.get(n.id) === n && g.hasNode(n.id)) continue;
        this.lastNodes.set(n.id, n);
        const attrs = this.nodeAttrs(n);
        if (g.hasNode(n.id)) { g.mergeNodeAttributes(n.id, attrs); changedNodes.push(n.id); }
        else { g.addNode(n.id, { ...attrs, x: 0, y: 0, size: baseSize(n.id, n.count) }); added.push(n.id); }
      }
      const keepEdges = new Set<string>();
      let maxConnections = 1;
      for (const e of edges) { keepEdges.add(e.id); if (e.connections > maxConnections) maxConnections = e.connections; }
      const dropEdges: string[] = [];
      g.forEachEdge(id => { if (!keepEdges.has(id)) dropEdges.push(id); });
      for (const id of dropEdges) g.dropEdge(id);
      droppedEdges.push(...dropEdges);
      removed ||= dropEdges.length > 0;
      for (const id of this.lastEdges.keys()) if (!keepEdges.has(id)) this.lastEdges.delete(id);
      const rescale = maxConnections !== this.maxConnections;
      this.maxConnections = maxConnections;
      for (const e of edges) {
        if (!rescale && this.lastEdges.get(e.id) === e && g.hasEdge(e.id)) continue;
        if (!g.hasNode(e.source) || !g.hasNode(e.target)) continue;
        this.lastEdges.set(e.id, e);
        const attrs = this.edgeAttrs(e.connections);
        if (g.hasEdge(e.id)) { g.mergeEdgeAttributes(e.id, attrs); changedEdges.push(e.id); }
        else if (!g.hasDirectedEdge(e.source, e.target)) { g.addDirectedEdgeWithKey(e.id, e.source, e.target, attrs); addedEdges.push(e.id); }
      }
      if (fresh) spiral(added.length).forEach((p, i) => g.mergeNodeAttributes(added[i], p));
      else placeNew(g, added);
      if (this.sizeMetric && (changedNodes.length || added.length)) {
        // A new maximum resizes every node; otherwise only the changed ones.
        if (this.updateMaxMetric()) { changedNodes.length = 0; g.forEachNode(id => { changedNodes.push(id); }); }
        for (const id of changedNodes) this.applySize(id);
        for (const id of added) this.applySize(id);
      }
    });
    const known = new Set(changedNodes);
    for (const id of this.takeUnpainted()) if (!known.has(id)) changedNodes.push(id);
    const slotChanges = { droppedNodes, droppedEdges, addedNodes: added, addedEdges };
    if (!fresh && (removed || added.length || addedEdges.length) && this.slots.canApply(slotChanges)) {
      // Additions take free slots in sigma's buffers and removals free theirs: no process() of the whole graph.
      this.slots.apply(slotChanges);
      const addedSet = new Set(added);
      const nodesToPaint = changedNodes.filter(id => !addedSet.has(id));
      this.sigma.refresh({ partialGraph: { nodes: nodesToPaint, edges: changedEdges }, skipIndexation: true, schedule: true });
      this.scheduleCompaction();
    } else if (fresh || removed) {
      // sigma keeps what it knew of removed nodes and edges until a full refresh: one re-index (a few ms at
      // 5,000 nodes, no layout involved) instead of one per removed node and per removed edge.
      this.sigma.refresh({ schedule: true });
    } else if (added.length || addedEdges.length) {
      this.sigma.refresh({ partialGraph: { nodes: [...added, ...changedNodes], edges: [...addedEdges, ...changedEdges] }, schedule: true });
    } else if (changedNodes.length || changedEdges.length) {
      // Colour, size, label: no position moved, so sigma only rewrites these nodes' and edges' entries.
      this.sigma.refresh({ partialGraph: { nodes: changedNodes, edges: changedEdges }, skipIndexation: true, schedule: true });
    }
    if (added.length || removed || addedEdges.length || changedEdges.length) this.lastStructure = performance.now();
    return { added: added.length, fresh, deferred: false };
  }

  /**
   * sigma's buffers are made dense again (a full process) once the structure has not changed for this long (ms)
   * after slots were used: hot-added nodes are then drawn in zIndex order and the spare slots are renewed.
   */
  compactAfterMs = 5000;
  private compactTimer: number | undefined;

  private scheduleCompaction() {
    window.clearTimeout(this.compactTimer);
    this.compactTimer = window.setTimeout(() => {
      this.compactTimer = undefined;
      if (this.slots.changes > 0) this.sigma.refresh({ schedule: true });
    }, this.compactAfterMs);
  }

  /** Structure changes at most this often (ms); see {@link setData}. */
  structureIntervalMs = 1000;
  private lastStructure = -Infinity;
  private deferTimer: number | undefined;
  private latest: { nodes: ViewNode[]; edges: ViewEdge[] } | null = null;

  /** Whether these nodes and edges differ from the graph's in more than node attributes. */
  private structureChanges(nodes: ViewNode[], edges: ViewEdge[]): boolean {
    const g = this.graph;
    for (const n of nodes) if (!g.hasNode(n.id)) return true;
    if (nodes.length !== g.order) return true;
    let present = 0;
    for (const e of edges) {
      if (g.hasEdge(e.id)) { present++; if (this.lastEdges.get(e.id) !== e) return true; }
      else if (g.hasNode(e.source) && g.hasNode(e.target) && !g.hasDirectedEdge(e.source, e.target)) return true;
    }
    return present !== g.size;
  }

  /** Colour, size and label of nodes already drawn; sigma rewrites only their entries (no re-indexing). */
  private applyNodeChanges(nodes: ViewNode[]) {
    const g = this.graph;
    const changed: string[] = [];
    this.batch(() => {
      for (const n of nodes) {
        if (this.lastNodes.get(n.id) === n || !g.hasNode(n.id)) continue;
        this.lastNodes.set(n.id, n);
        g.mergeNodeAttributes(n.id, this.nodeAttrs(n));
        changed.push(n.id);
      }
      if (this.sizeMetric && changed.length) {
        if (this.updateMaxMetric()) { changed.length = 0; g.forEachNode(id => { changed.push(id); }); }
        for (const id of changed) this.applySize(id);
      }
    });
    if (!changed.length) return;
    for (const id of changed) this.unpainted.add(id);
    if (this.repaintTimer !== undefined) return;
    this.repaintTimer = window.setTimeout(() => {
      this.repaintTimer = undefined;
      const ids = [...this.unpainted].filter(id => this.graph.hasNode(id));
      this.unpainted.clear();
      this.lastRepaint = performance.now();
      if (ids.length) this.sigma.refresh({ partialGraph: { nodes: ids }, skipIndexation: true, schedule: true });
    }, Math.max(0, this.lastRepaint + this.repaintIntervalMs - performance.now()));
  }

  /**
   * Node colours and sizes are repainted at most this often (ms). On software WebGL every repaint costs a fixed
   * ~40 ms (sigma clears and the compositor redraws seven full-size layers) however few nodes changed; at two
   * repaints a second most frames stay free for panning, zooming and hovering.
   */
  repaintIntervalMs = 500;
  private lastRepaint = -Infinity;
  private repaintTimer: number | undefined;
  private readonly unpainted = new Set<string>();

  /** Node changes waiting for their repaint go with this refresh instead. */
  private takeUnpainted(): string[] {
    window.clearTimeout(this.repaintTimer);
    this.repaintTimer = undefined;
    this.lastRepaint = performance.now();
    const ids = [...this.unpainted].filter(id => this.graph.hasNode(id));
    this.unpainted.clear();
    return ids;
  }

  private nodeAttrs(n: ViewNode) {
    return {
      label: n.label, color: nodeColour(n), count: n.count, metrics: n.metrics, status: n.status,
      group: n.hostId ?? n.namespace ?? null, borderColor: n.id.startsWith(GROUP_PREFIX) ? '#1d2733' : undefined,
    };
  }

  private readonly lastNodes = new Map<string, ViewNode>();
  private readonly lastEdges = new Map<string, ViewEdge>();

  /**
   * Runs {@code change} with sigma's graph listeners detached (the ones it bound to the graph in its constructor,
   * read back then through graphology's public listeners()); the caller refreshes sigma afterwards. The
   * ForceAtlas2 supervisor's listeners stay: a running layout restarts once after the batch.
   */
  private batch(change: () => void) {
    const listeners = this.sigmaListeners.filter(([ev]) => !this.layoutSteps || ev !== 'eachNodeAttributesUpdated');
    for (const [ev, fn] of listeners) this.graph.removeListener(ev, fn);
    try { change(); } finally { for (const [ev, fn] of listeners) this.graph.on(ev, fn); }
  }

  /**
   * While the layout runs: its iterations (eachNodeAttributesUpdated) reach this instead of sigma (which would
   * process the whole graph and draw every edge again for each of them). The positions are written into sigma's
   * buffers (nodes in one animation frame, edges in the next, positions.ts) at most once per redraw of the edge
   * layer (which draws the moved edges in the background, then has sigma render nodes and edges together), and never
   * in the frame right after a sigma render. On a fast machine that is every few frames; on software WebGL at 5,000
   * nodes a few times a second.
   */
  private layoutSteps: {
    dirty: boolean; edgesDue: boolean; frame: number; timer: number; last: number; rendered: boolean; hideEdges: boolean;
    onStep: () => void; onRender: () => void;
    /** The worker computes an iteration (asked, not returned yet). */
    inFlight: boolean;
    /** The worker is not asked for more until the render of the positions has been drawn (see {@link holdWorker}). */
    hold: boolean; releaseAfterRender: boolean; release: () => void; pending: (() => void) | null;
  } | null = null;

  /**
   * While the edges are hidden during the layout: the ForceAtlas2 worker gets no new iteration to compute from the
   * frame in which a position update is due until the frame after the sigma render that draws it. On a machine with
   * two cores and software WebGL, the worker's iterations (a core's worth of work) and SwiftShader drawing the node
   * layer ran at the same time, which is what stretched those renders' frames to 40–70 ms. The layout thus loses
   * the iterations it would have computed in those few frames (the settle check and its time cap are unchanged).
   */
  holdWorker = true;

  /**
   * From this many nodes on, the edges are hidden while the layout runs (like sigma's hideEdgesOnMove for camera
   * moves) and the nodes move at most every {@link layoutFrameMs}: on software WebGL, drawing 10,000 edges again for
   * each move and the node layer's repaints in between were what made the layout's frames long. The edges come back
   * once the layout has settled (drawn in the background at their final positions).
   */
  hideEdgesDuringLayoutFrom = 2000;
  layoutFrameMs = 200;
  /** Called when the layout starts (edgesHidden: see {@link hideEdgesDuringLayoutFrom}) and when it stops (null). */
  onLayout?: (state: { edgesHidden: boolean } | null) => void;

  private startLayoutSteps() {
    const sigmaListener = this.sigmaListeners.find(([ev]) => ev === 'eachNodeAttributesUpdated');
    if (!sigmaListener || this.layoutSteps) return;
    const edgeLayer = litePrograms(this.sigma).edges;
    const steps = {
      dirty: false, edgesDue: false, frame: 0, timer: 0, last: -Infinity, rendered: false,
      hideEdges: !!edgeLayer && this.graph.order >= this.hideEdgesDuringLayoutFrom,
      onStep: () => { steps.inFlight = false; steps.dirty = true; schedule(); },
      onRender: () => {
        steps.rendered = true;
        // The frame's drawing (SwiftShader) runs after this, in the same frame: the worker resumes in the next one.
        if (steps.releaseAfterRender) { steps.releaseAfterRender = false; requestAnimationFrame(steps.release); }
      },
      inFlight: false, hold: false, releaseAfterRender: false, pending: null as (() => void) | null,
      release: () => {
        steps.hold = false;
        const ask = steps.pending;
        steps.pending = null;
        ask?.();
      },
    };
    const supervisor = this.layout as unknown as { askForIterations?(withEdges?: boolean): unknown } | null;
    if (supervisor?.askForIterations && steps.hideEdges && this.holdWorker) {
      // graphology-layout-forceatlas2's supervisor asks its worker for the next iteration as soon as one arrives.
      const ask = supervisor.askForIterations.bind(supervisor);
      const layout = this.layout;
      supervisor.askForIterations = (withEdges?: boolean) => {
        const go = () => { if (this.layout === layout && layout?.isRunning()) { steps.inFlight = true; ask(withEdges); } };
        // withEdges: a (re)start with a fresh worker (the supervisor respawns it when nodes or edges are added or
        // removed; the iteration under way is then lost): not held, or the tick waiting for it would wait forever.
        if (steps.hold && !withEdges) steps.pending = go; else go();
        return supervisor;
      };
    }
    const schedule = () => { if (!steps.frame && !steps.timer) steps.frame = requestAnimationFrame(tick); };
    const tick = () => {
      steps.frame = 0;
      if (!steps.dirty && !steps.edgesDue) return;
      const s = this.sigma as unknown as { renderFrame: number | null };
      if (steps.hideEdges) {
        // Edges hidden: only the nodes move, at most every layoutFrameMs, never in the frame right after a render.
        const wait = steps.last + this.layoutFrameMs - performance.now();
        if (wait > 0) {
          steps.rendered = false;
          steps.timer = window.setTimeout(() => { steps.timer = 0; schedule(); }, wait);
          return;
        }
        if (steps.rendered || s.renderFrame) { steps.rendered = false; schedule(); return; }
        if (this.holdWorker && supervisor?.askForIterations) {
          // No new iteration from now until the render is drawn; the one under way arrives first (onStep ticks again).
          steps.hold = true;
          if (steps.inFlight) return;
          steps.releaseAfterRender = true;
        }
        const t0 = performance.now();
        steps.dirty = false;
        steps.last = t0;
        applyNodePositions(this.sigma);
        this.sigma.scheduleRender();
        benchTrace('positions:nodes', performance.now() - t0);
        return;
      }
      // A sigma render is due or just happened, or the edge layer still draws the last step: not this frame.
      if (steps.rendered || s.renderFrame || (!steps.edgesDue && litePrograms(this.sigma).edges?.busy)) { steps.rendered = false; schedule(); return; }
      const t0 = performance.now();
      // Nodes in one frame, their edges in the next. Not when sigma will process the whole graph anyway (that
      // process reads the positions itself).
      if (steps.edgesDue) {
        steps.edgesDue = false;
        if (!applyEdgePositions(this.sigma)) this.sigma.scheduleRender();
        benchTrace('positions:edges', performance.now() - t0);
        if (steps.dirty) schedule();
        return;
      }
      steps.dirty = false;
      if (applyNodePositions(this.sigma)) { steps.edgesDue = true; schedule(); } else this.sigma.scheduleRender();
      benchTrace('positions:nodes', performance.now() - t0);
    };
    this.graph.removeListener('eachNodeAttributesUpdated', sigmaListener[1] as () => void);
    this.graph.on('eachNodeAttributesUpdated', steps.onStep);
    this.sigma.on('afterRender', steps.onRender);
    this.layoutSteps = steps;
    if (steps.hideEdges) edgeLayer!.setHidden(true);
    this.onLayout?.({ edgesHidden: steps.hideEdges });
  }

  /** Gives the layout's position updates back to sigma; the last positions are written (and drawn) once more. */
  private stopLayoutSteps() {
    const steps = this.layoutSteps;
    if (!steps) return;
    this.layoutSteps = null;
    steps.pending = null;
    steps.hold = false;
    cancelAnimationFrame(steps.frame);
    window.clearTimeout(steps.timer);
    this.graph.removeListener('eachNodeAttributesUpdated', steps.onStep);
    this.sigma.off('afterRender', steps.onRender);
    const sigmaListener = this.sigmaListeners.find(([ev]) => ev === 'eachNodeAttributesUpdated')!;
    this.graph.on('eachNodeAttributesUpdated', sigmaListener[1] as () => void);
    // Hidden edges were not moved at all: written now, and drawn in the background before they are shown again.
    if ((steps.dirty || steps.edgesDue || steps.hideEdges) && this.graph.order > 0 && !applyPositions(this.sigma)) this.sigma.scheduleRender();
    if (steps.hideEdges) litePrograms(this.sigma).edges?.setHidden(false);
    this.onLayout?.(null);
  }

  private edgeAttrs(connections: number) {
    const w = Math.log2(1 + connections) / Math.log2(1 + this.maxConnections);
    const shade = Math.round(0xc3 - w * 0x80).toString(16).padStart(2, '0');
    return { size: 1 + 3 * w, color: `#${shade}${shade}${Math.min(255, parseInt(shade, 16) + 24).toString(16)}`, connections };
  }

  /** Recomputes the size metric's maximum; true when it changed (so every node's size changes). */
  private updateMaxMetric(): boolean {
    const m = this.sizeMetric;
    let max = 0;
    if (m) this.graph.forEachNode((_, a) => { const v = a.metrics?.[m] ?? 0; if (v > max) max = v; });
    const next = max || 1;
    const changed = next !== this.maxMetric;
    this.maxMetric = next;
    return changed;
  }

  private applySize(id: string) {
    const a = this.graph.getNodeAttributes(id);
    const m = this.sizeMetric;
    const v = m ? (a.metrics?.[m] ?? 0) / this.maxMetric : 0;
    this.graph.setNodeAttribute(id, 'size', baseSize(id, a.count ?? 1) + (m ? 12 * Math.sqrt(Math.max(0, v)) : 0));
  }

  private recomputeSizes() {
    this.updateMaxMetric();
    this.batch(() => this.graph.forEachNode(id => this.applySize(id)));
  }

  /**
   * Lays the whole graph out again: ForceAtlas2 in the worker until the nodes stop moving (or a time cap). Only
   * for a new view or when the user asks; deltas never start it.
   */
  relayout() {
    const g = this.graph;
    this.stopLayout();
    if (g.order < 2) { this.finishSettle(); return; }
    const settings = forceAtlas2.inferSettings(g);
    settings.barnesHutOptimize = g.order > 300;
    // Keeps disconnected components (typical: one per host or service) together on screen.
    settings.strongGravityMode = true;
    settings.gravity = 0.5;
    settings.slowDown = 1 + Math.log(g.order);
    this.layout = new FA2Layout(g, { settings });
    this.startLayoutSteps();
    this.layout.start();
    this.stats.running = true;
    const started = performance.now();
    const cap = Math.min(20000, 2500 + g.order * 2);
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

  /** Empties the drawing (a new view follows): stops the layout and drops any change still waiting. */
  clear() {
    this.stopLayout();
    if (this.hovered) {
      this.hovered = null;
      this.neighbours = new Set();
      const { nodes, edges } = litePrograms(this.sigma);
      nodes?.setHighlight(null);
      edges?.setHighlight(null);
      this.labels.only(null);
    }
    window.clearTimeout(this.deferTimer);
    this.deferTimer = undefined;
    this.takeUnpainted();
    this.latest = null;
    this.lastStructure = -Infinity;
    window.clearTimeout(this.compactTimer);
    this.graph.clear();
  }

  stopLayout() {
    window.clearTimeout(this.settleTimer);
    if (this.layout) { this.layout.kill(); this.layout = null; }
    this.stopLayoutSteps();
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
  destroy() { this.clear(); this.sigma.kill(); }
}

/** bench/bench.ts records what each frame spent its time on (a no-op outside the benchmark page). */
function benchTrace(what: string, ms: number) {
  (window as unknown as { __benchTrace?: (what: string, ms: number) => void }).__benchTrace?.(what, ms);
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
