// The parts of sigma 3.0.3 that slots.ts and positions.ts use and sigma does not expose (fields and methods that are
// not public API; sigma is pinned at 3.0.3 in package.json). One type for both, so that a sigma upgrade has one
// list to check.
//
// The other non-public uses, each typed where it is made (check them too on an upgrade):
// - layers.ts: `elements`, `canvasContexts` (hidden hover layers; the label canvas swapped for a recorder during a
//   render), `webGLContexts.hoverNodes`, `hoveredNode`, `highlightedNodes`, `nodeDataCache`, `nodePrograms`,
//   `settings`, `scaleSize`, `framedGraphToViewport`; `renderHighlightedNodes`, `renderLabels` and `render` replaced
//   on the instance (OverlayInternals, LabelInternals, StillInternals); `labelGrid.getLabelsToDisplay`.
// - programs.ts: `getNodeAtPosition` and `resetWebGLTexture` wrapped (lazy picking pass and texture), `nodeProgramIndex`, `edgeProgramIndex`,
//   `renderFrame`, `nodePrograms` / `edgePrograms` (litePrograms), sigma's `clear` of the edge context skipped
//   between the `beforeClear` / `afterClear` events.
// - GraphView.ts: `needToProcess`, `nodeProgramIndex`, `renderFrame`; and, of graphology-layout-forceatlas2's worker
//   supervisor (pinned too), `askForIterations` wrapped (the worker is held while a layout step is drawn).
// - bench/bench.ts: `renderFrame`, `needToProcess`, `elements.mouse`.

import type { Coordinates, EdgeDisplayData, NodeDisplayData } from 'sigma/types';
import type { createNormalizationFunction } from 'sigma/utils';

/** A node or edge program whose buffer has slack (programs.ts): capacity includes the spare slots. */
export interface SlotProgram {
  capacity: number;
  process(fingerprint: number, position: number, ...data: unknown[]): void;
  /**
   * Edge layer only: the next process() calls write new edges (drawn over the cached layer), clear removed ones or
   * move edges (the layout; redrawn in the background).
   */
  hotChange?(kind: 'add' | 'remove' | 'move' | null): void;
}

export interface SigmaInternals {
  needToProcess: boolean;
  nodeExtent: { x: [number, number]; y: [number, number] };
  customBBox: { x: [number, number]; y: [number, number] } | null;
  normalizationFunction: ReturnType<typeof createNormalizationFunction>;
  nodeDataCache: Record<string, NodeDisplayData>;
  edgeDataCache: Record<string, EdgeDisplayData>;
  nodeProgramIndex: Record<string, number>;
  edgeProgramIndex: Record<string, number>;
  nodeIndices: Record<string, number>;
  edgeIndices: Record<string, number>;
  itemIDsIndex: Record<number, { type: 'node' | 'edge'; id: string }>;
  labelGrid: {
    resizeAndClear(dimensions: { width: number; height: number }, cellSize: number): void;
    add(key: string, size: number, pos: Coordinates): void;
    organize(): void;
    cells: Record<string, { key: string }[]>;
  };
  nodePrograms: Record<string, SlotProgram>;
  edgePrograms: Record<string, SlotProgram>;
  updateNode(key: string): void;
  removeNode(key: string): void;
  updateEdge(key: string): void;
  removeEdge(key: string): void;
  addNodeToProgram(key: string, fingerprint: number, position: number): void;
  addEdgeToProgram(key: string, fingerprint: number, position: number): void;
}
