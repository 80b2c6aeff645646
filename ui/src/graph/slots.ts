// Reserved slots in sigma's program buffers, so that a live delta that adds or removes nodes and edges does not make
// sigma re-process the whole graph.
//
// sigma 3.0.3 runs its full process() for any node or edge added or removed: it re-indexes every node and edge,
// rebuilds the label grid and rewrites every vertex of every program, and the edge layer is drawn again from
// scratch; at 5,000 nodes / 9,500 edges on software WebGL that made the one structural frame a second take
// 110–190 ms. Here each program is allocated with spare room (slack) at the end of its buffer; process() fills the
// front densely, and between two process() runs:
// - a removed node or edge has its slot zeroed (sigma draws a zeroed item as nothing) and the slot freed;
// - an added node or edge takes a free slot (the lowest one), its display data is computed by sigma's own
//   addNode/addEdge (reducers, defaults, normalisation) and written into that slot only.
// Keys stay the graph's own keys (real ids), so hover, click, selection and the layout are untouched; only the
// position of an item in the buffers is pooled. A full process() (which makes the buffers dense and zIndex-ordered
// again, and reallocates them with fresh slack) happens when the pool runs out, when sigma needs one anyway
// (hover, resize, layout), or when idle (GraphView).
//
// What sigma does not expose is reached through the fields and methods listed in SigmaInternals (internals.ts; sigma is pinned at
// 3.0.3 in package.json; slots.test.ts and the UI e2e test exercise this path).

import Sigma, { Camera } from 'sigma';
import type { EdgeDisplayData, NodeDisplayData } from 'sigma/types';
import { matrixFromCamera } from 'sigma/utils';
import type { SigmaInternals, SlotProgram } from './internals';
import { SlotPool } from './slotPool';

export type { SlotProgram } from './internals';

export { SlotPool, slack } from './slotPool';

const HIDDEN = { hidden: true } as NodeDisplayData & EdgeDisplayData;

export interface SlotChanges {
  droppedNodes: readonly string[];
  droppedEdges: readonly string[];
  addedNodes: readonly string[];
  addedEdges: readonly string[];
}

/** Applies node and edge additions and removals to sigma's buffers through free slots instead of process(). */
export class SigmaSlots {
  readonly nodes = new SlotPool();
  readonly edges = new SlotPool();
  private nextFingerprint = 1;
  private synced = false;

  constructor(private readonly sigma: Sigma) {
    sigma.on('afterProcess', () => this.sync());
  }

  private get s(): SigmaInternals { return this.sigma as unknown as SigmaInternals; }

  /** The program of the default node or edge type (the only one GraphView uses). */
  private program(kind: 'node' | 'edge'): SlotProgram {
    return kind === 'node'
      ? this.s.nodePrograms[this.sigma.getSetting('defaultNodeType')]
      : this.s.edgePrograms[this.sigma.getSetting('defaultEdgeType')];
  }

  /** process() just wrote the buffers densely: read back who holds which slot. */
  private sync() {
    const s = this.s;
    const nodeType = this.sigma.getSetting('defaultNodeType'), edgeType = this.sigma.getSetting('defaultEdgeType');
    // Slots are used only while every node and edge is drawn by the default programs (one buffer each).
    this.synced = false;
    for (const k in s.nodeDataCache) if (s.nodeDataCache[k].type !== nodeType) return;
    for (const k in s.edgeDataCache) if (s.edgeDataCache[k].type !== edgeType) return;
    // sigma keeps the index entries of items it did not draw in this process (hidden ones, and items
    // dropped from the graph while its listeners were off for a batch): only drawn items hold a slot.
    const graph = this.sigma.getGraph();
    const drawn = (index: Record<string, number>, cache: Record<string, { hidden?: boolean }>,
      exists: (k: string) => boolean) => {
      const out: Record<string, number> = {};
      for (const k in index) if (exists(k) && cache[k] && !cache[k].hidden) out[k] = index[k];
      return out;
    };
    try {
      this.nodes.reset(drawn(s.nodeProgramIndex, s.nodeDataCache, k => graph.hasNode(k)), this.program('node').capacity);
      this.edges.reset(drawn(s.edgeProgramIndex, s.edgeDataCache, k => graph.hasEdge(k)), this.program('edge').capacity);
    } catch (e) {
      // Not a state the slots can work from: every change goes through sigma's full process instead.
      console.warn('graph slots off until the next full process:', e);
      return;
    }
    let max = 0;
    for (const k in s.itemIDsIndex) max = Math.max(max, Number(k));
    this.nextFingerprint = max + 1;
    this.synced = true;
  }

