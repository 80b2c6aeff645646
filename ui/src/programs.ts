// WebGL programs for sigma that stay cheap on software WebGL (SwiftShader: no GPU, or a blocklisted one).
// sigma 3's default node and edge programs are instanced; SwiftShader draws an instanced call about one instance
// at a time, and at 5,000 nodes / 10,000 edges one frame took 0.7 s here. These draw the same items with plain
// drawArrays: nodes as points (sigma's own NodePointProgram), edges as one flat quad plus an arrow head each
// (EdgeArrowLiteProgram below, no anti-aliasing). Measured in ui/BENCHMARK.md.
import type Sigma from 'sigma';
import { EdgeProgram, NodePointProgram } from 'sigma/rendering';
import type { EdgeProgramType, ProgramInfo } from 'sigma/rendering';
import type { Coordinates, EdgeDisplayData, NodeDisplayData, RenderParams } from 'sigma/types';
import { floatColor, matrixFromCamera } from 'sigma/utils';
import { slack } from './graph/slotPool';

const { UNSIGNED_BYTE, FLOAT, TRIANGLES } = WebGLRenderingContext;

const VERTEX_SHADER = /* glsl */ `
attribute vec4 a_id;
attribute vec4 a_color;
attribute vec2 a_source;
attribute vec2 a_target;
attribute float a_thickness;
attribute float a_targetSize;
attribute vec2 a_shape;

uniform mat3 u_matrix;
uniform vec2 u_viewport;
uniform float u_sizeRatio;
// When its alpha is not 0: the colour of every edge drawn (the hover highlight), instead of a_color.
uniform vec4 u_override;

varying vec4 v_color;

const float bias = 255.0 / 254.0;

// Works in CSS pixels around the viewport's centre: the edge keeps its pixel thickness at any zoom (as sigma's
// own edges do, through sizeRatio) and its head ends on the target node's rim.
void main() {
  vec2 halfView = u_viewport * 0.5;
  vec2 s = (u_matrix * vec3(a_source, 1.0)).xy * halfView;
  vec2 t = (u_matrix * vec3(a_target, 1.0)).xy * halfView;
  vec2 d = t - s;
  float len = length(d);
  vec2 dir = len > 0.0 ? d / len : vec2(1.0, 0.0);
  vec2 normal = vec2(-dir.y, dir.x);
  float thickness = max(1.0, a_thickness / u_sizeRatio);
  float radius = a_targetSize / u_sizeRatio;
  float headLength = min(3.0 * thickness + 4.0, len * 0.5);
  float headHalfWidth = 1.2 * thickness + 2.5;
  vec2 base = t - dir * (radius + headLength);
  vec2 p;
  float w;
  // a_shape.x: 0 source end, 1 body's end, 2 head's base, 3 tip; a_shape.y: side (-1, 0, 1).
  if (a_shape.x < 0.5) { p = s; w = thickness * 0.5; }
  else if (a_shape.x < 1.5) { p = base; w = thickness * 0.5; }
  else if (a_shape.x < 2.5) { p = base; w = headHalfWidth; }
  else { p = t - dir * radius; w = 0.0; }
  gl_Position = vec4((p + normal * a_shape.y * w) / halfView, 0.0, 1.0);

  #ifdef PICKING_MODE
  v_color = a_id;
  #else
  v_color = u_override.a > 0.0 ? u_override : a_color;
  #endif
  v_color.a *= bias;
}
`;

const FRAGMENT_SHADER = /* glsl */ `
precision mediump float;
varying vec4 v_color;
void main(void) { gl_FragColor = v_color; }
`;

/** The quad's two triangles, then the head's triangle: [which point, side]. */
const SHAPE: [number, number][] = [[0, -1], [0, 1], [1, 1], [0, -1], [1, 1], [1, -1], [2, -1], [2, 1], [3, 0]];
const UNIFORMS = ['u_matrix', 'u_viewport', 'u_sizeRatio', 'u_override'] as const;

/** A directed edge: a flat quad from the source to an arrow head on the target's rim, 9 vertices, not instanced. */
export class EdgeArrowLiteProgram extends EdgeProgram<(typeof UNIFORMS)[number]> {
  getDefinition() {
    return {
      VERTICES: SHAPE.length,
      VERTEX_SHADER_SOURCE: VERTEX_SHADER,
      FRAGMENT_SHADER_SOURCE: FRAGMENT_SHADER,
      METHOD: TRIANGLES,
      UNIFORMS,
      ATTRIBUTES: [
        { name: 'a_source', size: 2, type: FLOAT },
        { name: 'a_target', size: 2, type: FLOAT },
        { name: 'a_thickness', size: 1, type: FLOAT },
        { name: 'a_targetSize', size: 1, type: FLOAT },
        { name: 'a_shape', size: 2, type: FLOAT },
        { name: 'a_color', size: 4, type: UNSIGNED_BYTE, normalized: true },
        { name: 'a_id', size: 4, type: UNSIGNED_BYTE, normalized: true },
      ],
    };
  }

  processVisibleItem(edgeIndex: number, startIndex: number, source: NodeDisplayData, target: NodeDisplayData, data: EdgeDisplayData) {
    const a = this.array;
    const color = floatColor(data.color);
    let i = startIndex;
    for (const [k, side] of SHAPE) {
      a[i++] = source.x; a[i++] = source.y; a[i++] = target.x; a[i++] = target.y;
      a[i++] = data.size || 1; a[i++] = target.size;
      a[i++] = k; a[i++] = side;
      a[i++] = color; a[i++] = edgeIndex;
    }
  }

  /** Colour (r, g, b, a in 0..1) that replaces every edge's own while drawing the hover highlight; null: their own. */
  override: [number, number, number, number] | null = null;

