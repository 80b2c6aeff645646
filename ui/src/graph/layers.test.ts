import { describe, expect, it } from 'vitest';
import type Sigma from 'sigma';
import { hoverLabels, overlayNodes, quietOverlays, recordingContext, replay, sameOps, stillLabels } from './layers';
import type { CanvasOp } from './layers';

/** Just the sigma fields quietOverlays touches; elements are plain objects with a style, the label canvas records. */
function fakeSigma(edgeLabels = false) {
  const el = () => ({ style: { display: '' } }) as unknown as HTMLElement;
  const drawn: string[] = [];
  const handlers: Record<string, (() => void)[]> = {};
  const fake = {
    elements: { hovers: el(), hoverNodes: el(), edgeLabels: el(), nodes: el() },
    canvasContexts: { labels: { beginPath() {}, arc(x: number, y: number, r: number) { drawn.push(`disc ${x},${y},${r}`); }, closePath() {}, fill() {}, fillStyle: '' } },
    hoveredNode: null as string | null,
    highlightedNodes: new Set<string>(),
    nodeDataCache: { a: { x: 1, y: 2, size: 3, color: '#123', type: 'point', hidden: false }, b: { x: 4, y: 5, size: 6, color: '#456', type: 'point', hidden: false },
      h: { x: 0, y: 0, size: 1, color: '#000', type: 'point', hidden: true } } as Record<string, { x: number; y: number; size: number; color: string; type: string; hidden: boolean }>,
    nodePrograms: { point: {} },
    settings: { defaultDrawNodeHover: (_: unknown, d: { key: string; x: number; y: number; size: number }) => { drawn.push(`box ${d.key} ${d.x},${d.y},${d.size}`); } },
    scheduled: 0,
    sigmaDrew: 0,
    renderHighlightedNodes() { this.sigmaDrew++; return this; },
    framedGraphToViewport(p: { x: number; y: number }) { return { x: p.x * 10, y: p.y * 10 }; },
    scaleSize(size: number) { return size * 2; },
    scheduleRender() { this.scheduled++; },
    getSetting(name: string) { return name === 'renderEdgeLabels' ? edgeLabels : undefined; },
    on(ev: string, fn: () => void) { (handlers[ev] ??= []).push(fn); },
    off(ev: string, fn: () => void) { handlers[ev] = (handlers[ev] ?? []).filter(f => f !== fn); },
    /** What sigma's render does around its call of renderHighlightedNodes. */
    render() { handlers.beforeRender?.forEach(f => f()); this.renderHighlightedNodes(); handlers.afterRender?.forEach(f => f()); },
    drawn,
  };
  return fake;
}

describe('overlayNodes', () => {
  const hidden = (n: string) => n === 'h';
  it('is empty with nothing hovered or highlighted', () => expect(overlayNodes(null, new Set(), hidden)).toEqual([]));
  it('has a visible hovered node first, then the highlighted ones', () => expect(overlayNodes('a', new Set(['b', 'a']), hidden)).toEqual(['a', 'b']));
  it('leaves hidden nodes out', () => expect(overlayNodes('h', new Set(['h', 'b']), hidden)).toEqual(['b']));
});

