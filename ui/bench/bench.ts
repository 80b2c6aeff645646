// Synthetic topologies through the app's own path: TopoStore → groupTopology → GraphView.setData.
import { GraphView } from '../src/graph/GraphView';
import { groupTopology, TopoStore } from '../src/model';
import type { ViewEdge, ViewNode } from '../src/api';
import * as programs from '../src/programs';

const STATUSES = ['healthy', 'healthy', 'healthy', 'warning', 'critical'];
let seq = 0;
let rnd = 42;
const random = () => { rnd = (rnd * 1103515245 + 12345) & 0x7fffffff; return rnd / 0x7fffffff; };

function node(i: number): ViewNode {
  return { id: `container:n${i}`, label: `app-${i % 50}-${i}`, status: STATUSES[i % 5], kind: 'container', hostId: `h${i % 100}`,
    count: 1, metrics: { cpu_percent: random() * 100, memory_bytes: random() * 1e9 }, running: true, system: false, labels: {} };
}
/** Two edges per node, mostly within its "service" (i/20) so the layout has structure. */
function edgesFor(i: number, n: number): ViewEdge[] {
  const out: ViewEdge[] = [];
  for (let k = 0; k < 2; k++) {
    const local = random() < 0.8;
    const j = local ? Math.floor(i / 20) * 20 + Math.floor(random() * 20) : Math.floor(random() * n);
    if (j !== i && j < n) out.push({ id: `container:n${i}->container:n${j}`, source: `container:n${i}`, target: `container:n${j}`, connections: 1 + Math.floor(random() * 9) });
  }
  return out;
}

// ?sync=read: the edge layer's background slices wait with a one-pixel read instead of a fence (comparison).
{ const sync = new URLSearchParams(location.search).get('sync'); if (sync === 'read' || sync === 'fence') programs.setSliceSync(sync); }
const view = new GraphView(document.getElementById('g')!);
let processes = 0;
/**
 * What happened in each frame, for the long ones: the main thread's time (ms) per kind of work between two
 * animation frames. `gen`: this benchmark generating the delta (its own overhead); `apply`: TopoStore.applyDelta +
 * groupTopology + GraphView.setData for it; `setData`: GraphView applying a deferred structural change; `render`:
 * a sigma render (its JavaScript; the GPU process draws after it); `process`: sigma's full process inside a render;
 * `slice`: one slice of the edge layer's background redraw (programs.ts reports it through __benchTrace); `hover`,
 * `select`: the benchmark moving the pointer onto / off a node, or changing the selection (the work they cause
 * shows as `render` in the same or the next frame).
 */
const frame: Record<string, number> = {};
const trace = (what: string, ms: number) => { frame[what] = (frame[what] ?? 0) + ms; };
(window as any).__benchTrace = trace;
(window as any).benchView = view;
let renderStart = 0, processStart = 0;
view.sigma.on('beforeRender', () => { renderStart = performance.now(); });
view.sigma.on('afterRender', () => { trace('render', performance.now() - renderStart); });
view.sigma.on('beforeProcess', () => { processStart = performance.now(); });
view.sigma.on('afterProcess', () => { processes++; trace('process', performance.now() - processStart); });
/** What GraphView reported of the layout (bench/layout.e2e.mjs): 'hidden' / 'shown' (edges while it runs), 'stopped'. */
const layoutEvents: string[] = [];
view.onLayout = state => { layoutEvents.push(!state ? 'stopped' : state.edgesHidden ? 'hidden' : 'shown'); };
let hovers = 0;
view.sigma.on('enterNode', () => { hovers++; });
{
  // Deferred structural changes run from GraphView's own timer: time every setData, and subtract the bench's.
  const setData = view.setData.bind(view);
  view.setData = (...a: Parameters<GraphView['setData']>) => { const t = performance.now(); try { return setData(...a); } finally { trace('setData', performance.now() - t); } };
}
const store = new TopoStore();
const push = () => { const g = groupTopology(store.nodes.values(), store.edges.values(), null, new Set()); view.setData(g.nodes, g.edges); };
const nextFrame = () => new Promise(r => requestAnimationFrame(r));