  setUniforms(params: RenderParams, { gl, uniformLocations }: ProgramInfo) {
    gl.uniformMatrix3fv(uniformLocations.u_matrix, false, params.matrix);
    gl.uniform2f(uniformLocations.u_viewport, params.width, params.height);
    gl.uniform1f(uniformLocations.u_sizeRatio, params.sizeRatio);
    if (uniformLocations.u_override) gl.uniform4fv(uniformLocations.u_override, this.override ?? [0, 0, 0, 0]);
  }

  /**
   * Draws the items at these buffer positions (copied out of the vertex array into a buffer of their own) into
   * {@code frameBuffer} (null: the canvas), in {@link override}'s colour when set. For the hover highlight: a few
   * edges, without touching the main buffer.
   */
  drawItems(params: RenderParams, frameBuffer: WebGLFramebuffer | null, positions: readonly number[]) {
    if (!positions.length) return;
    const info = this.normalProgram;
    const { gl } = info;
    const data = gatherItems(this.array, this.STRIDE, positions);
    this.itemBuffer ??= gl.createBuffer()!;
    gl.bindBuffer(gl.ARRAY_BUFFER, this.itemBuffer);
    gl.bufferData(gl.ARRAY_BUFFER, data, gl.DYNAMIC_DRAW);
    this.drawFrom(this.itemBuffer, params, frameBuffer, 0, positions.length);
  }
  private itemBuffer: WebGLBuffer | null = null;

  /** Uploads these items' vertices into the GL buffer that the last full render filled (bufferSubData). */
  upload(positions: Iterable<number>) {
    const { gl, buffer } = this.normalProgram;
    gl.bindBuffer(gl.ARRAY_BUFFER, buffer);
    for (const p of positions) gl.bufferSubData(gl.ARRAY_BUFFER, p * this.STRIDE * 4, this.array.subarray(p * this.STRIDE, (p + 1) * this.STRIDE));
    gl.bindBuffer(gl.ARRAY_BUFFER, null);
  }

  /** Uploads the whole vertex array into the GL buffer, (re)sizing it (no render has filled it yet). */
  uploadWhole() {
    const { gl, buffer } = this.normalProgram;
    gl.bindBuffer(gl.ARRAY_BUFFER, buffer);
    gl.bufferData(gl.ARRAY_BUFFER, this.array, gl.DYNAMIC_DRAW);
    gl.bindBuffer(gl.ARRAY_BUFFER, null);
  }

  /** Uploads the whole vertex array into the GL buffer that the last full render filled (same size). */
  uploadAll() {
    const { gl, buffer } = this.normalProgram;
    gl.bindBuffer(gl.ARRAY_BUFFER, buffer);
    gl.bufferSubData(gl.ARRAY_BUFFER, 0, this.array);
    gl.bindBuffer(gl.ARRAY_BUFFER, null);
  }

  /** Draws items [first, first + count) from the GL buffer as it is (no upload) into {@code frameBuffer}. */
  drawRange(params: RenderParams, frameBuffer: WebGLFramebuffer, first: number, count: number) {
    this.drawFrom(this.normalProgram.buffer, params, frameBuffer, first, count);
  }

  /** Draws items [first, first + count) of {@code buffer} with the normal program into {@code frameBuffer}. */
  private drawFrom(buffer: WebGLBuffer, params: RenderParams, frameBuffer: WebGLFramebuffer | null, first: number, count: number) {
    const info = this.normalProgram;
    const { gl } = info;
    gl.bindBuffer(gl.ARRAY_BUFFER, buffer);
    let offset = 0;
    for (const attr of this.ATTRIBUTES) offset += this.bindAttribute(attr, info, offset);
    gl.bindBuffer(gl.ARRAY_BUFFER, null);
    gl.enable(gl.BLEND);
    gl.useProgram(info.program);
    this.setUniforms(params, info);
    gl.bindFramebuffer(gl.FRAMEBUFFER, frameBuffer);
    gl.drawArrays(TRIANGLES, first * this.VERTICES, count * this.VERTICES);
    this.unbindProgram(info);
  }

  /** Points the normal program at another frame buffer (the edge layer's texture). */
  target(frameBuffer: WebGLFramebuffer) { this.normalProgram.frameBuffer = frameBuffer; }

  kill() {
    if (this.itemBuffer) this.normalProgram.gl.deleteBuffer(this.itemBuffer);
    super.kill();
  }

  /** Drops the picking program: without edge events sigma never reads the edge picking layer. */
  dropPicking() {
    if (!this.pickProgram) return;
    const { gl, program, buffer, vertexShader, fragmentShader } = this.pickProgram;
    gl.deleteProgram(program); gl.deleteBuffer(buffer); gl.deleteShader(vertexShader); gl.deleteShader(fragmentShader);
    this.pickProgram = null;
  }
}

// sigma's point vertex shader (sigma 3.0.3, rendering/programs/node-point) with one addition: u_dim.
const POINT_VERTEX_SHADER = /* glsl */ `
attribute vec4 a_id;
attribute vec4 a_color;
attribute vec2 a_position;
attribute float a_size;

uniform float u_sizeRatio;
uniform float u_pixelRatio;
uniform mat3 u_matrix;
// When its alpha is not 0: the colour of every node drawn (the others while one is hovered), instead of a_color.
uniform vec4 u_dim;

varying vec4 v_color;
varying float v_border;

const float bias = 255.0 / 254.0;

void main() {
  gl_Position = vec4((u_matrix * vec3(a_position, 1)).xy, 0, 1);
  gl_PointSize = a_size / u_sizeRatio * u_pixelRatio * 2.0;
  v_border = (0.5 / a_size) * u_sizeRatio;
  #ifdef PICKING_MODE
  v_color = a_id;
  #else
  v_color = u_dim.a > 0.0 ? u_dim : a_color;
  #endif
  v_color.a *= bias;
}
`;

