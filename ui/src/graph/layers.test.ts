import { describe, expect, it } from 'vitest';
import type Sigma from 'sigma';
import { hasOverlay, quietOverlays } from './layers';

/** Just the sigma fields quietOverlays touches; elements are plain objects with a style. */
function fakeSigma(edgeLabels = false) {
  const el = () => ({ style: { display: '' } }) as unknown as HTMLElement;
  const fake = {
    elements: { hovers: el(), hoverNodes: el(), edgeLabels: el(), nodes: el() },
    hoveredNode: null as string | null,
    highlightedNodes: new Set<string>(),
    nodeDataCache: { a: { hidden: false }, h: { hidden: true } } as Record<string, { hidden: boolean }>,
    drawn: 0,
    renderHighlightedNodes() { this.drawn++; return this; },
    getSetting(name: string) { return name === 'renderEdgeLabels' ? edgeLabels : undefined; },
  };
  return fake;
}

describe('hasOverlay', () => {
  const hidden = (n: string) => n === 'h';
  it('is false with nothing hovered or highlighted', () => expect(hasOverlay(null, new Set(), hidden)).toBe(false));
  it('is true for a visible hovered node', () => expect(hasOverlay('a', new Set(), hidden)).toBe(true));
  it('is false for a hidden hovered node', () => expect(hasOverlay('h', new Set(), hidden)).toBe(false));
  it('is true for highlighted nodes', () => expect(hasOverlay(null, new Set(['a']), hidden)).toBe(true));
});

describe('quietOverlays', () => {
  it('hides the hover layers and skips their redraw while empty, shows and draws them when needed', () => {
    const s = fakeSigma();
    const undo = quietOverlays(s as unknown as Sigma);
    s.renderHighlightedNodes();
    expect(s.drawn).toBe(0);
    expect(s.elements.hovers.style.display).toBe('none');
    expect(s.elements.hoverNodes.style.display).toBe('none');
    expect(s.elements.nodes.style.display).toBe('');
    s.hoveredNode = 'a';
    s.renderHighlightedNodes();
    expect(s.drawn).toBe(1);
    expect(s.elements.hovers.style.display).toBe('');
    s.hoveredNode = null;
    s.highlightedNodes.add('a');
    s.renderHighlightedNodes();
    expect(s.drawn).toBe(2);
    s.highlightedNodes.clear();
    s.renderHighlightedNodes();
    expect(s.drawn).toBe(2);
    expect(s.elements.hoverNodes.style.display).toBe('none');
    undo();
    expect(s.elements.hovers.style.display).toBe('');
    s.renderHighlightedNodes();
    expect(s.drawn).toBe(3);
  });

  it('hides the edge label layer only while edge labels are off', () => {
    const off = fakeSigma(false);
    quietOverlays(off as unknown as Sigma);
    off.renderHighlightedNodes();
    expect(off.elements.edgeLabels.style.display).toBe('none');
    const on = fakeSigma(true);
    quietOverlays(on as unknown as Sigma);
    on.renderHighlightedNodes();
    expect(on.elements.edgeLabels.style.display).toBe('');
  });
});
