import type { GraphView } from './GraphView';

/** What the page asks of the graph canvas. */
export type GraphSurface = Pick<GraphView, 'clear' | 'destroy' | 'fit' | 'focus' | 'relayout' | 'resize'
  | 'setData' | 'setSelection' | 'setSizeMetric' | 'sizeMetricName' | 'zoom'>;

/** Whether this browser can give sigma a WebGL context (without one, `new Sigma` throws). */
export function webglAvailable(): boolean {
  try {
    const canvas = document.createElement('canvas');
    return !!(canvas.getContext('webgl2') ?? canvas.getContext('webgl'));
  } catch {
    return false;
  }
}

/** Stands in for the graph when the browser has no WebGL: the page runs in table mode only. */
export class NoGraph implements GraphSurface {
  readonly sizeMetricName = '';
  clear() { /* nothing drawn */ }
  destroy() { /* nothing drawn */ }
  fit() { /* nothing drawn */ }
  focus() { /* nothing drawn */ }
  relayout() { /* nothing drawn */ }
  resize() { /* nothing drawn */ }
  setData() { return { added: 0, fresh: false, deferred: false }; }
  setSelection() { /* nothing drawn */ }
  setSizeMetric() { /* nothing drawn */ }
  zoom() { /* nothing drawn */ }
}