/**
 * sigma's point program with spare slots at the end of its buffer (slots.ts), a picking pass drawn only when
 * sigma reads the picking layer, and a hover highlight that costs no re-processing.
 *
 * Picking: sigma draws every node twice per render, once more into its picking texture (which it re-creates empty
 * on each render) for hover and click; on software WebGL that second pass cost about 9 ms of each repaint. Here
 * render() draws the visible pass only and keeps its parameters; the picking pass is drawn with them when sigma
 * next calls getNodeAtPosition (a pointer move or a click), at most once per render. sigma's replacement of the
 * picking texture (a new full-size texture on every render) is deferred to that moment too.
 *
 * Highlight ({@link setHighlight}): every node is drawn in the dim colour (a uniform), then the highlighted ones
 * again on top in their own colours, from a small buffer of their own. Hovering a node thus changes no node's entry
 * in the main buffer: sigma does not re-process the graph for it.
 */
export class SlackNodePointProgram extends NodePointProgram {
  private pickParams: RenderParams | null = null;
  private killed = false;
  private highlight: { keys: readonly string[]; dim: [number, number, number, number] } | null = null;
  private dim: [number, number, number, number] | null = null;
  private itemBuffer: WebGLBuffer | null = null;
  private readonly sigma: Sigma;
  private resetPickingTexture: (() => void) | null = null;
  private pickingTextureDue = false;

  constructor(gl: WebGLRenderingContext, pickingBuffer: WebGLFramebuffer | null, renderer: Sigma) {
    super(gl, pickingBuffer, renderer);
    this.sigma = renderer;
    if (pickingBuffer) {
      const r = renderer as unknown as { getNodeAtPosition(p: Coordinates): string | null; resetWebGLTexture(id: string): unknown };
      const read = r.getNodeAtPosition.bind(renderer);
      r.getNodeAtPosition = p => { this.drawPicking(); return read(p); };
      // sigma replaces the picking texture with a new, empty one on every render (a full-size texture allocated and
      // cleared by SwiftShader each time); here that happens when the picking pass is drawn.
      const reset = r.resetWebGLTexture.bind(renderer);
      this.resetPickingTexture = () => reset('nodes');
      r.resetWebGLTexture = id => { if (id === 'nodes') this.pickingTextureDue = true; else reset(id); return renderer; };
    }
  }

  getDefinition() {
    const def = super.getDefinition();
    return { ...def, VERTEX_SHADER_SOURCE: POINT_VERTEX_SHADER, UNIFORMS: [...def.UNIFORMS, 'u_dim'] as unknown as typeof def.UNIFORMS };
  }

  setUniforms(params: RenderParams, info: ProgramInfo) {
    super.setUniforms(params, info);
    const at = (info.uniformLocations as Record<string, WebGLUniformLocation | undefined>).u_dim;
    if (at) info.gl.uniform4fv(at, this.dim ?? [0, 0, 0, 0]);
  }

  /**
   * From the next render on: every node but {@code keys} drawn in {@code dim} (a CSS colour), {@code keys} on top in
   * their own colours; null: every node in its own colour. The caller schedules the render.
   */
  setHighlight(keys: readonly string[] | null, dim = '#cfd6dd') {
    this.highlight = keys ? { keys, dim: cssColour(dim) } : null;
  }

  reallocate(capacity: number) {
    super.reallocate(capacity + slack(capacity));
    // reallocate() keeps the old array when the capacity is unchanged: clear what process() does not write.
    this.array.fill(0, capacity * this.STRIDE);
  }

  render(params: RenderParams) {
    this.pickParams = null;
    if (this.hasNothingToRender()) return;
    this.pickParams = this.pickProgram ? params : null;
    const info = this.normalProgram;
    info.gl.viewport(0, 0, params.width * params.pixelRatio, params.height * params.pixelRatio);
    this.bindProgram(info);
    this.dim = this.highlight?.dim ?? null;
    this.renderProgram(params, info);
    this.dim = null;
    this.unbindProgram(info);
    if (this.highlight) this.drawHighlighted(params, this.highlight.keys);
  }

  /** Draws these nodes again, in their own colours, over the dimmed pass. */
  private drawHighlighted(params: RenderParams, keys: readonly string[]) {
    const index = (this.sigma as unknown as { nodeProgramIndex: Record<string, number> }).nodeProgramIndex;
    const positions: number[] = [];
    for (const k of keys) { const p = index[k]; if (p !== undefined && p < this.capacity) positions.push(p); }
    if (!positions.length) return;
    const info = this.normalProgram;
    const { gl } = info;
    this.itemBuffer ??= gl.createBuffer()!;
    gl.bindBuffer(gl.ARRAY_BUFFER, this.itemBuffer);
    let offset = 0;
    for (const attr of this.ATTRIBUTES) offset += this.bindAttribute(attr, info, offset);
    gl.bufferData(gl.ARRAY_BUFFER, gatherItems(this.array, this.STRIDE, positions), gl.DYNAMIC_DRAW);
    gl.bindBuffer(gl.ARRAY_BUFFER, null);
    gl.enable(gl.BLEND);
    gl.useProgram(info.program);
    this.setUniforms(params, info);
    gl.bindFramebuffer(gl.FRAMEBUFFER, info.frameBuffer);
    gl.drawArrays(gl.POINTS, 0, positions.length);
    this.unbindProgram(info);
  }

  /** Draws the picking pass of the last render into sigma's picking texture, if not done yet. */
  drawPicking() {
    if (this.killed) return;
    // A render since the last picking pass: a new, empty texture (also when there is nothing to draw on it).
    if (this.pickingTextureDue) { this.pickingTextureDue = false; this.resetPickingTexture?.(); }
    const params = this.pickParams, info = this.pickProgram;
    if (!params || !info) return;
    this.pickParams = null;
    const ratio = params.pixelRatio / params.downSizingRatio;
    info.gl.viewport(0, 0, params.width * ratio, params.height * ratio);
    this.bindProgram(info);
    this.renderProgram({ ...params, pixelRatio: ratio }, info);
    this.unbindProgram(info);
  }