/** Frame times (requestAnimationFrame intervals) until stop(); frames ≥ longMs keep what happened in them. */
function frameRecorder(longMs: number) {
  const frames: number[] = [];
  /** Frames within 3 frames after a hover or selection change (the frames that show it). */
  const interaction: number[] = [];
  const long: Record<string, number> = {};
  const longFrames: { ms: number; work: Record<string, number>; before: Record<string, number> }[] = [];
  const processes0 = processes;
  let last = performance.now();
  let running = true;
  let afterInteraction = 0;
  let prev: Record<string, number> = {};
  /** The longest time each kind of work took in one frame. */
  const workMax: Record<string, number> = {};
  const loop = () => {
    const now = performance.now(); const ms = now - last;
    frames.push(ms);
    if (frame.hover !== undefined || frame.select !== undefined) afterInteraction = 3;
    if (afterInteraction > 0) { interaction.push(ms); afterInteraction--; }
    if (ms >= longMs) {
      // For bench/trace.mjs: the frame as a user-timing measure (shows in a Chrome trace).
      performance.measure(`long frame ${ms.toFixed(1)} ms`, { start: last, end: now });
      const k = Object.keys(frame).filter(w => w !== 'setData' && w !== 'gen').sort().join('+') || 'none';
      long[k] = (long[k] ?? 0) + 1;
      longFrames.push({ ms: +ms.toFixed(1), work: Object.fromEntries(Object.entries(frame).map(([w, v]) => [w, +v.toFixed(1)])), before: prev });
    }
    for (const w in frame) if (frame[w] > (workMax[w] ?? -1)) workMax[w] = +frame[w].toFixed(1);
    prev = Object.fromEntries(Object.entries(frame).map(([w, v]) => [w, +v.toFixed(1)]));
    for (const w in frame) delete frame[w];
    last = now; if (running) requestAnimationFrame(loop);
  };
  requestAnimationFrame(loop);
  return {
    stop() {
      running = false;
      frames.shift();
      return { ...stats(frames), longMs, processes: processes - processes0, long, longFrames, workMax, sliceEdges: programs.sliceEdges,
        interaction: interaction.length ? stats(interaction) : null };
    },
  };
}

function stats(frames: number[]) {
  const sorted = [...frames].sort((a, b) => a - b);
  const q = (p: number) => sorted[Math.min(sorted.length - 1, Math.floor(p * sorted.length))];
  return { frames: frames.length, meanFrameMs: frames.reduce((a, b) => a + b, 0) / frames.length, p50: q(0.5), p95: q(0.95), p99: q(0.99),
    max: sorted[sorted.length - 1], over50: frames.filter(f => f >= 50).length };
}

/** Waits until sigma has no render or process pending, then two more frames. */
async function quiet() {
  const s = view.sigma as unknown as { renderFrame: number | null; needToProcess: boolean };
  while (s.renderFrame || s.needToProcess) await nextFrame();
  await nextFrame(); await nextFrame();
}

/**
 * One batch of a stream of `perSecond` node changes a second in 4 batches a second: 80% metric/status updates,
 * 10% added (with edges), 10% removed; plus `edgeUpdates` edge traffic changes (an edge's connection count).
 */
function batch(perSecond: number, edgeUpdates: number) {
  const n = perSecond / 4;
  const ids = [...store.nodes.keys()];
  const d = { type: 'delta' as const, view: 'containers', modelVersion: 2, at: Date.now(), nodesAdded: [] as ViewNode[], nodesUpdated: [] as ViewNode[],
    nodesRemoved: [] as string[], edgesAdded: [] as ViewEdge[], edgesUpdated: [] as ViewEdge[], edgesRemoved: [] as [string, string][] };
  for (let k = 0; k < n * 0.8; k++) { const x = { ...store.nodes.get(ids[Math.floor(random() * ids.length)])! }; x.metrics = { cpu_percent: random() * 100, memory_bytes: random() * 1e9 }; x.status = STATUSES[Math.floor(random() * 5)]; d.nodesUpdated.push(x); }
  for (let k = 0; k < n * 0.1; k++) { const i = seq++; d.nodesAdded.push(node(i)); d.edgesAdded.push(...edgesFor(i, i).filter(e => store.nodes.has(e.target))); }
  for (let k = 0; k < n * 0.1; k++) {
    const id = ids[Math.floor(random() * ids.length)]; d.nodesRemoved.push(id);
    for (const e of store.edges.values()) if (e.source === id || e.target === id) d.edgesRemoved.push([e.source, e.target]);
  }
  if (edgeUpdates > 0) {
    const removed = new Set(d.edgesRemoved.map(([source, target]) => `${source}->${target}`));
    const edges = [...store.edges.values()];
    for (let k = 0; k < edgeUpdates; k++) {
      const e = edges[Math.floor(random() * edges.length)];
      // Within the current maximum (9), so that only this edge's width changes (not every edge's scale).
      if (!removed.has(e.id)) d.edgesUpdated.push({ ...e, connections: 1 + ((e.connections + 3) % 9) });
    }
  }
  return d;
}

/** Runs the delta stream for `seconds`; `during` is called every 50 ms with the elapsed ms (interactions). */
async function stream(perSecond: number, seconds: number, edgeUpdatesPerSecond: number, during?: (elapsedMs: number) => void) {
  const applyMs: number[] = [];
  const timer = setInterval(() => {
    const tg = performance.now();
    const d = batch(perSecond, edgeUpdatesPerSecond / 4);
    const t0 = performance.now();
    trace('gen', t0 - tg);
    store.applyDelta(d); push();
    const t1 = performance.now();
    applyMs.push(t1 - t0);
    trace('apply', t1 - t0);
    trace('setData', -(frame.setData ?? 0)); // counted in apply
    delete frame.setData;
  }, 250);
  const start = performance.now();
  const tick = during ? setInterval(() => during(performance.now() - start), 50) : undefined;
  await new Promise(r => setTimeout(r, seconds * 1000));
  clearInterval(timer); clearInterval(tick);
  return { meanApplyMs: applyMs.reduce((a, b) => a + b, 0) / applyMs.length, maxApplyMs: Math.max(...applyMs) };
}