  /** Slots taken or freed since sigma last processed the whole graph. */
  get changes() { return this.nodes.changes + this.edges.changes; }

  /**
   * Whether these changes fit in free slots now. Not when sigma will process the graph anyway at its next render
   * (a full refresh is pending), nor before its first process, nor when a node or edge uses its own program type.
   */
  canApply(c: SlotChanges): boolean {
    if (!this.synced || this.s.needToProcess) return false;
    for (const id of c.addedNodes) if (this.sigma.getGraph().getNodeAttribute(id, 'type')) return false;
    for (const id of c.addedEdges) if (this.sigma.getGraph().getEdgeAttribute(id, 'type')) return false;
    // Removals free their slots before additions take theirs.
    const freedNodes = c.droppedNodes.filter(id => this.nodes.positionOf(id) !== undefined).length;
    const freedEdges = c.droppedEdges.filter(id => this.edges.positionOf(id) !== undefined).length;
    return c.addedNodes.length <= this.nodes.available + freedNodes && c.addedEdges.length <= this.edges.available + freedEdges;
  }

  /**
   * Writes the changes into the buffers (the graph already has them; sigma's graph listeners were off). The caller
   * checked {@link canApply} and schedules a render. Removed items' slots are zeroed; added nodes are written before
   * added edges (an edge's vertices carry its extremities' positions).
   */
  apply(c: SlotChanges) {
    const s = this.s;
    const np = this.program('node'), ep = this.program('edge');
    ep.hotChange?.('remove');
    for (const id of c.droppedEdges) {
      const p = this.edges.release(id);
      if (p === undefined) continue;
      ep.process(0, p, HIDDEN, HIDDEN, HIDDEN);
      const fp = s.edgeIndices[id];
      delete s.edgeIndices[id];
      delete s.itemIDsIndex[fp];
      s.removeEdge(id);
    }
    let labels = false;
    for (const id of c.droppedNodes) {
      const p = this.nodes.release(id);
      if (p === undefined) continue;
      np.process(0, p, HIDDEN);
      const fp = s.nodeIndices[id];
      delete s.nodeIndices[id];
      delete s.itemIDsIndex[fp];
      s.removeNode(id);
      labels = true;
    }
    if (labels) this.dropLabels(new Set(c.droppedNodes));
    let matrix: Float32Array | null = null;
    for (const id of c.addedNodes) {
      const p = this.nodes.take(id);
      if (p === undefined) throw new Error(`no free node slot for ${id}`);
      s.updateNode(id); // sigma's display data: reducer, defaults, normalisation
      const fp = this.nextFingerprint++;
      s.nodeIndices[id] = fp;
      s.itemIDsIndex[fp] = { type: 'node', id };
      s.addNodeToProgram(id, fp, p);
      const data = s.nodeDataCache[id];
      if (typeof data.label === 'string' && !data.hidden) {
        // process() places labels in the grid as seen by a camera at rest; the same here.
        matrix ??= matrixFromCamera(new Camera().getState(), this.sigma.getDimensions(), this.sigma.getGraphDimensions(), this.sigma.getStagePadding());
        s.labelGrid.add(id, data.size, this.sigma.framedGraphToViewport(data, { matrix }));
      }
    }
    if (matrix) s.labelGrid.organize();
    ep.hotChange?.('add');
    for (const id of c.addedEdges) {
      const p = this.edges.take(id);
      if (p === undefined) throw new Error(`no free edge slot for ${id}`);
      s.updateEdge(id);
      const fp = this.nextFingerprint++;
      s.edgeIndices[id] = fp;
      s.itemIDsIndex[fp] = { type: 'edge', id };
      s.addEdgeToProgram(id, fp, p);
    }
    ep.hotChange?.(null);
  }

  /** Takes removed nodes out of sigma's label grid (process() would have rebuilt it without them). */
  private dropLabels(ids: Set<string>) {
    const cells = this.s.labelGrid.cells;
    for (const k in cells) {
      const cell = cells[k];
      if (cell.some(c => ids.has(c.key))) cells[k] = cell.filter(c => !ids.has(c.key));
    }
  }
}