  kill() {
    this.killed = true;
    if (this.itemBuffer) this.normalProgram.gl.deleteBuffer(this.itemBuffer);
    super.kill();
  }
}

/** The items at these positions of a program's vertex array (stride floats each), packed. */
export function gatherItems(array: Float32Array, stride: number, positions: readonly number[]): Float32Array {
  const out = new Float32Array(positions.length * stride);
  positions.forEach((p, i) => out.set(array.subarray(p * stride, (p + 1) * stride), i * stride));
  return out;
}

/** A CSS hex colour (#rgb or #rrggbb) as r, g, b, a in 0..1. */
export function cssColour(hex: string): [number, number, number, number] {
  const h = hex.replace('#', '');
  const full = h.length === 3 ? [...h].map(c => c + c).join('') : h;
  return [0, 2, 4].map(i => parseInt(full.slice(i, i + 2), 16) / 255).concat(1) as [number, number, number, number];
}

const BLIT_VERTEX = /* glsl */ `
attribute vec2 a_position;
varying vec2 v_uv;
void main() { v_uv = a_position * 0.5 + 0.5; gl_Position = vec4(a_position, 0.0, 1.0); }
`;
const BLIT_FRAGMENT = /* glsl */ `
precision mediump float;
uniform sampler2D u_texture;
varying vec2 v_uv;
void main() { gl_FragColor = texture2D(u_texture, v_uv); }
`;

/** A texture the edge layer draws into, with its frame buffer. */
interface Layer { texture: WebGLTexture; frameBuffer: WebGLFramebuffer }

/**
 * Wraps an edge program so that its edges are drawn into a texture, and the texture is copied to the screen on
 * every frame in which neither the edges (sigma processed some) nor the camera or the canvas size changed: a
 * delta that only recolours or resizes nodes then costs one textured rectangle for the edge layer instead of
 * 10,000 edges. sigma clears its canvases on every render, so the copy is drawn each time.
 *
 * Edges that a live delta adds, removes or changes do not redraw the layer at once, and not in sigma's render
 * (whose frame the node repaint fills): in a later animation frame of their own (one unit of work per frame, frames
 * in which sigma renders are skipped), added and changed edges are drawn over the texture and the texture is shown
 * again; removed ones are zeroed in the buffer, and the whole layer is drawn again in the background, a slice of
 * edges per frame ({@link sliceEdges}, adapted to how fast the GPU process draws them; on WebGL 2 each slice is
 * followed by a fence that the next frames poll, so this thread never waits for it, see {@link sliceSync}) into a
 * second texture, which then
 * replaces the first. Until then removed edges stay on screen (a few frames), a changed edge's old drawing stays
 * under the new one, and added ones appear a frame or two after their nodes. Added and removed edges come through
 * free slots (slots.ts, {@link hotChange}); a changed edge (its traffic) through sigma's partial refresh.
 *
 * Moved edges (the layout, {@link hotChange} 'move') are only redrawn in the background; when that redraw is
 * swapped in, sigma renders once more (the nodes' new positions, written into their buffer with the edges', are
 * drawn in the same frame as the edges').
 *
 * While a node is hovered ({@link setHighlight}) the edge canvas shows only its edges, in the highlight colour,
 * drawn from a small buffer of their own; the texture stays as it is and is shown again afterwards. Both changes of
 * the edge canvas (hover on, hover off) happen in the layer's next frame of its own, a frame after sigma's render
 * has repainted the nodes for that hover (unless the camera moved meanwhile).
 *
 * While the initial layout of a large graph runs ({@link setHidden}, GraphView), the edge canvas is empty and the
 * layer does no work; afterwards the edges are drawn in the background at their final positions and shown.
 *
 * A camera move, a resize or a full process draws everything at once, in sigma's render, as before.
 */
