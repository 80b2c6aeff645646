// CPU profile of the page's main thread while 100 nodes a second change at N nodes (default 5,000): where frame
// time goes. Chrome DevTools protocol (Profiler domain) through playwright-core, headless Debian chromium.
// Usage: node bench/profile.mjs [nodes=5000] [seconds=6] → summary on stdout, target/churn.cpuprofile for DevTools.
// WebGL runs in the GPU process (SwiftShader here), so its rasterisation shows only as time the main thread waits.
import { writeFile } from 'node:fs/promises';
import os from 'node:os';
import { launch } from '../e2e/browser.mjs';
import { openBenchPage, serveBench } from './server.mjs';

process.env.PORTOLAN_BENCH_UNMINIFIED = '1';
const n = Number(process.argv[2] ?? 5000);
const seconds = Number(process.argv[3] ?? 6);
const { url, close } = await serveBench();
const browser = await launch();
try {
  const page = await openBenchPage(browser, url);
  const r = await page.evaluate(n => window.bench.load(n), n);
  console.log(`${n} nodes / ${r.edges} edges loaded, first draw ${r.firstDrawMs.toFixed(0)} ms, settled ${r.settledMs.toFixed(0)} ms`);
  const cdp = await page.context().newCDPSession(page);
  await cdp.send('Profiler.enable');
  await cdp.send('Profiler.setSamplingInterval', { interval: 250 });
  await cdp.send('Profiler.start');
  const c = await page.evaluate(([s]) => window.bench.churn(100, s), [seconds]);
  const { profile } = await cdp.send('Profiler.stop');
  await writeFile(new URL('../target/churn.cpuprofile', import.meta.url), JSON.stringify(profile));
  console.log(`churn: frame mean ${c.meanFrameMs.toFixed(1)} ms, p50 ${c.p50.toFixed(1)}, p95 ${c.p95.toFixed(1)}, p99 ${c.p99.toFixed(1)}, max ${c.max.toFixed(1)} (${c.frames} frames, ${c.over50} ≥ 50 ms); apply mean ${c.meanApplyMs.toFixed(1)} ms`);
  summarise(profile);
} finally {
  await browser.close();
  close();
}
console.log(`load average (1 min): ${os.loadavg()[0].toFixed(1)}`);

/** Self time per function, and inclusive time of the heaviest functions (recursion counted once). */
function summarise(profile) {
  const byId = new Map(profile.nodes.map(nd => [nd.id, { ...nd, self: 0 }]));
  const parent = new Map();
  for (const nd of profile.nodes) for (const ch of nd.children ?? []) parent.set(ch, nd.id);
  profile.samples.forEach((id, i) => { byId.get(id).self += (profile.timeDeltas[i] ?? 0) / 1000; });
  const key = nd => {
    const f = nd.callFrame;
    const file = f.url ? f.url.replace(/^.*\//, '') : '';
    return `${f.functionName || '(anonymous)'} ${file}${file ? ':' + (f.lineNumber + 1) : ''}`;
  };
  const self = new Map(), total = new Map();
  let all = 0;
  for (const nd of byId.values()) {
    all += nd.self;
    self.set(key(nd), (self.get(key(nd)) ?? 0) + nd.self);
    // Inclusive: charge this node's self time to each distinct function on its stack.
    const seen = new Set();
    for (let id = nd.id; id !== undefined; id = parent.get(id)) {
      const k = key(byId.get(id));
      if (!seen.has(k)) { seen.add(k); total.set(k, (total.get(k) ?? 0) + nd.self); }
    }
  }
  const top = (m, count) => [...m].sort((a, b) => b[1] - a[1]).slice(0, count);
  const pct = v => `${(100 * v / all).toFixed(1).padStart(5)} %  ${v.toFixed(0).padStart(6)} ms`;
  console.log(`\nsampled ${all.toFixed(0)} ms of main thread\n\nself time:`);
  for (const [k, v] of top(self, 25)) console.log(`  ${pct(v)}  ${k}`);
  console.log('\ninclusive time:');
  for (const [k, v] of top(total, 40)) console.log(`  ${pct(v)}  ${k}`);
}
