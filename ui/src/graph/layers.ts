// sigma 3 stacks seven full-size layers (canvases) in the graph's container and, on every render, clears the two
// that show hovered and highlighted nodes (`hovers`, a 2D canvas, and `hoverNodes`, WebGL) even when they have
// nothing to show. A layer that changed is composited again; with software compositing (no GPU, SwiftShader) each
// such full-size layer costs a few milliseconds of every repaint: hiding the empty ones (display: none) took a
// node repaint at 5,000 nodes from ~31 to ~22 ms (ui/BENCHMARK.md). `edgeLabels` is hidden while edge labels are
// off (sigma never draws it then).
//
// Uses sigma 3.0.3 fields that are not public API (listed in OverlayInternals); sigma is pinned in package.json.

import type Sigma from 'sigma';

/** The parts of sigma 3.0.3 that {@link quietOverlays} uses and sigma does not expose. */
interface OverlayInternals {
  elements: Record<string, HTMLElement>;
  hoveredNode: string | null;
  highlightedNodes: Set<string>;
  nodeDataCache: Record<string, { hidden?: boolean } | undefined>;
  renderHighlightedNodes(): unknown;
}

/** Whether sigma's hover layers have something to draw: a visible hovered node, or highlighted nodes. */
export function hasOverlay(hoveredNode: string | null, highlighted: ReadonlySet<string>,
  hidden: (node: string) => boolean): boolean {
  return highlighted.size > 0 || (hoveredNode !== null && !hidden(hoveredNode));
}

/**
 * Hides sigma's hover layers while they are empty and skips their redraw then (sigma clears them again before it
 * draws anything on them, so nothing stale shows when they come back). Returns a function that undoes it.
 */
export function quietOverlays(sigma: Sigma): () => void {
  const s = sigma as unknown as OverlayInternals;
  const overlays = [s.elements.hovers, s.elements.hoverNodes].filter(Boolean);
  const edgeLabels = s.elements.edgeLabels;
  let shown = true;
  const show = (on: boolean) => {
    if (on === shown) return;
    shown = on;
    for (const el of overlays) el.style.display = on ? '' : 'none';
  };
  const setEdgeLabels = () => {
    if (!edgeLabels) return;
    const display = sigma.getSetting('renderEdgeLabels') ? '' : 'none';
    if (edgeLabels.style.display !== display) edgeLabels.style.display = display;
  };
  const render = s.renderHighlightedNodes;
  s.renderHighlightedNodes = function (this: OverlayInternals) {
    setEdgeLabels();
    const on = hasOverlay(s.hoveredNode, s.highlightedNodes, n => !s.nodeDataCache[n] || !!s.nodeDataCache[n]!.hidden);
    show(on);
    return on ? render.call(this) : this;
  };
  return () => {
    s.renderHighlightedNodes = render;
    show(true);
    if (edgeLabels) edgeLabels.style.display = '';
  };
}