export function cachedEdgeLayer(Inner: typeof EdgeArrowLiteProgram): EdgeProgramType {
  return class CachedEdgeLayer {
    drawLabel = undefined;
    private readonly inner: EdgeArrowLiteProgram;
    private readonly gl: WebGLRenderingContext;
    private readonly renderer: Sigma;
    private readonly blit: WebGLProgram;
    private readonly quad: WebGLBuffer;
    private readonly textureAt: WebGLUniformLocation;
    private readonly positionAt: number;
    private front: Layer;
    private back: Layer;
    private width = 0;
    private height = 0;
    private drawn = '';
    private dirty = true;
    /** Set by SigmaSlots around its process() calls, and by the layout around its position updates. */
    private mode: 'add' | 'remove' | 'move' | null = null;
    /** Slots written since the GL buffer was last filled whole: uploaded with bufferSubData before the next draw. */
    private readonly pending = new Set<number>();
    /** Added and changed edges to draw over the front texture. */
    private appended: number[] = [];
    /** Removed, changed or moved edges are still in the front texture as they were: the background redraw is due. */
    private stale = false;
    /** Background redraw: next slot to draw into the back texture (-1: not running). */
    private cursor = -1;
    private restart = false;
    /** sigma renders once the background redraw is swapped in (moved edges: their nodes moved too). */
    private renderAtSwap = false;
    private frame = 0;
    private params: RenderParams | null = null;
    /** The parameters the background redraw draws with. */
    private bgParams: RenderParams | null = null;
    private readonly pixel = new Uint8Array(4);
    /** WebGL 2: the fence after the last background slice; the next one (or the swap) waits until it has passed. */
    private fence: WebGLSync | null = null;
    /** Ticks that found {@link fence} not passed yet. */
    private fenceWaits = 0;
    /** The background redraw is complete: the textures are swapped once its last slice has been drawn (fence). */
    private swapDue = false;
    /** What the edge canvas shows: '' (nothing known), 'front' (the front texture) or the highlight's key. */
    private shown = '';
    /** The view (viewKey) of what the edge canvas shows; '' when it is empty or unknown. */
    private shownView = '';
    /**
     * The edge canvas is to change (a hover began or ended) without a camera move: done in the layer's next frame of
     * its own, not in sigma's render, which repaints the nodes for the same hover (both in one frame, with the
     * compositing of two changed canvases, were the long frames of hovering on software WebGL).
     */
    private showDue = false;
    private sigmaClearing = false;
    private rendered = false;
    /** sigma rendered since the layer's last frame of its own. */
    private justRendered = false;
    private readonly clearCanvas: () => void;
    /** Hover highlight: these edges only, in this colour. */
    private highlight: { keys: readonly string[]; colour: [number, number, number, number] } | null = null;
    /** Counts writes of edge data (any process call): the highlight is drawn again when its edges may have changed. */
    private version = 0;
    /**
     * 'on': the edge canvas stays empty (the initial layout of a large graph moves the nodes, see setHidden);
     * 'swap': it stays empty until the background redraw that brings the edges up to date is swapped in.
     */
    private hidden: 'on' | 'swap' | null = null;

    constructor(gl: WebGLRenderingContext, pickingBuffer: WebGLFramebuffer | null, renderer: Sigma) {
      this.inner = new Inner(gl, pickingBuffer, renderer);
      // sigma clears every canvas on each render; the edge canvas is left alone (not cleared, not drawn, so not
      // composited again: about 15 ms of each repaint on software WebGL) unless the edge layer changed.
      const clear = gl.clear.bind(gl);
      this.clearCanvas = () => { gl.bindFramebuffer(gl.FRAMEBUFFER, null); clear(gl.COLOR_BUFFER_BIT); };
      gl.clear = (mask: number) => { if (!this.sigmaClearing) clear(mask); };
      renderer.on('beforeClear', () => { this.sigmaClearing = true; });
      renderer.on('afterClear', () => { this.sigmaClearing = false; });
      renderer.on('beforeRender', () => { this.rendered = false; this.justRendered = true; });
      // sigma stops before drawing edges when the graph is empty: clear the canvas then.
      renderer.on('afterRender', () => { if (!this.rendered) { this.clearCanvas(); this.shown = ''; this.shownView = ''; } });
      if (!renderer.getSetting('enableEdgeEvents')) this.inner.dropPicking();
      this.gl = gl;
      this.renderer = renderer;
      this.blit = link(gl, BLIT_VERTEX, BLIT_FRAGMENT);
      this.textureAt = gl.getUniformLocation(this.blit, 'u_texture')!;
      this.positionAt = gl.getAttribLocation(this.blit, 'a_position');
      this.quad = gl.createBuffer()!;
      gl.bindBuffer(gl.ARRAY_BUFFER, this.quad);
      gl.bufferData(gl.ARRAY_BUFFER, new Float32Array([-1, -1, 3, -1, -1, 3]), gl.STATIC_DRAW); // one triangle over the viewport
      this.front = { texture: gl.createTexture()!, frameBuffer: gl.createFramebuffer()! };
      this.back = { texture: gl.createTexture()!, frameBuffer: gl.createFramebuffer()! };
      this.inner.target(this.front.frameBuffer);
    }

    /** Capacity of the buffer, spare slots included. */
    get capacity() { return this.inner.capacity; }

    /** Whether a background redraw is due or running (the layout waits for it before moving edges again). */
    get busy() { return this.stale || this.cursor >= 0 || this.appended.length > 0 || this.renderAtSwap; }

    reallocate(capacity: number) {
      this.inner.reallocate(capacity + slack(capacity));
      // reallocate() keeps the old array when the capacity is unchanged: clear what process() does not write.
      this.inner.array.fill(0, capacity * this.inner.STRIDE);
      this.dirty = true;
    }

    /**
     * true: from now on the edge canvas is empty and the layer does no work of its own (the layout of a large graph
     * moves every node a few times a second; drawing 10,000 edges again for each move is what made those frames
     * long on software WebGL, as sigma's hideEdgesOnMove does for camera moves). false: the edges come back once
     * drawn in the background at their current positions (the caller has written them), then sigma renders once.
     */
    setHidden(hidden: boolean) {
      if (hidden) {
        this.hidden = 'on';
        if (this.cursor >= 0) this.stale = true;
        this.stopBackground();
        if (this.shown !== 'hidden') { this.clearCanvas(); this.shown = 'hidden'; this.shownView = ''; }
        return;
      }
      if (this.hidden !== 'on') return;
      this.hidden = 'swap';
      if (this.dirty && this.params) {
        // Never drawn since the graph was processed: upload the whole buffer and draw it in the background.
        this.inner.uploadWhole();
        this.pending.clear();
        this.appended = [];
        this.dirty = false;
        this.stale = true;
        this.renderAtSwap = true;
        // What the background redraw will have drawn: sigma's renders meanwhile need not draw everything at once.
        this.drawn = viewKey(this.nextParams());
      }
      if (this.stale || this.appended.length || this.cursor >= 0) this.schedule();
      else { this.hidden = null; this.shown = ''; this.show(); }
    }

    hotChange(kind: 'add' | 'remove' | 'move' | null) {
      this.mode = kind;
      // The work is done in animation frames of the layer's own (the layout's moves come without a sigma render).
      if (kind === null && this.params && (this.stale || this.appended.length)) this.schedule();
    }

    /**
     * From the next render on: only these edges on the edge canvas, in {@code colour} (a CSS colour); null: the
     * whole layer again. The caller schedules the render.
     */
    setHighlight(keys: readonly string[] | null, colour = '#1f5fa8') {
      this.highlight = keys ? { keys, colour: cssColour(colour) } : null;
      this.shown = '';
    }

    process(edgeIndex: number, offset: number, source: NodeDisplayData, target: NodeDisplayData, data: EdgeDisplayData) {
      this.inner.process(edgeIndex, offset, source, target, data);
      this.version++;
      // In a full process (reallocate came first) or with a full redraw due anyway.
      if (this.dirty) return;
      this.pending.add(offset);
      // Added, or changed by a partial refresh (its traffic): drawn over the layer.
      if (this.mode === 'add' || this.mode === null) this.appended.push(offset);
      // Removed, changed or moved: what the layer shows of it is wrong until the background redraw.
      if (this.mode !== 'add') {
        this.stale = true;
        // The background pass already drew this slot as it was.
        if (this.cursor > offset) this.restart = true;
      }
      if (this.mode === 'move') this.renderAtSwap = true;
    }

    render(params: RenderParams) {
      const gl = this.gl;
      const w = Math.round(params.width * params.pixelRatio), h = Math.round(params.height * params.pixelRatio);
      const view = viewKey(params);
      this.params = params;
      this.rendered = true;
      if (w !== this.width || h !== this.height) {
        for (const layer of [this.front, this.back]) {
          gl.bindTexture(gl.TEXTURE_2D, layer.texture);
          gl.texImage2D(gl.TEXTURE_2D, 0, gl.RGBA, w, h, 0, gl.RGBA, gl.UNSIGNED_BYTE, null);
          for (const p of [gl.TEXTURE_MIN_FILTER, gl.TEXTURE_MAG_FILTER]) gl.texParameteri(gl.TEXTURE_2D, p, gl.NEAREST);
          for (const p of [gl.TEXTURE_WRAP_S, gl.TEXTURE_WRAP_T]) gl.texParameteri(gl.TEXTURE_2D, p, gl.CLAMP_TO_EDGE);
          gl.bindFramebuffer(gl.FRAMEBUFFER, layer.frameBuffer);
          gl.framebufferTexture2D(gl.FRAMEBUFFER, gl.COLOR_ATTACHMENT0, gl.TEXTURE_2D, layer.texture, 0);
        }
        this.width = w; this.height = h; this.dirty = true; this.shown = ''; this.shownView = '';
      }
      if (this.hidden === 'on') {
        if (this.shown !== 'hidden') { this.clearCanvas(); this.shown = 'hidden'; this.shownView = ''; }
        return;
      }
      if (this.highlight) {
        // The texture is brought up to date after the hover (a camera move or a full process meanwhile redraws it
        // then); the canvas shows the hovered node's edges only.
        const key = `${view}|${this.version}`;
        if (this.shown !== key) { if (this.shownView === view) this.deferShow(); else this.showHighlight(params, key); }
        return;
      }
      let drew = false;
      if (this.dirty || view !== this.drawn) {
        drew = true;
        benchTrace('edges:all', 0);
        this.stopBackground();
        gl.bindFramebuffer(gl.FRAMEBUFFER, this.front.frameBuffer);
        gl.viewport(0, 0, w, h);
        gl.clearColor(0, 0, 0, 0);
        gl.clear(gl.COLOR_BUFFER_BIT);
        this.inner.target(this.front.frameBuffer);
        this.inner.render(params); // uploads the whole buffer
        this.pending.clear();
        this.appended = [];
        this.stale = false;
        this.renderAtSwap = false;
        this.drawn = view;
        this.dirty = false;
        this.shown = '';
        this.hidden = null;
      } else if (this.appended.length || this.stale) this.schedule();
      if (this.shown !== 'front') { if (!drew && this.shownView === view) this.deferShow(); else this.show(); }
    }

    private deferShow() {
      this.showDue = true;
      this.schedule();
    }

    /** Uploads the slots written since the last draw (the whole buffer when many were). */
    private flush() {
      if (!this.pending.size) return;
      if (this.pending.size > this.inner.capacity / 8) this.inner.uploadAll();
      else this.inner.upload(this.pending);
      this.pending.clear();
    }

    /** Copies the front texture to the edge canvas (or, while a node is hovered, draws its edges). */
    private show() {
      this.showDue = false;
      if (this.hidden) { if (this.shown !== 'hidden') { this.clearCanvas(); this.shown = 'hidden'; this.shownView = ''; } return; }
      if (this.highlight) { this.shown = ''; if (this.params) this.showHighlight(this.params, ''); return; }
      const gl = this.gl;
      // The copy covers the whole canvas and replaces its pixels (no blending): no clear before it.
      gl.bindFramebuffer(gl.FRAMEBUFFER, null);
      this.shown = 'front';
      this.shownView = this.drawn;
      gl.viewport(0, 0, this.width, this.height);
      gl.useProgram(this.blit);
      gl.disable(gl.BLEND);
      gl.activeTexture(gl.TEXTURE0);
      gl.bindTexture(gl.TEXTURE_2D, this.front.texture);
      gl.uniform1i(this.textureAt, 0);
      const at = this.positionAt;
      gl.bindBuffer(gl.ARRAY_BUFFER, this.quad);
      gl.enableVertexAttribArray(at);
      gl.vertexAttribPointer(at, 2, gl.FLOAT, false, 0, 0);
      gl.drawArrays(gl.TRIANGLES, 0, 3);
      gl.disableVertexAttribArray(at);
      gl.enable(gl.BLEND);
    }

    /** The hovered node's edges, in the highlight colour, on the cleared edge canvas. */
    private showHighlight(params: RenderParams, key: string) {
      const h = this.highlight!;
      const index = (this.renderer as unknown as { edgeProgramIndex: Record<string, number> }).edgeProgramIndex;
      const positions: number[] = [];
      for (const k of h.keys) { const p = index[k]; if (p !== undefined && p < this.inner.capacity) positions.push(p); }
      this.clearCanvas();
      this.gl.viewport(0, 0, this.width, this.height);
      this.inner.override = h.colour;
      this.inner.drawItems(params, null, positions);
      this.inner.override = null;
      this.shown = key;
      this.shownView = viewKey(params);
      this.showDue = false;
    }

    private schedule() {
      if (!this.frame) this.frame = requestAnimationFrame(() => { this.frame = 0; this.tick(); });
    }

    /**
     * The edge layer's own work, one unit per animation frame and never in a frame in which sigma renders (a node
     * repaint is the frame's work then): draw the added and changed edges over the texture and show it, or else one
     * slice of the background redraw. Added edges thus appear a frame after their nodes.
     */
    private tick() {
      const params = this.params;
      if (!params || this.hidden === 'on') return;
      // A sigma render is due this frame, or was drawn in the last one (its drawing may still be under way in the GPU
      // process): leave the frame to it.
      if ((this.renderer as unknown as { renderFrame: number | null }).renderFrame || this.justRendered) {
        this.justRendered = false;
        this.schedule();
        return;
      }
      if (this.fence) {
        // A background slice is still being drawn by the GPU process: nothing else until it is done (the edge
        // canvas's own drawing would queue behind it).
        const gl2 = this.gl as WebGL2RenderingContext;
        if (gl2.getSyncParameter(this.fence, gl2.SYNC_STATUS) !== gl2.SIGNALED) { this.fenceWaits++; this.schedule(); return; }
        gl2.deleteSync(this.fence);
        this.fence = null;
        adaptFencedSlice(this.fenceWaits);
        this.fenceWaits = 0;
      }
      if (this.swapDue) {
        const t0 = performance.now();
        this.swapDue = false;
        this.swap();
        benchTrace('edges:swap', performance.now() - t0);
        if (this.appended.length || this.stale || this.cursor >= 0) this.schedule();
        return;
      }
      if (this.showDue) {
        const t0 = performance.now();
        if (this.highlight) this.showHighlight(params, `${viewKey(params)}|${this.version}`); else this.show();
        benchTrace('edges:show', performance.now() - t0);
        if (this.appended.length || this.stale || this.cursor >= 0) this.schedule();
        return;
      }
      // Too many to draw in one frame (e.g. every edge's width changed): the background redraw shows them.
      if (this.appended.length > sliceEdges) { this.appended = []; this.stale = true; }
      if (this.appended.length) {
        const t0 = performance.now();
        const gl = this.gl;
        this.flush();
        gl.viewport(0, 0, this.width, this.height);
        for (const p of this.appended) {
          this.inner.drawRange(params, this.front.frameBuffer, p, 1);
          // The background pass already drew this slot (without the edge).
          if (this.cursor > p) this.inner.drawRange(this.bgParams ?? params, this.back.frameBuffer, p, 1);
        }
        this.appended = [];
        this.show();
        benchTrace('edges:added', performance.now() - t0);
      } else {
        if (this.stale && this.cursor < 0) this.startBackground();
        if (this.cursor >= 0) this.slice(params);
      }
      if (this.appended.length || this.stale || this.cursor >= 0) this.schedule();
    }

    /**
     * The parameters sigma's next render will use: the last render's, with the matrix as the camera and the graph's
     * extent are now (the layout's moves change the extent without a render).
     */
    private nextParams(): RenderParams {
      const r = this.renderer;
      const matrix = matrixFromCamera(r.getCamera().getState(), r.getDimensions(), r.getGraphDimensions(), r.getStagePadding());
      return { ...this.params!, matrix };
    }

    private startBackground() {
      const gl = this.gl;
      this.bgParams = this.nextParams();
      this.stale = false;
      this.restart = false;
      this.cursor = 0;
      gl.bindFramebuffer(gl.FRAMEBUFFER, this.back.frameBuffer);
      gl.clearColor(0, 0, 0, 0);
      gl.clear(gl.COLOR_BUFFER_BIT);
    }

    private stopBackground() {
      cancelAnimationFrame(this.frame);
      this.frame = 0;
      this.cursor = -1;
      this.restart = false;
      this.swapDue = false;
      if (this.fence) { (this.gl as WebGL2RenderingContext).deleteSync(this.fence); this.fence = null; this.fenceWaits = 0; }
    }

    /** One slice of the background redraw; the last one swaps the textures and shows the new one. */
    private slice(_: RenderParams) {
      const gl = this.gl;
      const params = this.bgParams!;
      const t0 = performance.now();
      this.flush();
      const n = Math.min(sliceEdges, this.inner.capacity - this.cursor);
      gl.viewport(0, 0, this.width, this.height);
      if (n > 0) this.inner.drawRange(params, this.back.frameBuffer, this.cursor, n);
      const gl2 = gl as WebGL2RenderingContext;
      if (sliceSync === 'fence' && typeof gl2.fenceSync === 'function') {
        // WebGL 2: a fence after the slice, flushed, so that the GPU process draws it now, while this thread goes on;
        // the next tick waits for it to pass before the next slice or the swap.
        this.fence = gl2.fenceSync(gl2.SYNC_GPU_COMMANDS_COMPLETE, 0);
        gl.flush();
        benchTrace('slice', performance.now() - t0);
      } else {
        // Makes the GPU process draw the slice now (reading one pixel waits for it): otherwise the slices pile up,
        // flush or not, and all run when the layer is shown, in one long frame (measured: 80–120 ms).
        gl.bindFramebuffer(gl.FRAMEBUFFER, this.back.frameBuffer);
        gl.readPixels(0, 0, 1, 1, gl.RGBA, gl.UNSIGNED_BYTE, this.pixel);
        const ms = performance.now() - t0;
        benchTrace('slice', ms);
        adaptSlice(n, ms);
      }
      this.cursor += Math.max(n, 0);
      if (this.cursor < this.inner.capacity) return;
      if (this.restart) { this.startBackground(); return; }
      if (this.fence) this.swapDue = true; else this.swap();
    }

    /** The background redraw is complete: it becomes the front texture and is shown. */
    private swap() {
      const params = this.bgParams!;
      [this.front, this.back] = [this.back, this.front];
      this.inner.target(this.front.frameBuffer);
      this.cursor = -1;
      this.drawn = viewKey(params);
      // Shown even if edges changed meanwhile (live deltas): they follow as usual, by another background redraw.
      if (this.hidden === 'swap') { this.hidden = null; this.shown = ''; }
      // Shows the new layer on the edge canvas without a sigma render (its other layers did not change).
      this.show();
      if (this.renderAtSwap && !this.stale) {
        // The edges moved with their nodes: sigma draws the nodes (their buffer has the positions) in the next
        // frame. Not in this one: the node layer's repaint and the edge layer's in one frame are what made it long.
        this.renderAtSwap = false;
        this.renderer.scheduleRender();
      }
    }

    kill() {
      this.stopBackground();
      this.inner.kill();
      const gl = this.gl;
      gl.deleteProgram(this.blit);
      gl.deleteBuffer(this.quad);
      for (const layer of [this.front, this.back]) { gl.deleteTexture(layer.texture); gl.deleteFramebuffer(layer.frameBuffer); }
    }
  } as unknown as EdgeProgramType;
}

