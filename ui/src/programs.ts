// WebGL programs for sigma that stay cheap on software WebGL (SwiftShader: no GPU, or a blocklisted one).
// sigma 3's default node and edge programs are instanced; SwiftShader draws an instanced call about one instance
// at a time, and at 5,000 nodes / 10,000 edges one frame took 0.7 s here. These draw the same items with plain
// drawArrays: nodes as points (sigma's own NodePointProgram), edges as one flat quad plus an arrow head each
// (EdgeArrowLiteProgram below, no anti-aliasing). Measured in ui/BENCHMARK.md.
import type Sigma from 'sigma';
import { EdgeProgram, NodePointProgram } from 'sigma/rendering';
import type { EdgeProgramType, ProgramInfo } from 'sigma/rendering';
import type { EdgeDisplayData, NodeDisplayData, RenderParams } from 'sigma/types';
import { floatColor } from 'sigma/utils';

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
  v_color = a_color;
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
const UNIFORMS = ['u_matrix', 'u_viewport', 'u_sizeRatio'] as const;

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

  setUniforms(params: RenderParams, { gl, uniformLocations }: ProgramInfo) {
    gl.uniformMatrix3fv(uniformLocations.u_matrix, false, params.matrix);
    gl.uniform2f(uniformLocations.u_viewport, params.width, params.height);
    gl.uniform1f(uniformLocations.u_sizeRatio, params.sizeRatio);
  }
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

/**
 * Wraps an edge program so that its edges are drawn into a texture, and the texture is copied to the screen on
 * every frame in which neither the edges (sigma processed some) nor the camera or the canvas size changed: a
 * delta that only recolours or resizes nodes then costs one textured rectangle for the edge layer instead of
 * 10,000 edges. sigma clears its canvases on every render, so the copy is drawn each time.
 * Uses only sigma's public program API: the wrapped program's normalProgram.frameBuffer is pointed at the texture.
 */
export function cachedEdgeLayer(Inner: typeof EdgeArrowLiteProgram): EdgeProgramType {
  return class CachedEdgeLayer {
    drawLabel = undefined;
    private readonly inner: EdgeArrowLiteProgram;
    private readonly gl: WebGLRenderingContext;
    private readonly blit: WebGLProgram;
    private readonly quad: WebGLBuffer;
    private readonly texture: WebGLTexture;
    private readonly frameBuffer: WebGLFramebuffer;
    private readonly textureAt: WebGLUniformLocation;
    private readonly positionAt: number;
    private width = 0;
    private height = 0;
    private drawn = '';
    private dirty = true;

    constructor(gl: WebGLRenderingContext, pickingBuffer: WebGLFramebuffer | null, renderer: Sigma) {
      this.inner = new Inner(gl, pickingBuffer, renderer);
      this.gl = gl;
      this.blit = link(gl, BLIT_VERTEX, BLIT_FRAGMENT);
      this.textureAt = gl.getUniformLocation(this.blit, 'u_texture')!;
      this.positionAt = gl.getAttribLocation(this.blit, 'a_position');
      this.quad = gl.createBuffer()!;
      gl.bindBuffer(gl.ARRAY_BUFFER, this.quad);
      gl.bufferData(gl.ARRAY_BUFFER, new Float32Array([-1, -1, 3, -1, -1, 3]), gl.STATIC_DRAW); // one triangle over the viewport
      this.texture = gl.createTexture()!;
      this.frameBuffer = gl.createFramebuffer()!;
      this.inner.normalProgram.frameBuffer = this.frameBuffer;
    }

    reallocate(capacity: number) { this.inner.reallocate(capacity); this.dirty = true; }

    process(edgeIndex: number, offset: number, source: NodeDisplayData, target: NodeDisplayData, data: EdgeDisplayData) {
      this.inner.process(edgeIndex, offset, source, target, data);
      this.dirty = true;
    }

    render(params: RenderParams) {
      const gl = this.gl;
      const w = Math.round(params.width * params.pixelRatio), h = Math.round(params.height * params.pixelRatio);
      const view = `${w}x${h}|${params.sizeRatio}|${params.matrix.join(',')}`;
      if (w !== this.width || h !== this.height) {
        gl.bindTexture(gl.TEXTURE_2D, this.texture);
        gl.texImage2D(gl.TEXTURE_2D, 0, gl.RGBA, w, h, 0, gl.RGBA, gl.UNSIGNED_BYTE, null);
        for (const p of [gl.TEXTURE_MIN_FILTER, gl.TEXTURE_MAG_FILTER]) gl.texParameteri(gl.TEXTURE_2D, p, gl.NEAREST);
        for (const p of [gl.TEXTURE_WRAP_S, gl.TEXTURE_WRAP_T]) gl.texParameteri(gl.TEXTURE_2D, p, gl.CLAMP_TO_EDGE);
        gl.bindFramebuffer(gl.FRAMEBUFFER, this.frameBuffer);
        gl.framebufferTexture2D(gl.FRAMEBUFFER, gl.COLOR_ATTACHMENT0, gl.TEXTURE_2D, this.texture, 0);
        this.width = w; this.height = h; this.dirty = true;
      }
      if (this.dirty || view !== this.drawn) {
        gl.bindFramebuffer(gl.FRAMEBUFFER, this.frameBuffer);
        gl.viewport(0, 0, w, h);
        gl.clearColor(0, 0, 0, 0);
        gl.clear(gl.COLOR_BUFFER_BIT);
        this.inner.render(params);
        this.drawn = view;
        this.dirty = false;
      }
      gl.bindFramebuffer(gl.FRAMEBUFFER, null);
      gl.viewport(0, 0, w, h);
      gl.useProgram(this.blit);
      gl.enable(gl.BLEND);
      gl.activeTexture(gl.TEXTURE0);
      gl.bindTexture(gl.TEXTURE_2D, this.texture);
      gl.uniform1i(this.textureAt, 0);
      const at = this.positionAt;
      gl.bindBuffer(gl.ARRAY_BUFFER, this.quad);
      gl.enableVertexAttribArray(at);
      gl.vertexAttribPointer(at, 2, gl.FLOAT, false, 0, 0);
      gl.drawArrays(gl.TRIANGLES, 0, 3);
      gl.disableVertexAttribArray(at);
    }

    kill() {
      this.inner.kill();
      this.gl.deleteProgram(this.blit);
      this.gl.deleteBuffer(this.quad);
      this.gl.deleteTexture(this.texture);
      this.gl.deleteFramebuffer(this.frameBuffer);
    }
  } as unknown as EdgeProgramType;
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

/** sigma settings that select these programs: every node and edge uses them unless it sets its own type. */
export const LITE_PROGRAMS = {
  defaultNodeType: 'point',
  defaultEdgeType: 'arrow',
  nodeProgramClasses: { point: NodePointProgram },
  edgeProgramClasses: { arrow: cachedEdgeLayer(EdgeArrowLiteProgram) },
};
