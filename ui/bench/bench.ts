// Synthetic topologies through the app's own path: TopoStore → groupTopology → GraphView.setData.
import { GraphView } from '../src/graph/GraphView';
import { groupTopology, TopoStore } from '../src/model';
import type { ViewEdge, ViewNode } from '../src/api';

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

const view = new GraphView(document.getElementById('g')!);
let processes = 0;
/**
 * What happened in each frame, for the long ones: the main thread's time (ms) per kind of work between two
 * animation frames. `gen`: this benchmark generating the delta (its own overhead); `apply`: TopoStore.applyDelta +
 * groupTopology + GraphView.setData for it; `setData`: GraphView applying a deferred structural change; `render`:
 * a sigma render (its JavaScript; the GPU process draws after it); `process`: sigma's full process inside a render;
 * `slice`: one slice of the edge layer's background redraw (programs.ts reports it through __benchTrace).
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
{
  // Deferred structural changes run from GraphView's own timer: time every setData, and subtract the bench's.
  const setData = view.setData.bind(view);
  view.setData = (...a: Parameters<GraphView['setData']>) => { const t = performance.now(); try { return setData(...a); } finally { trace('setData', performance.now() - t); } };
}
const store = new TopoStore();
const push = () => { const g = groupTopology(store.nodes.values(), store.edges.values(), null, new Set()); view.setData(g.nodes, g.edges); };

(window as any).bench = {
  async load(n: number) {
    view.clear();
    const nodes: ViewNode[] = []; const edges = new Map<string, ViewEdge>();
    for (let i = 0; i < n; i++) { nodes.push(node(i)); for (const e of edgesFor(i, n)) edges.set(e.id, e); }
    seq = n;
    store.applySnapshot({ type: 'snapshot', view: 'containers', modelVersion: 1, at: Date.now(), nodes, edges: [...edges.values()] });
    view.resetClock();
    const t0 = performance.now();
    push();
    view.relayout();
    const setDataMs = performance.now() - t0;
    await new Promise<void>(r => { const poll = () => (view.stats.firstDrawMs != null ? r() : requestAnimationFrame(poll)); poll(); });
    const firstDrawMs = view.stats.firstDrawMs!;
    await new Promise<void>(r => { const poll = () => (view.stats.settledMs != null ? r() : setTimeout(poll, 50)); poll(); });
    return { n, edges: view.graph.size, setDataMs, firstDrawMs, settledMs: view.stats.settledMs! };
  },
  /** `perSecond` node changes a second for `seconds`, in 4 batches a second (the stream's rate): 80% metric/status
   * updates, 10% added (with edges), 10% removed; frame times measured with requestAnimationFrame. */
  async churn(perSecond: number, seconds: number, longMs = 50) {
    // Starts on a quiet page: the layout's last iteration scheduled one full sigma process and render when it
    // stopped (load() returns as it stops); that frame belongs to the layout, not to the changes measured here.
    const s = view.sigma as unknown as { renderFrame: number | null; needToProcess: boolean };
    const nextFrame = () => new Promise(r => requestAnimationFrame(r));
    while (s.renderFrame || s.needToProcess) await nextFrame();
    await nextFrame(); await nextFrame();
    const frames: number[] = [];
    const processes0 = processes;
    let last = performance.now();
    let running = true;
    const long: Record<string, number> = {};
    const longFrames: { ms: number; work: Record<string, number> }[] = [];
    const loop = () => {
      const now = performance.now(); frames.push(now - last);
      if (now - last >= longMs) {
        const k = Object.keys(frame).filter(w => w !== 'setData' && w !== 'gen').sort().join('+') || 'none';
        long[k] = (long[k] ?? 0) + 1;
        longFrames.push({ ms: +(now - last).toFixed(1), work: Object.fromEntries(Object.entries(frame).map(([w, v]) => [w, +v.toFixed(1)])) });
      }
      for (const w in frame) delete frame[w];
      last = now; if (running) requestAnimationFrame(loop);
    };
    requestAnimationFrame(loop);
    const batch = perSecond / 4;
    const timer = setInterval(() => {
      const tg = performance.now();
      const ids = [...store.nodes.keys()];
      const d = { type: 'delta' as const, view: 'containers', modelVersion: 2, at: Date.now(), nodesAdded: [] as ViewNode[], nodesUpdated: [] as ViewNode[],
        nodesRemoved: [] as string[], edgesAdded: [] as ViewEdge[], edgesUpdated: [] as ViewEdge[], edgesRemoved: [] as string[] };
      for (let k = 0; k < batch * 0.8; k++) { const n = { ...store.nodes.get(ids[Math.floor(random() * ids.length)])! }; n.metrics = { cpu_percent: random() * 100, memory_bytes: random() * 1e9 }; n.status = STATUSES[Math.floor(random() * 5)]; d.nodesUpdated.push(n); }
      for (let k = 0; k < batch * 0.1; k++) { const i = seq++; d.nodesAdded.push(node(i)); d.edgesAdded.push(...edgesFor(i, i).filter(e => store.nodes.has(e.target))); }
      for (let k = 0; k < batch * 0.1; k++) {
        const id = ids[Math.floor(random() * ids.length)]; d.nodesRemoved.push(id);
        for (const e of store.edges.values()) if (e.source === id || e.target === id) d.edgesRemoved.push(e.id);
      }
      const t0 = performance.now();
      trace('gen', t0 - tg);
      store.applyDelta(d); push();
      const t1 = performance.now();
      applyMs.push(t1 - t0);
      trace('apply', t1 - t0);
      trace('setData', -(frame.setData ?? 0)); // counted in apply
      delete frame.setData;
    }, 250);
    const applyMs: number[] = [];
    await new Promise(r => setTimeout(r, seconds * 1000));
    clearInterval(timer); running = false;
    frames.shift();
    const sorted = [...frames].sort((a, b) => a - b);
    const q = (p: number) => sorted[Math.min(sorted.length - 1, Math.floor(p * sorted.length))];
    return { frames: frames.length, meanFrameMs: frames.reduce((a, b) => a + b, 0) / frames.length, p50: q(0.5), p95: q(0.95), p99: q(0.99), max: sorted[sorted.length - 1],
      over50: frames.filter(f => f >= 50).length, longMs,
      processes: processes - processes0, long, longFrames,
      meanApplyMs: applyMs.reduce((a, b) => a + b, 0) / applyMs.length, maxApplyMs: Math.max(...applyMs), nodes: view.graph.order };
  },
};
(window as any).benchReady = true;
