// What the long frames contain, across Chromium's processes: a Chrome trace (renderer main thread, compositor,
// GPU process, raster workers) of one phase of the render benchmark at N nodes, then, for each frame ≥ LONG_MS (the
// bench page marks it with a user-timing measure "long frame"), the busiest slices of each thread inside that frame.
// Diagnosis only (tracing itself costs time; its frame times are not the benchmark's).
// Usage: node bench/trace.mjs [layout|churn|interact] [nodes=5000] [seconds=8]   (LONG_MS=45)
//   → summary on stdout, target/trace-<phase>.json for chrome://tracing or Perfetto.
import { writeFile } from 'node:fs/promises';
import os from 'node:os';
import { launch } from '../e2e/browser.mjs';
import { openBenchPage, serveBench } from './server.mjs';

const phase = process.argv[2] ?? 'layout';
const n = Number(process.argv[3] ?? 5000);
const seconds = Number(process.argv[4] ?? 8);
const longMs = Number(process.env.LONG_MS ?? 45);
const categories = ['toplevel', 'viz', 'cc', 'gpu', 'blink', 'blink.user_timing', 'renderer.scheduler', 'v8.execute',
  'disabled-by-default-devtools.timeline'];
const { url, close } = await serveBench();
const browser = await launch();
let trace;
try {
  const page = await openBenchPage(browser, url);
  // TWEAK='<js>': run in the page before the phase (an experiment, e.g. on window.benchView.sigma).
  if (process.env.TWEAK) await page.evaluate(process.env.TWEAK);
  if (phase === 'layout') {
    await browser.startTracing(page, { categories });
    const r = await page.evaluate(([n, l]) => window.bench.load(n, l), [n, longMs]);
    trace = await browser.stopTracing();
    console.log(`layout: max ${r.layout.max.toFixed(1)} ms, p99 ${r.layout.p99.toFixed(1)}, ${r.layout.frames} frames`);
  } else {
    await page.evaluate(n => window.bench.load(n), n);
    await browser.startTracing(page, { categories });
    const r = phase === 'churn'
      ? await page.evaluate(([s, l]) => window.bench.churn(100, s, l), [seconds, longMs])
      : await page.evaluate(([s, l]) => window.bench.interact(100, s, 20, l), [seconds, longMs]);
    trace = await browser.stopTracing();
    console.log(`${phase}: max ${r.max.toFixed(1)} ms, p99 ${r.p99.toFixed(1)}, ${r.frames} frames`);
  }
} finally {
  await browser.close();
  close();
}
await writeFile(new URL(`../target/trace-${phase}.json`, import.meta.url), trace);
summarise(JSON.parse(trace.toString()));
console.log(`load average (1 min): ${os.loadavg()[0].toFixed(1)}`);

function summarise(json) {
  const events = json.traceEvents ?? json;
  const names = new Map();
  for (const e of events) if (e.ph === 'M' && e.name === 'thread_name') names.set(`${e.pid}:${e.tid}`, e.args.name);
  const procs = new Map();
  for (const e of events) if (e.ph === 'M' && e.name === 'process_name') procs.set(e.pid, e.args.name);
  const thread = e => `${procs.get(e.pid) ?? e.pid}/${names.get(`${e.pid}:${e.tid}`) ?? e.tid}`;
  // Long frames: the page's "long frame …" measures (async begin/end pairs).
  const begins = new Map(), frames = [];
  for (const e of events) {
    if (!String(e.name).startsWith('long frame')) continue;
    if (e.ph === 'b') begins.set(e.id2?.local ?? e.id ?? e.name, e);
    else if (e.ph === 'e') { const b = begins.get(e.id2?.local ?? e.id ?? e.name); if (b) frames.push({ name: e.name, start: b.ts, end: e.ts }); }
  }
  // Complete events per thread, with their nesting depth (only depth 0 counts toward a thread's busy time).
  const byThread = new Map();
  for (const e of events) if (e.ph === 'X' && e.dur > 0) { const k = thread(e); if (!byThread.has(k)) byThread.set(k, []); byThread.get(k).push(e); }
  for (const list of byThread.values()) {
    list.sort((a, b) => a.ts - b.ts || b.dur - a.dur);
    const stack = [];
    for (const e of list) { while (stack.length && stack[stack.length - 1].ts + stack[stack.length - 1].dur <= e.ts) stack.pop(); e.depth = stack.length; stack.push(e); }
  }
  // The display compositor (software): the quads it draws per frame and their cost.
  const draws = events.filter(e => e.ph === 'X' && e.name === 'Display::DrawAndSwap');
  const quads = events.filter(e => e.ph === 'X' && e.name === 'SoftwareRenderer::DoDrawQuad').sort((a, b) => a.ts - b.ts);
  const perDraw = draws.map(d => quads.filter(q => q.ts >= d.ts && q.ts < d.ts + d.dur).map(q => q.dur / 1000));
  const mean = a => a.reduce((x, y) => x + y, 0) / Math.max(1, a.length);
  const shapes = new Map();
  for (const q of perDraw) { const k = q.length; shapes.set(k, [...(shapes.get(k) ?? []), q]); }
  console.log(`display compositor: ${draws.length} frames drawn, mean ${mean(draws.map(d => d.dur / 1000)).toFixed(1)} ms`);
  for (const [k, list] of [...shapes].sort((a, b) => a[0] - b[0])) {
    const cols = Array.from({ length: k }, (_, i) => mean(list.map(q => q[i])).toFixed(1));
    console.log(`  ${list.length} frames with ${k} quads, mean ms per quad: ${cols.join(' ')}`);
  }
  console.log(`${frames.length} frames ≥ ${longMs} ms`);
  for (const f of frames) {
    console.log(`\n${f.name} (${((f.end - f.start) / 1000).toFixed(1)} ms)`);
    for (const [k, list] of byThread) {
      let busy = 0;
      const top = new Map();
      for (const e of list) {
        const s = Math.max(e.ts, f.start), t = Math.min(e.ts + e.dur, f.end);
        if (t <= s) continue;
        if (e.depth === 0) busy += t - s;
        if (e.depth <= 2) top.set(`${e.depth}:${e.name}`, (top.get(`${e.depth}:${e.name}`) ?? 0) + t - s);
      }
      if (busy < 2000) continue;
      const parts = [...top].sort((a, b) => b[1] - a[1]).slice(0, 8).map(([name, us]) => `${name} ${(us / 1000).toFixed(1)}`);
      console.log(`  ${k}: busy ${(busy / 1000).toFixed(1)} ms — ${parts.join(', ')}`);
    }
  }
}
