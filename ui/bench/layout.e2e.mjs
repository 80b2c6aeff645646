// Browser test of the initial layout's edge hiding (GraphView.hideEdgesDuringLayoutFrom, the edge layer's setHidden):
// from 2,000 nodes the edges are not drawn while ForceAtlas2 runs (the app's status bar then says "laying out… (edges
// shown when settled)") and come back once it has settled; below that they are drawn throughout. Checked on what the
// page shows: screenshots of the bench page (real sigma, headless Debian chromium, software WebGL), counting the
// pixels in the edges' colours (grey-blue: r = g, b = r + 24, GraphView.edgeAttrs), and on what GraphView reported
// through onLayout.
// Usage: cd ui && node --test bench/layout.e2e.mjs   (about 30 s; npm run test:browser)
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { launch } from '../e2e/browser.mjs';
import { openBenchPage, serveBench } from './server.mjs';

let server, browser;
before(async () => { server = await serveBench(); browser = await launch(); });
after(async () => { await browser?.close(); server?.close(); });

/** Pixels of the page's screenshot in the edges' colours (nodes, labels and background have other colours). */
async function edgePixels(page) {
  const png = (await page.screenshot()).toString('base64');
  return page.evaluate(async png => {
    const bitmap = await createImageBitmap(await (await fetch(`data:image/png;base64,${png}`)).blob());
    const canvas = new OffscreenCanvas(bitmap.width, bitmap.height);
    const c = canvas.getContext('2d');
    c.drawImage(bitmap, 0, 0);
    const d = c.getImageData(0, 0, bitmap.width, bitmap.height).data;
    let n = 0;
    for (let i = 0; i < d.length; i += 4) {
      const r = d[i], g = d[i + 1], b = d[i + 2];
      if (Math.abs(r - g) <= 1 && b - r >= 22 && b - r <= 26 && r >= 0x40 && r <= 0xc4) n++;
    }
    return n;
  }, png);
}

/** Starts loading n nodes (layout included) and waits for the first draw plus `ms`. */
async function startLayout(page, n, ms) {
  await page.evaluate(n => { window.loading = window.bench.load(n); }, n);
  await page.waitForFunction(() => window.benchView.stats.firstDrawMs != null);
  await page.waitForTimeout(ms);
}

test('from 2,000 nodes the edges are hidden while the layout runs, and shown once it settled', { timeout: 90000 }, async () => {
  const page = await openBenchPage(browser, server.url);
  try {
    await startLayout(page, 2500, 1500);
    assert.equal(await page.evaluate(() => window.benchView.stats.running), true, 'the layout still runs');
    const during = await edgePixels(page);
    assert.deepEqual(await page.evaluate(() => window.bench.layoutEvents), ['hidden']);
    await page.evaluate(() => window.loading);
    assert.deepEqual(await page.evaluate(() => window.bench.layoutEvents), ['hidden', 'stopped']);
    // Drawn in the background after the layout stopped, then shown (about a second at 2,500 nodes here).
    let settled = 0;
    for (let i = 0; i < 20 && settled < 20000; i++) { await page.waitForTimeout(500); settled = await edgePixels(page); }
    console.log(`2,500 nodes: ${during} edge pixels during the layout, ${settled} once settled`);
    assert.ok(during < 200, `no edges drawn during the layout (${during} pixels in the edges' colours)`);
    assert.ok(settled >= 20000, `edges drawn once the layout settled (${settled} pixels in the edges' colours)`);
  } finally { await page.context().close(); }
});

test('below 2,000 nodes the edges are drawn while the layout runs', { timeout: 90000 }, async () => {
  const page = await openBenchPage(browser, server.url);
  try {
    await startLayout(page, 1000, 1000);
    assert.equal(await page.evaluate(() => window.benchView.stats.running), true, 'the layout still runs');
    const during = await edgePixels(page);
    console.log(`1,000 nodes: ${during} edge pixels during the layout`);
    assert.deepEqual(await page.evaluate(() => window.bench.layoutEvents), ['shown']);
    assert.ok(during >= 20000, `edges drawn during the layout (${during} pixels in the edges' colours)`);
    await page.evaluate(() => window.loading);
    assert.deepEqual(await page.evaluate(() => window.bench.layoutEvents), ['shown', 'stopped']);
  } finally { await page.context().close(); }
});