/** What an edge layer drawn with these parameters looks like on screen: size, zoom and matrix. */
function viewKey(params: RenderParams): string {
  const w = Math.round(params.width * params.pixelRatio), h = Math.round(params.height * params.pixelRatio);
  return `${w}x${h}|${params.sizeRatio}|${params.matrix.join(',')}`;
}

/** bench/bench.ts records what each frame spent its time on (a no-op outside the benchmark page). */
function benchTrace(what: string, value: number) {
  (window as unknown as { __benchTrace?: (what: string, value: number) => void }).__benchTrace?.(what, value);
}

/**
 * Edges drawn per animation frame by the edge layer's background redraw: adapted after each slice so that a slice
 * takes about {@link sliceTargetMs} (on software WebGL 250–2,000 edges; {@link setSliceEdges} fixes it).
 */
export let sliceEdges = 500;
let sliceFixed = false;
export const sliceTargetMs = 10;
export function setSliceEdges(n: number) { sliceEdges = n; sliceFixed = true; }

/**
 * How the background redraw makes sure a slice is drawn before the next (see cachedEdgeLayer's slice): 'fence'
 * (WebGL 2: a fence, polled in the next frames, the main thread never waits) or 'read' (a one-pixel readPixels, which
 * waits for the slice in the frame that issued it; also the fallback on WebGL 1).
 */