/** Moves the pointer to viewport point (x, y) of the graph's container, as the user's mouse would. */
function pointer(x: number, y: number) {
  // sigma's mouse captor listens on the document and takes moves whose target is its own layer (the top canvas).
  const layer = (view.sigma as unknown as { elements: Record<string, HTMLElement> }).elements.mouse;
  const r = layer.getBoundingClientRect();
  layer.dispatchEvent(new MouseEvent('mousemove', { clientX: r.left + x, clientY: r.top + y, bubbles: true }));
}

(window as any).bench = {
  layoutEvents,
  /**
   * Loads n nodes and lays them out. Besides first draw and settled times, records the frames while the layout
   * runs (from the frame after the first draw until the layout has settled).
   */
  async load(n: number, longMs = 50) {
    view.clear();
    const nodes: ViewNode[] = []; const edges = new Map<string, ViewEdge>();
    for (let i = 0; i < n; i++) { nodes.push(node(i)); for (const e of edgesFor(i, n)) edges.set(e.id, e); }
    seq = n;
    // As the server sends a snapshot: edges as the positions of their ends in the nodes.
    const position = new Map(nodes.map((x, i) => [x.id, i]));
    const wire = [...edges.values()].map(e => [position.get(e.source)!, position.get(e.target)!, e.connections] as [number, number, number]);
    store.applySnapshot({ type: 'snapshot', view: 'containers', modelVersion: 1, at: Date.now(), nodes, edges: wire });
    view.resetClock();
    const t0 = performance.now();
    push();
    view.relayout();
    const setDataMs = performance.now() - t0;
    await new Promise<void>(r => { const poll = () => (view.stats.firstDrawMs != null ? r() : requestAnimationFrame(poll)); poll(); });
    const firstDrawMs = view.stats.firstDrawMs!;
    await nextFrame();
    const rec = frameRecorder(longMs);
    await new Promise<void>(r => { const poll = () => (view.stats.settledMs != null ? r() : setTimeout(poll, 50)); poll(); });
    const layout = rec.stop();
    return { n, edges: view.graph.size, setDataMs, firstDrawMs, settledMs: view.stats.settledMs!, layout };
  },
  /** `perSecond` node changes a second for `seconds` (see batch); frame times measured with requestAnimationFrame. */
  async churn(perSecond: number, seconds: number, longMs = 50) {
    // Starts on a quiet page: the layout's last iteration scheduled one full sigma process and render when it
    // stopped (load() returns as it stops); that frame belongs to the layout, not to the changes measured here.
    await quiet();
    const rec = frameRecorder(longMs);
    const apply = await stream(perSecond, seconds, 0);
    return { ...rec.stop(), ...apply, nodes: view.graph.order };
  },
  /**
   * The same stream plus `edgeUpdatesPerSecond` edge traffic changes, while the user works: the pointer moves onto
   * a node (hover: its neighbours are highlighted, the rest dimmed), then off it to an empty corner, one move every
   * 400 ms; the selection changes every 700 ms (a node, two nodes, none, in turn).
   */
  async interact(perSecond: number, seconds: number, edgeUpdatesPerSecond = 20, longMs = 50, what = 'hover,select') {
    await quiet();
    const hovers0 = hovers;
    let moves = 0, selections = 0, lastMove = -Infinity, lastSelect = 0;
    const rec = frameRecorder(longMs);
    const apply = await stream(perSecond, seconds, edgeUpdatesPerSecond, elapsed => {
      if (what.includes('hover') && elapsed - lastMove >= 400) {
        lastMove = elapsed;
        if (moves++ % 2 === 0) {
          // A node in the middle part of the viewport (a visible one, so the pointer really lands on it).
          const { width, height } = view.sigma.getDimensions();
          const ids = view.graph.nodes();
          for (let k = 0; k < 50; k++) {
            const id = ids[Math.floor(random() * ids.length)];
            const d = view.sigma.getNodeDisplayData(id);
            if (!d || d.hidden) continue;
            const p = view.sigma.framedGraphToViewport(d);
            if (p.x < width * 0.1 || p.x > width * 0.9 || p.y < height * 0.1 || p.y > height * 0.9) continue;
            trace('hover', 0); trace('hover:on', 0);
            pointer(p.x, p.y);
            break;
          }
        } else { trace('hover', 0); trace('hover:off', 0); pointer(2, 2); }
      }
      if (what.includes('select') && elapsed - lastSelect >= 700) {
        lastSelect = elapsed;
        const ids = view.graph.nodes();
        const pick = () => ids[Math.floor(random() * ids.length)];
        const kind = selections++ % 3;
        trace('select', 0);
        view.setSelection(kind === 0 ? [pick()] : kind === 1 ? [pick(), pick()] : []);
      }
    });
    pointer(2, 2);
    view.setSelection([]);
    return { ...rec.stop(), ...apply, nodes: view.graph.order, moves, hovers: hovers - hovers0, selections };
  },
};
(window as any).benchReady = true;
