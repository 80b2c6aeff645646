// sigma 3 stacks seven full-size layers (canvases) in the graph's container and, on every render, clears the two
// that show hovered and highlighted nodes (`hovers`, a 2D canvas, and `hoverNodes`, WebGL) even when they have
// nothing to show. A layer that changed is composited again; with software compositing (no GPU, SwiftShader) each
// such full-size layer costs a few milliseconds of every repaint: hiding the empty ones (display: none) took a
// node repaint at 5,000 nodes from ~31 to ~22 ms (ui/BENCHMARK.md). Here they are hidden for good: the hovered and
// highlighted (selected) nodes are drawn on the label canvas instead, which every render redraws anyway, so hovering
// a node or selecting one composites no extra layer. `edgeLabels` is hidden while edge labels are off (sigma never
// draws it then).
//
// Uses sigma 3.0.3 fields that are not public API (listed in OverlayInternals); sigma is pinned in package.json.

import type Sigma from 'sigma';
import type { NodeDisplayData } from 'sigma/types';

type HoverDrawer = (context: CanvasRenderingContext2D, data: Record<string, unknown>, settings: unknown) => void;

/** The parts of sigma 3.0.3 that {@link quietOverlays} uses and sigma does not expose. */
interface OverlayInternals {
  elements: Record<string, HTMLElement>;
  canvasContexts: Record<string, CanvasRenderingContext2D>;
  hoveredNode: string | null;
  highlightedNodes: Set<string>;
  nodeDataCache: Record<string, NodeDisplayData | undefined>;
  nodePrograms: Record<string, { drawHover?: HoverDrawer } | undefined>;
  settings: { defaultDrawNodeHover: HoverDrawer };
  renderHighlightedNodes(): unknown;
  framedGraphToViewport(p: { x: number; y: number }): { x: number; y: number };
  scaleSize(size: number): number;
  scheduleRender(): unknown;
}

/** The nodes sigma draws as hovered or highlighted: the hovered one (if visible) first, then the highlighted ones. */
export function overlayNodes(hoveredNode: string | null, highlighted: ReadonlySet<string>,
  hidden: (node: string) => boolean): string[] {
  const out = hoveredNode !== null && !hidden(hoveredNode) ? [hoveredNode] : [];
  for (const n of highlighted) if (n !== hoveredNode && !hidden(n)) out.push(n);
  return out;
}

/**
 * Hides sigma's hover layers and draws what they showed (each hovered or highlighted node's label box and the node
 * on it) on the label canvas, after the labels, in sigma's render. Returns a function that undoes it.
 */
export function quietOverlays(sigma: Sigma): () => void {
  const s = sigma as unknown as OverlayInternals;
  const overlays = [s.elements.hovers, s.elements.hoverNodes].filter(Boolean);
  const edgeLabels = s.elements.edgeLabels;
  for (const el of overlays) el.style.display = 'none';
  // sigma clears both on every render; nothing draws on them now, so the clears (two full-size ones, a few ms of
  // software rendering) are skipped.
  const hoverCanvas = s.canvasContexts.hovers, hoverGl = (s as unknown as { webGLContexts: Record<string, WebGLRenderingContext> }).webGLContexts?.hoverNodes;
  const clearRect = hoverCanvas?.clearRect, glClear = hoverGl?.clear;
  if (hoverCanvas) hoverCanvas.clearRect = () => {};
  if (hoverGl) hoverGl.clear = () => {};
  const setEdgeLabels = () => {
    if (!edgeLabels) return;
    const display = sigma.getSetting('renderEdgeLabels') ? '' : 'none';
    if (edgeLabels.style.display !== display) edgeLabels.style.display = display;
  };
  let rendering = false;
  const before = () => { rendering = true; };
  const after = () => { rendering = false; };
  sigma.on('beforeRender', before);
  sigma.on('afterRender', after);
  const render = s.renderHighlightedNodes;
  s.renderHighlightedNodes = function (this: OverlayInternals) {
    setEdgeLabels();
    // sigma also calls this on its own when the pointer enters or leaves a node and no render is scheduled: the
    // label canvas is only redrawn whole, so that takes a render.
    if (!rendering) { this.scheduleRender(); return this; }
    const context = this.canvasContexts.labels;
    for (const node of overlayNodes(this.hoveredNode, this.highlightedNodes, n => !this.nodeDataCache[n] || !!this.nodeDataCache[n]!.hidden)) {
      const data = this.nodeDataCache[node]!;
      const { x, y } = this.framedGraphToViewport(data);
      const size = this.scaleSize(data.size);
      const drawHover = this.nodePrograms[data.type]?.drawHover ?? this.settings.defaultDrawNodeHover;
      drawHover(context, { key: node, ...data, size, x, y }, this.settings);
      // sigma draws the node itself on its WebGL hover layer, over the label box.
      context.beginPath();
      context.arc(x, y, size, 0, Math.PI * 2);
      context.closePath();
      context.fillStyle = data.color;
      context.fill();
    }
    return this;
  };
  return () => {
    s.renderHighlightedNodes = render;
    sigma.off('beforeRender', before);
    sigma.off('afterRender', after);
    for (const el of overlays) el.style.display = '';
    if (edgeLabels) edgeLabels.style.display = '';
    if (hoverCanvas && clearRect) hoverCanvas.clearRect = clearRect;
    if (hoverGl && glClear) hoverGl.clear = glClear;
  };
}

/** The parts of sigma 3.0.3 that {@link hoverLabels} uses and sigma does not expose. */
interface LabelInternals {
  labelGrid: { getLabelsToDisplay(ratio: number, density: number): string[] };
  renderLabels(): unknown;
}