export let sliceSync: 'fence' | 'read' = 'fence';
export function setSliceSync(sync: 'fence' | 'read') { sliceSync = sync; }

/**
 * Next slice size when fences pace the redraw: larger while each slice has passed by the next frame, halved when the
 * GPU process needed two frames or more for one.
 */
function adaptFencedSlice(waits: number) {
  if (sliceFixed) return;
  sliceEdges = Math.round(Math.min(2000, Math.max(250, waits === 0 ? sliceEdges * 1.25 : waits === 1 ? sliceEdges : sliceEdges / 2)));
}

/** Next slice size from the last one: n edges took ms (a slice of fewer than 100 edges says nothing). */
function adaptSlice(n: number, ms: number) {
  if (sliceFixed || n < 100 || ms <= 0) return;
  const next = (n * sliceTargetMs) / ms;
  // At most doubled or halved at a time, within 250..2,000 edges (a slice of 3,000-4,000 edges took 40-58 ms when
  // the machine was busy).
  sliceEdges = Math.round(Math.min(2000, Math.max(250, Math.min(sliceEdges * 2, Math.max(sliceEdges / 2, next)))));
}

function link(gl: WebGLRenderingContext, vertex: string, fragment: string): WebGLProgram {
  const program = gl.createProgram()!;
  for (const [type, src] of [[gl.VERTEX_SHADER, vertex], [gl.FRAGMENT_SHADER, fragment]] as const) {
    const shader = gl.createShader(type)!;
    gl.shaderSource(shader, src);
    gl.compileShader(shader);
    if (!gl.getShaderParameter(shader, gl.COMPILE_STATUS)) throw new Error(`edge layer shader: ${gl.getShaderInfoLog(shader)}`);
    gl.attachShader(program, shader);
  }
  gl.linkProgram(program);
  if (!gl.getProgramParameter(program, gl.LINK_STATUS)) throw new Error(`edge layer program: ${gl.getProgramInfoLog(program)}`);
  return program;
}

