// Builds bench/bench.html with Vite and serves target/bench on a local port (shared by render.mjs and profile.mjs).
import { build } from 'vite';
import { createServer } from 'node:http';
import { readFile } from 'node:fs/promises';
import { extname, join, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
const types = { '.html': 'text/html', '.js': 'text/javascript', '.css': 'text/css' };

/** Builds the bench page and starts serving it; returns its URL and a close function. */
export async function serveBench() {
  await build({ configFile: join(here, 'vite.config.ts'), logLevel: 'warn' });
  const root = join(here, '..', 'target', 'bench');
  const server = createServer(async (req, res) => {
    try {
      const path = join(root, decodeURIComponent(new URL(req.url, 'http://x').pathname));
      const body = await readFile(path);
      res.writeHead(200, { 'Content-Type': types[extname(path)] ?? 'application/octet-stream' }).end(body);
    } catch { res.writeHead(404).end(); }
  }).listen(0, '127.0.0.1');
  await new Promise(r => server.on('listening', r));
  return { url: `http://127.0.0.1:${server.address().port}/bench.html`, close: () => server.close() };
}

/** A fresh page (no leftover worker or GL state) with the bench page loaded. */
export async function openBenchPage(browser, url) {
  const page = await (await browser.newContext({ viewport: { width: 1400, height: 900 } })).newPage();
  page.on('pageerror', e => console.error('page error:', e.message));
  await page.goto(url + (process.env.BENCH_QUERY ?? ""));
  await page.waitForFunction(() => window.benchReady);
  return page;
}
