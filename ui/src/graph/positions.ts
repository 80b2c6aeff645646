// New node positions (the layout's) into sigma's buffers without its full process().
//
// sigma 3.0.3 answers every layout iteration (graphology's eachNodeAttributesUpdated) with a full process(): every
// node's reducer, the label grid, every node's and edge's vertices, and the edge layer drawn again at once; at 5,000
// nodes / 9,500 edges on software WebGL that made every frame of the initial layout take 150–350 ms. Here, while the
// layout runs, GraphView takes that listener off and, at most once per edge-layer redraw, writes the positions
// itself: the graph's extent and the normalisation (as process() computes them, so the graph keeps filling the
// view), each node's normalised position into its display data, the label grid and its slot in the node buffer,
// and each edge's slot in the edge buffer (the edge layer redraws them in the background and makes sigma render
// once when done, so nodes and edges move together). No reducer runs: colours, sizes and labels stay as they are.
//
// Uses sigma 3.0.3 fields and methods that are not public API (SigmaInternals in internals.ts); sigma is pinned in package.json.

import Sigma, { Camera } from 'sigma';
import { createNormalizationFunction, graphExtent, matrixFromCamera } from 'sigma/utils';
import type { SigmaInternals } from './internals';

/**
 * Writes the graph's current node positions into sigma's display data, label grid and node buffer (see the file's
 * comment); sigma draws them at its next render. {@link applyEdgePositions} follows (GraphView calls it in the next
 * frame: the two together were up to 35–40 ms of JavaScript at 5,000 nodes / 9,500 edges). Returns false, having
 * done nothing, when sigma will process the whole graph anyway (a full refresh is pending) or does not rescale
 * automatically.
 */
export function applyNodePositions(sigma: Sigma): boolean {
  const s = sigma as unknown as SigmaInternals;
  if (s.needToProcess || !sigma.getSetting('autoRescale')) return false;
  const graph = sigma.getGraph();
  s.nodeExtent = graphExtent(graph);
  const normalise = createNormalizationFunction(s.customBBox || s.nodeExtent);
  s.normalizationFunction = normalise;
  const dimensions = sigma.getDimensions();
  // process() places labels in the grid as seen by a camera at rest; the same here.
  const matrix = matrixFromCamera(new Camera().getState(), dimensions, sigma.getGraphDimensions(), sigma.getStagePadding());
  s.labelGrid.resizeAndClear(dimensions, sigma.getSetting('labelGridCellSize'));
  graph.forEachNode((node, attrs) => {
    const data = s.nodeDataCache[node];
    if (!data) return;
    data.x = attrs.x;
    data.y = attrs.y;
    normalise.applyTo(data);
    if (typeof data.label === 'string' && !data.hidden) s.labelGrid.add(node, data.size, sigma.framedGraphToViewport(data, { matrix }));
    const p = s.nodeProgramIndex[node];
    if (p !== undefined) s.nodePrograms[data.type].process(s.nodeIndices[node], p, data);
  });
  s.labelGrid.organize();
  return true;
}

/**
 * Writes every edge's vertices again from its extremities' display data (after {@link applyNodePositions}); the edge
 * layer redraws them in the background ('move'). Returns false when sigma will process the whole graph anyway.
 */
export function applyEdgePositions(sigma: Sigma): boolean {
  const s = sigma as unknown as SigmaInternals;
  if (s.needToProcess) return false;
  const programs = Object.values(s.edgePrograms);
  for (const p of programs) p.hotChange?.('move');
  try {
    sigma.getGraph().forEachEdge(edge => {
      const p = s.edgeProgramIndex[edge];
      if (p !== undefined && s.edgeDataCache[edge]) s.addEdgeToProgram(edge, s.edgeIndices[edge], p);
    });
  } finally {
    for (const p of programs) p.hotChange?.(null);
  }
  return true;
}

/** Both at once (nodes, then edges). */
export function applyPositions(sigma: Sigma): boolean {
  return applyNodePositions(sigma) && applyEdgePositions(sigma);
}