/** The hover highlight of the node program and of the edge layer. */
interface Highlightable { setHighlight(keys: readonly string[] | null, colour?: string): void }

/** What GraphView uses of the edge layer besides the highlight. */
export interface EdgeLayer extends Highlightable { readonly busy: boolean; setHidden(hidden: boolean): void }

/**
 * The node program and the edge layer that sigma made from {@link LITE_PROGRAMS} (sigma 3.0.3 keeps its program
 * instances in fields that are not public API); undefined when it uses other programs.
 */
export function litePrograms(sigma: Sigma): { nodes?: Highlightable & SlackNodePointProgram; edges?: EdgeLayer } {
  const s = sigma as unknown as { nodePrograms: Record<string, unknown>; edgePrograms: Record<string, unknown> };
  const nodes = s.nodePrograms[sigma.getSetting('defaultNodeType')];
  const edges = s.edgePrograms[sigma.getSetting('defaultEdgeType')] as { setHighlight?: unknown } | undefined;
  return {
    nodes: nodes instanceof SlackNodePointProgram ? nodes as SlackNodePointProgram : undefined,
    edges: edges && typeof edges.setHighlight === 'function' ? edges as unknown as EdgeLayer : undefined,
  };
}

/** sigma settings that select these programs: every node and edge uses them unless it sets its own type. */
export const LITE_PROGRAMS = {
  defaultNodeType: 'point',
  defaultEdgeType: 'arrow',
  nodeProgramClasses: { point: SlackNodePointProgram },
  edgeProgramClasses: { arrow: cachedEdgeLayer(EdgeArrowLiteProgram) },
};
