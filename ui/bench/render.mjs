// Render benchmark: time to first draw and to a settled layout for 500, 1,000 and 5,000 nodes, then frame time
// while 100 nodes a second change at 5,000 nodes, in headless Debian chromium (software WebGL).
// Usage: node bench/render.mjs [sizes=500,1000,5000] [churnSeconds=10]
import { build } from 'vite';
import { createServer } from 'node:http';
import { readFile } from 'node:fs/promises';
import { extname, join, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import os from 'node:os';
import { launch } from '../e2e/browser.mjs';

const here = dirname(fileURLToPath(import.meta.url));
const sizes = (process.argv[2] ?? '500,1000,5000').split(',').map(Number);
const churnSeconds = Number(process.argv[3] ?? 10);
await build({ configFile: join(here, 'vite.config.ts'), logLevel: 'warn' });
const root = join(here, '..', 'target', 'bench');
const types = { '.html': 'text/html', '.js': 'text/javascript', '.css': 'text/css' };
const server = createServer(async (req, res) => {
  try {
    const path = join(root, decodeURIComponent(new URL(req.url, 'http://x').pathname));
    const body = await readFile(path);
    res.writeHead(200, { 'Content-Type': types[extname(path)] ?? 'application/octet-stream' }).end(body);
  } catch { res.writeHead(404).end(); }
}).listen(0, '127.0.0.1');
await new Promise(r => server.on('listening', r));
const browser = await launch();
const results = [];
try {
  for (const n of sizes) {
    // A fresh page per size: no leftover worker or GL state.
    const page = await (await browser.newContext({ viewport: { width: 1400, height: 900 } })).newPage();
    page.on('pageerror', e => console.error('page error:', e.message));
    await page.goto(`http://127.0.0.1:${server.address().port}/bench.html`);
    await page.waitForFunction(() => window.benchReady);
    const r = await page.evaluate(n => window.bench.load(n), n);
    console.log(`${n} nodes / ${r.edges} edges: setData ${r.setDataMs.toFixed(0)} ms, first draw ${r.firstDrawMs.toFixed(0)} ms, settled ${r.settledMs.toFixed(0)} ms`);
    results.push(r);
    if (n === Math.max(...sizes) && churnSeconds > 0) {
      const c = await page.evaluate(([s]) => window.bench.churn(100, s), [churnSeconds]);
      console.log(`churn at ${n} nodes, 100 changes/s for ${churnSeconds} s: frame mean ${c.meanFrameMs.toFixed(1)} ms, p50 ${c.p50.toFixed(1)}, p95 ${c.p95.toFixed(1)}, max ${c.max.toFixed(1)} ms (${c.frames} frames); delta apply mean ${c.meanApplyMs.toFixed(1)} ms, max ${c.maxApplyMs.toFixed(1)} ms`);
      results.push({ churn: c });
    }
    await page.context().close();
  }
} finally {
  await browser.close();
  server.close();
}
console.log(JSON.stringify({ date: new Date().toISOString(), cpus: os.cpus().length, memGiB: Math.round(os.totalmem() / 2 ** 30), results }));