describe('quietOverlays', () => {
  it('hides the hover layers for good and draws hovered and highlighted nodes on the label canvas in a render', () => {
    const s = fakeSigma();
    const undo = quietOverlays(s as unknown as Sigma);
    expect(s.elements.hovers.style.display).toBe('none');
    expect(s.elements.hoverNodes.style.display).toBe('none');
    expect(s.elements.nodes.style.display).toBe('');
    s.render();
    expect(s.drawn).toEqual([]);
    s.hoveredNode = 'a';
    s.highlightedNodes.add('b');
    s.render();
    expect(s.drawn).toEqual(['box a 10,20,6', 'disc 10,20,6', 'box b 40,50,12', 'disc 40,50,12']);
    expect(s.elements.hovers.style.display).toBe('none');
    expect(s.sigmaDrew).toBe(0);
    undo();
    expect(s.elements.hovers.style.display).toBe('');
    s.render();
    expect(s.sigmaDrew).toBe(1);
  });

  it('asks for a render when sigma draws the hover outside of one', () => {
    const s = fakeSigma();
    quietOverlays(s as unknown as Sigma);
    s.hoveredNode = 'a';
    s.renderHighlightedNodes();
    expect(s.scheduled).toBe(1);
    expect(s.drawn).toEqual([]);
  });

  it('hides the edge label layer only while edge labels are off', () => {
    const off = fakeSigma(false);
    quietOverlays(off as unknown as Sigma);
    off.render();
    expect(off.elements.edgeLabels.style.display).toBe('none');
    const on = fakeSigma(true);
    quietOverlays(on as unknown as Sigma);
    on.render();
    expect(on.elements.edgeLabels.style.display).toBe('');
  });
});

describe('hoverLabels', () => {
  class Grid { getLabelsToDisplay() { return ['a', 'b', 'c']; } }
  function fake() {
    const seen: string[][] = [];
    const s = { labelGrid: new Grid(), renderLabels(this: { labelGrid: Grid }) { seen.push(this.labelGrid.getLabelsToDisplay()); return this; } };
    return { s, seen };
  }
  it('draws only the given nodes\' labels of those the grid picks, and all of them again when lifted', () => {
    const { s, seen } = fake();
    const labels = hoverLabels(s as unknown as Sigma);
    s.renderLabels();
    labels.only(new Set(['b', 'x']));
    s.renderLabels();
    labels.only(null);
    s.renderLabels();
    expect(seen).toEqual([['a', 'b', 'c'], ['b'], ['a', 'b', 'c']]);
    expect(Object.prototype.hasOwnProperty.call(s.labelGrid, 'getLabelsToDisplay')).toBe(false);
  });
});

/** A 2D context that logs what is done on it. */
function loggingContext() {
  const log: string[] = [];
  const ctx = {
    font: '', fillStyle: '',
    clearRect(x: number, y: number, w: number, h: number) { log.push(`clear ${x},${y},${w},${h}`); },
    fillText(t: string, x: number, y: number) { log.push(`text ${t} ${x},${y} ${this.font} ${this.fillStyle}`); },
    scale(a: number, b: number) { log.push(`scale ${a},${b}`); },
    measureText(t: string) { return { width: t.length * (this.font === 'big' ? 10 : 5) }; },
  };
  return { ctx, log };
}

describe('recordingContext', () => {
  it('records calls and property sets instead of drawing, measures text with the real context, and replays', () => {
    const { ctx, log } = loggingContext();
    const ops: CanvasOp[] = [];
    const rec = recordingContext(ctx as unknown as CanvasRenderingContext2D, ops);
    rec.font = 'big';
    expect(rec.measureText('abc').width).toBe(30);
    rec.clearRect(0, 0, 10, 20);
    rec.fillText('x', 1, 2);
    expect(log).toEqual([]);
    expect(ops).toEqual([['=', 'font', 'big'], ['clearRect', 0, 0, 10, 20], ['fillText', 'x', 1, 2]]);
    ctx.font = '';
    replay(ctx as unknown as CanvasRenderingContext2D, ops);
    expect(log).toEqual(['clear 0,0,10,20', 'text x 1,2 big ']);
  });

  it('compares recordings call by call', () => {
    expect(sameOps([['fillText', 'a', 1, 2]], [['fillText', 'a', 1, 2]])).toBe(true);
    expect(sameOps([['fillText', 'a', 1, 2]], [['fillText', 'a', 1, 3]])).toBe(false);
    expect(sameOps([['fillText', 'a', 1, 2]], [['fillText', 'a', 1, 2], ['fill']])).toBe(false);
    expect(sameOps([['=', 'fillStyle', '#000']], [['=', 'fillStyle', '#001']])).toBe(false);
  });
});

