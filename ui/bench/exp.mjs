// Experiment harness (not the benchmark): the cost of one sigma node repaint at 5,000 nodes with parts of it switched
// off by monkey-patching, to see where a repaint's time goes. Usage: node bench/exp.mjs base,hidelayers,nonodes,...
import os from 'node:os';
import { launch } from '../e2e/browser.mjs';
import { openBenchPage, serveBench } from './server.mjs';
const variants = (process.argv[2] ?? 'base').split(',');
const { url, close } = await serveBench();
const browser = await launch();
try {
  const page = await openBenchPage(browser, url);
  const r = await page.evaluate(n => window.bench.load(n), 5000);
  console.log('loaded', r.firstDrawMs.toFixed(0), r.settledMs.toFixed(0));
  for (const v of [...variants, ...variants]) {
    const res = await page.evaluate(async v => {
      const view = window.benchView, s = view.sigma;
      const ids = view.graph.nodes();
      const restore = [];
      const patch = (obj, name, fn) => { const old = obj[name]; obj[name] = fn(old); restore.push(() => { obj[name] = old; }); };
      if (v.includes('nolabels')) patch(s, 'renderLabels', () => function () { return this; });
      if (v.includes('keeplabels')) { patch(s, 'renderLabels', () => function () { return this; }); const c = s.canvasContexts.labels; const cr = c.clearRect; c.clearRect = () => {}; restore.push(() => { c.clearRect = cr; }); }
      if (v.includes('nohl')) patch(s, 'renderHighlightedNodes', () => function () { return this; });
      if (v.includes('noclear2d')) for (const k of ['labels', 'hovers', 'edgeLabels']) patch(s.canvasContexts[k], 'clearRect', () => () => {});
      if (v.includes('nocleargl')) patch(s.webGLContexts.hoverNodes, 'clear', () => () => {});
      if (v.includes('nonodes')) for (const k in s.nodePrograms) patch(s.nodePrograms[k], 'render', () => () => {});
      if (v.includes('nopick')) patch(s, 'resetWebGLTexture', () => function () { return this; });
      if (v.includes('hidelayers')) for (const k of ['edgeLabels', 'hovers', 'hoverNodes']) { const el = s.elements[k]; el.style.display = 'none'; restore.push(() => { el.style.display = ''; }); }
      if (v.includes('hidemouse')) { const el = s.elements.mouse; el.style.display = 'none'; restore.push(() => { el.style.display = ''; }); }
      const phase = {};
      const timeit = (obj, name, label) => patch(obj, name, old => function (...a) { const t = performance.now(); const r = old.apply(this, a); phase[label] = (phase[label] ?? 0) + performance.now() - t; return r; });
      timeit(s, 'clear', 'clear'); timeit(s, 'resetWebGLTexture', 'pickTex'); timeit(s, 'renderLabels', 'labels'); timeit(s, 'renderHighlightedNodes', 'hl');
      timeit(s, 'resize', 'resize'); timeit(s, 'process', 'process');
      for (const k in s.nodePrograms) timeit(s.nodePrograms[k], 'render', 'nodes');
      for (const k in s.edgePrograms) timeit(s.edgePrograms[k], 'render', 'edges');
      const frames = [], js = [];
      let last = performance.now();
      await new Promise(res => {
        let i = 0;
        const loop = () => {
          const now = performance.now(); frames.push(now - last); last = now;
          if (i % 3 === 0) {
            const part = []; view.batch(() => { for (let k = 0; k < 20; k++) { const id = ids[(i * 20 + k) % ids.length]; view.graph.setNodeAttribute(id, 'color', k % 2 ? '#ff0000' : '#00aa00'); part.push(id); } });
            const t = performance.now();
            s.refresh({ partialGraph: { nodes: part }, skipIndexation: true });
            js.push(performance.now() - t);
          }
          if (++i < 90) requestAnimationFrame(loop); else res();
        };
        requestAnimationFrame(loop);
      });
      restore.reverse().forEach(f => f());
      frames.shift();
      // frame after a render = the one with index i%3==1 (interval that contains the render's cost)
      const after = frames.filter((_, k) => k % 3 === 0);
      const other = frames.filter((_, k) => k % 3 !== 0);
      const mean = a => a.reduce((x, y) => x + y, 0) / a.length;
      const sorted = [...after].sort((a, b) => a - b);
      return { v, renderFrame: mean(after), renderP50: sorted[sorted.length >> 1], renderMax: sorted[sorted.length - 1], other: mean(other), js: mean(js), phase: Object.fromEntries(Object.entries(phase).map(([k, x]) => [k, x / js.length])) };
    }, v);
    console.log(JSON.stringify(res, (k, x) => typeof x === 'number' ? +x.toFixed(1) : x));
  }
} finally { await browser.close(); close(); }
console.log('load', os.loadavg()[0].toFixed(1));
