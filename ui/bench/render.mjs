// Render benchmark: time to first draw and to a settled layout for 500, 1,000 and 5,000 nodes, then frame time
// while 100 nodes a second change at 5,000 nodes, in headless Debian chromium (software WebGL).
// Usage: node bench/render.mjs [sizes=500,1000,5000] [churnSeconds=10]
import os from 'node:os';
import { launch } from '../e2e/browser.mjs';
import { openBenchPage, serveBench } from './server.mjs';

const sizes = (process.argv[2] ?? '500,1000,5000').split(',').map(Number);
const churnSeconds = Number(process.argv[3] ?? 10);
const { url, close } = await serveBench();
const browser = await launch();
const results = [];
const load0 = os.loadavg()[0];
try {
  for (const n of sizes) {
    const page = await openBenchPage(browser, url);
    const r = await page.evaluate(n => window.bench.load(n), n);
    console.log(`${n} nodes / ${r.edges} edges: setData ${r.setDataMs.toFixed(0)} ms, first draw ${r.firstDrawMs.toFixed(0)} ms, settled ${r.settledMs.toFixed(0)} ms`);
    results.push(r);
    if (n === Math.max(...sizes) && churnSeconds > 0) {
      const c = await page.evaluate(([s, l]) => window.bench.churn(100, s, l), [churnSeconds, Number(process.env.LONG_MS ?? 50)]);
      console.log(`churn at ${n} nodes, 100 changes/s for ${churnSeconds} s: frame mean ${c.meanFrameMs.toFixed(1)} ms, p50 ${c.p50.toFixed(1)}, p95 ${c.p95.toFixed(1)}, p99 ${c.p99.toFixed(1)}, max ${c.max.toFixed(1)} ms (${c.frames} frames, ${c.over50} of them ≥ 50 ms, ${c.processes} full sigma processes); delta apply mean ${c.meanApplyMs.toFixed(1)} ms, max ${c.maxApplyMs.toFixed(1)} ms`);
      console.log(`frames >= ${c.longMs} ms by what happened in them:`, JSON.stringify(c.long));
      for (const f of c.longFrames) console.log(`  ${f.ms} ms: main-thread work ${JSON.stringify(f.work)}`);
      results.push({ churn: c });
    }
    await page.context().close();
  }
} finally {
  await browser.close();
  close();
}
const loadavg = [load0, os.loadavg()[0]].map(l => l.toFixed(1)).join(' → ');
console.log(`load average (1 min) at start → end: ${loadavg}`);
console.log(JSON.stringify({ date: new Date().toISOString(), cpus: os.cpus().length, memGiB: Math.round(os.totalmem() / 2 ** 30), loadavg, results }));