describe('stillLabels', () => {
  /** sigma's render as far as the label canvas goes: clear, then a label per entry of `labels`. */
  function fake() {
    const { ctx, log } = loggingContext();
    const handlers: Record<string, (() => void)[]> = {};
    const s = {
      labels: [['a', 1, 2]] as [string, number, number][],
      resized: false,
      canvasContexts: { labels: ctx as unknown as CanvasRenderingContext2D },
      on(ev: string, fn: () => void) { (handlers[ev] ??= []).push(fn); },
      off(ev: string, fn: () => void) { handlers[ev] = (handlers[ev] ?? []).filter(f => f !== fn); },
      render() {
        if (this.resized) { this.resized = false; this.canvasContexts.labels.scale(2, 2); handlers.resize?.forEach(f => f()); }
        const c = this.canvasContexts.labels;
        c.clearRect(0, 0, 100, 50);
        c.fillStyle = '#000';
        for (const [t, x, y] of this.labels) c.fillText(t, x, y);
        return this;
      },
      resize() { handlers.resize?.forEach(f => f()); },
    };
    return { s, log, ctx };
  }

  it('draws a render on the label canvas only when it differs from the last one', () => {
    const { s, log, ctx } = fake();
    const still = stillLabels(s as unknown as Sigma);
    s.render();
    expect(log).toEqual(['clear 0,0,100,50', 'text a 1,2  #000']);
    s.render();
    s.render();
    expect(log.length).toBe(2);
    expect(still.skipped).toBe(2);
    s.labels = [['a', 1, 3]];
    s.render();
    expect(log.slice(2)).toEqual(['clear 0,0,100,50', 'text a 1,3  #000']);
    s.labels = [];
    s.render();
    expect(log.slice(4)).toEqual(['clear 0,0,100,50']);
    expect(s.canvasContexts.labels).toBe(ctx); // the real context is back after each render
  });

  it('draws again after a resize (which empties the canvas), inside or outside a render', () => {
    const { s, log } = fake();
    stillLabels(s as unknown as Sigma);
    s.render();
    s.resize();
    s.render();
    expect(log).toEqual(['clear 0,0,100,50', 'text a 1,2  #000', 'clear 0,0,100,50', 'text a 1,2  #000']);
    s.resized = true;
    s.render();
    expect(log.slice(4)).toEqual(['scale 2,2', 'clear 0,0,100,50', 'text a 1,2  #000']);
  });

  it('with laterFrame, draws a changed render in the next animation frame, unless a newer render superseded it', () => {
    const frames: (() => void)[] = [];
    const raf = globalThis.requestAnimationFrame;
    globalThis.requestAnimationFrame = ((cb: () => void) => { frames.push(cb); return frames.length; }) as typeof requestAnimationFrame;
    try {
      const { s, log } = fake();
      stillLabels(s as unknown as Sigma, true);
      s.render();
      expect(log).toEqual([]);
      frames.shift()!();
      expect(log).toEqual(['clear 0,0,100,50', 'text a 1,2  #000']);
      s.labels = [['b', 1, 2]];
      s.render();
      s.labels = [['c', 1, 2]];
      s.render();
      frames.shift()!();
      expect(log.length).toBe(2); // the first of the two was superseded
      frames.shift()!();
      expect(log.slice(2)).toEqual(['clear 0,0,100,50', 'text c 1,2  #000']);
      s.labels = [['d', 1, 2]];
      s.render();
      s.labels = [['c', 1, 2]];
      s.render(); // back to what the canvas shows: nothing to draw
      frames.forEach(f => f());
      expect(log.length).toBe(4);
    } finally { globalThis.requestAnimationFrame = raf; }
  });

  it('undo gives sigma its own render back', () => {
    const { s, log } = fake();
    const still = stillLabels(s as unknown as Sigma);
    still.undo();
    s.render();
    s.render();
    expect(log.length).toBe(4);
  });
});