/**
 * A filter on the labels sigma picks from its label grid: {@code only(keys)} draws, of those, only the labels of
 * these nodes (nodes with a forced label are drawn anyway); {@code only(null)} lifts it. While a node is hovered
 * only it and its neighbours are labelled: this leaves the other nodes' labels out without re-processing every node
 * (their reducer used to blank them). Takes effect at the next render.
 */
export function hoverLabels(sigma: Sigma): { only(keys: ReadonlySet<string> | null): void } {
  const s = sigma as unknown as LabelInternals;
  let keep: ReadonlySet<string> | null = null;
  const render = s.renderLabels;
  s.renderLabels = function (this: LabelInternals) {
    if (!keep) return render.call(this);
    const only = keep;
    // sigma replaces its label grid on a full refresh: wrap the one it has now, for this call.
    const grid = this.labelGrid;
    const own = Object.prototype.hasOwnProperty.call(grid, 'getLabelsToDisplay');
    const pick = grid.getLabelsToDisplay;
    grid.getLabelsToDisplay = (ratio, density) => pick.call(grid, ratio, density).filter(k => only.has(k));
    try { return render.call(this); } finally {
      if (own) grid.getLabelsToDisplay = pick;
      else delete (grid as Partial<LabelInternals['labelGrid']>).getLabelsToDisplay;
    }
  };
  return { only(keys) { keep = keys; } };
}

/** One thing done to a 2D context: a method call (name, arguments) or a property set ('=', name, value). */
export type CanvasOp = readonly unknown[];

/**
 * A stand-in for a 2D context that records the calls made on it and the properties set on it instead of drawing.
 * Property sets also reach the real context (they draw nothing, and text is measured with the right font); methods
 * that return something without drawing (measureText, getTransform, …) are the real context's.
 */
export function recordingContext(real: CanvasRenderingContext2D, ops: CanvasOp[]): CanvasRenderingContext2D {
  const queries = new Set(['measureText', 'getTransform', 'getLineDash', 'isPointInPath', 'isPointInStroke', 'getImageData',
    'createLinearGradient', 'createRadialGradient', 'createConicGradient', 'createPattern', 'createImageData', 'getContextAttributes']);
  return new Proxy(real, {
    get(target, prop) {
      const value = Reflect.get(target, prop, target);
      if (typeof value !== 'function') return value;
      if (typeof prop !== 'string' || queries.has(prop)) return value.bind(target);
      return (...args: unknown[]) => { ops.push([prop, ...args]); };
    },
    set(target, prop, value) {
      ops.push(['=', prop, value]);
      return Reflect.set(target, prop, value, target);
    },
  });
}

/** Whether two recordings are the same drawing (every call and value identical). */
export function sameOps(a: readonly CanvasOp[], b: readonly CanvasOp[]): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) {
    const x = a[i], y = b[i];
    if (x.length !== y.length) return false;
    for (let k = 0; k < x.length; k++) if (x[k] !== y[k]) return false;
  }
  return true;
}

/** Does these recorded calls on a real context. */
export function replay(context: CanvasRenderingContext2D, ops: readonly CanvasOp[]) {
  const c = context as unknown as Record<string, unknown>;
  for (const op of ops) {
    if (op[0] === '=') c[op[1] as string] = op[2];
    else (c[op[0] as string] as (...a: unknown[]) => void).apply(context, op.slice(1));
  }
}

/** The parts of sigma 3.0.3 that {@link stillLabels} uses and sigma does not expose. */
interface StillInternals {
  canvasContexts: Record<string, CanvasRenderingContext2D>;
  render(): unknown;
}

/**
 * Leaves the label canvas alone when a render would draw on it exactly what it shows: sigma clears it and draws every
 * label again on each render (a full-size 2D canvas, rasterised in software and composited again), although most
 * renders under live deltas only recolour nodes. Here each render's calls on that canvas (sigma's clear, its labels,
 * the hovered and highlighted nodes of {@link quietOverlays}) are recorded, and done on the real canvas only when
 * they differ from the last render's, or when the canvas was resized (which empties it). With {@code laterFrame}
 * they are done in the next animation frame instead of the render's (unless a newer render superseded them): a hover
 * or a layout step then changes the node canvas in one frame and the label canvas in the next, not both in one.
 */
export function stillLabels(sigma: Sigma, laterFrame = false): { undo(): void; readonly skipped: number } {
  const s = sigma as unknown as StillInternals;
  const real = s.canvasContexts.labels;
  let last: CanvasOp[] | null = null;
  let pending: CanvasOp[] | null = null;
  let skipped = 0;
  const onResize = () => { last = null; };
  sigma.on('resize', onResize);
  const render = s.render;
  s.render = function (this: StillInternals) {
    const ops: CanvasOp[] = [];
    this.canvasContexts.labels = recordingContext(real, ops);
    try { return render.call(this); } finally {
      this.canvasContexts.labels = real;
      // sigma's resize (in render) sized the real canvas and scaled its context: that is what it shows now.
      if (last && sameOps(ops, last)) { skipped++; pending = null; }
      else if (!laterFrame) { replay(real, ops); last = ops; pending = null; }
      else if (!pending || !sameOps(ops, pending)) {
        // In the next animation frame: this render's frame already has the node canvas to draw and composite.
        pending = ops;
        requestAnimationFrame(() => { if (pending !== ops) return; pending = null; replay(real, ops); last = ops; });
      }
    }
  };
  return {
    undo() { s.render = render; sigma.off('resize', onResize); },
    get skipped() { return skipped; },
  };
}
