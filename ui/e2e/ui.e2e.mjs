// Browser suite: the real UI in headless Chromium against a running Portolan with simulated agents.
// Run by http-gateway's UiE2EIT (which starts the node and stops it when asked), or by hand:
//   PORTOLAN_URL=http://127.0.0.1:4040 PORTOLAN_ADMIN_PASSWORD=... PORTOLAN_VIEWER=vera:pass node --test e2e/ui.e2e.mjs
// Env: E2E_SIGNALS a folder where the suite writes `stop-node` when it wants the node stopped
// (without it the connection-lost test is skipped). Screenshots: target/e2e-screenshots/.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { launch, shot } from './browser.mjs';

const BASE = process.env.PORTOLAN_URL ?? process.argv[2] ?? 'http://127.0.0.1:4040';
const ADMIN_PASSWORD = process.env.PORTOLAN_ADMIN_PASSWORD;
const [VIEWER, VIEWER_PASSWORD] = (process.env.PORTOLAN_VIEWER ?? '').split(':');
const SIGNALS = process.env.E2E_SIGNALS;

let browser, admin;

before(async () => {
  mkdirSync('target/e2e-screenshots', { recursive: true });
  browser = await launch();
  admin = await (await browser.newContext({ viewport: { width: 1400, height: 860 } })).newPage();
  admin.on('pageerror', e => console.error('page error:', e.message));
});
after(async () => { await browser?.close(); });

async function login(page, user, password) {
  await page.goto(BASE + '/');
  await page.waitForSelector('form.login');
  await page.fill('input[name=username]', user);
  await page.fill('input[name=password]', password);
  await page.click('button[type=submit]');
  await page.waitForSelector('[data-testid=user]', { timeout: 15000 });
}

/** Waits until the live graph holds at least `nodes` nodes and the layout has stopped. */
async function waitForGraph(page, nodes) {
  await page.waitForFunction(n => {
    const g = window.portolan?.graph;
    return g && g.graph.order >= n && !g.stats.running;
  }, nodes, { timeout: 40000, polling: 200 });
}

async function clickNode(page, id) {
  const pos = await page.evaluate(id => {
    const s = window.portolan.graph.sigma;
    const d = s.getNodeDisplayData(id);
    const p = s.framedGraphToViewport({ x: d.x, y: d.y });
    const r = s.getContainer().getBoundingClientRect();
    return { x: r.left + p.x, y: r.top + p.y };
  }, id);
  await page.mouse.move(pos.x, pos.y);
  await page.mouse.click(pos.x, pos.y);
}

async function containerNodes(page) {
  return page.evaluate(() => {
    const g = window.portolan.graph.graph;
    return g.nodes().filter(id => id.startsWith('container:')).map(id => ({ id, label: g.getNodeAttribute(id, 'label'), degree: g.degree(id) }));
  });
}

test('log in: the login page, then the map for the admin', async () => {
  await admin.goto(BASE + '/');
  await admin.waitForSelector('form.login');
  await shot(admin, '01-login');
  await admin.fill('input[name=username]', 'admin');
  await admin.fill('input[name=password]', 'wrong-password');
  await admin.click('button[type=submit]');
  await admin.waitForSelector('p.error:has-text("Wrong")');
  await login(admin, 'admin', ADMIN_PASSWORD);
  assert.match(await admin.textContent('[data-testid=user]'), /admin/);
});

test('the containers view shows the simulated containers and a client → server edge', async () => {
  await admin.goto(BASE + '/?view=containers');
  await waitForGraph(admin, 6);
  await admin.waitForSelector('[data-testid=conn].live');
  const containers = await containerNodes(admin);
  assert.ok(containers.length >= 6, `containers in the graph: ${containers.length}`);
  assert.ok(containers.every(c => /^app-\d/.test(c.label)), 'simulated container names: ' + containers.map(c => c.label));
  const edge = await admin.evaluate(() => {
    const g = window.portolan.graph.graph;
    const e = g.edges().find(e => g.source(e).startsWith('container:') && g.target(e).startsWith('container:'));
    return e && { source: g.getNodeAttribute(g.source(e), 'label'), target: g.getNodeAttribute(g.target(e), 'label'), type: g.getEdgeAttribute(e, 'type') };
  });
  assert.ok(edge, 'a container → container edge');
  console.log(`edge: ${edge.source} → ${edge.target}`);
  assert.match(await admin.textContent('footer.status'), /nodes/);
  await shot(admin, '02-containers-graph');
  await admin.keyboard.press('t');
  await admin.waitForSelector('table.topo tbody tr');
  const rows = await admin.$$eval('table.topo tbody tr', trs => trs.length);
  assert.ok(rows >= 6, `table rows ${rows}`);
  await admin.click('table.topo th:has-text("Name")');
  await shot(admin, '03-containers-table');
  await admin.keyboard.press('t');
  await admin.waitForSelector('.canvas:not([hidden])');
});

test('clicking a container opens details whose sparklines move', async () => {
  await waitForGraph(admin, 6);
  const target = (await containerNodes(admin)).sort((a, b) => b.degree - a.degree)[0];
  await clickNode(admin, target.id);
  await admin.waitForSelector('.details .dhead h2', { timeout: 10000 });
  assert.equal(await admin.textContent('.details .dhead h2'), target.label);
  assert.ok(new URL(admin.url()).searchParams.get('sel')?.includes(target.id), 'selection in the URL: ' + admin.url());
  await admin.waitForSelector('.details .metric[data-metric=cpu_percent] polyline', { timeout: 15000 });
  const read = () => admin.$eval('.details .metric[data-metric=cpu_percent] polyline', p => p.getAttribute('points'));
  const first = await read();
  await admin.waitForFunction(prev => document.querySelector('.details .metric[data-metric=cpu_percent] polyline')?.getAttribute('points') !== prev,
    first, { timeout: 10000 });
  assert.notEqual(await read(), first, 'the sparkline changed');
  assert.match(await admin.textContent('.details .stamp'), /Live/);
  await shot(admin, '04-details-sparklines');
  // Inbound/outbound links navigate within the view.
  const link = await admin.$('.details a[data-node]');
  if (link) {
    const to = await link.getAttribute('data-node');
    await admin.click(`.details a[data-node="${to}"]`);
    await admin.waitForFunction(id => new URL(location.href).searchParams.get('sel') === id, to);
    await admin.goBack();
    await admin.waitForFunction(id => new URL(location.href).searchParams.get('sel') === id, target.id);
    await admin.waitForFunction(l => document.querySelector('.details .dhead h2')?.textContent === l, target.label);
  }
});

test('an admin sees the controls; destructive ones ask first', async () => {
  for (const a of ['start', 'stop', 'restart', 'pause', 'unpause', 'remove', 'logs', 'terminal']) {
    assert.ok(await admin.$(`.details [data-action=${a}]`), `button ${a}`);
  }
  await admin.click('.details [data-action=stop]');
  await admin.waitForSelector('.modal');
  await shot(admin, '05-confirm-stop');
  await admin.click('.modal button:has-text("Cancel")');
  assert.equal(await admin.$('.modal'), null);
});

test('a shared link restores view, selection and details; keys switch views', async () => {
  const url = admin.url();
  const page = await admin.context().newPage();
  await page.goto(url);
  await page.waitForSelector('.details .dhead h2', { timeout: 20000 });
  await page.keyboard.press('1');
  await page.waitForFunction(() => new URL(location.href).searchParams.get('view') !== 'containers');
  await page.goBack();
  await page.waitForFunction(() => new URL(location.href).searchParams.get('view') === 'containers');
  await page.close();
});

test('grouping by host collapses containers into one node per host, expandable', async () => {
  await admin.selectOption('select[name=group]', 'host');
  await admin.waitForFunction(() => window.portolan.graph.graph.nodes().filter(n => n.startsWith('group:host:')).length === 2);
  await waitForGraph(admin, 2);
  await shot(admin, '06-grouped-by-host');
  const group = await admin.evaluate(() => window.portolan.graph.graph.nodes().find(n => n.startsWith('group:host:')));
  await admin.evaluate(id => window.portolan.app.expandGroup(id), group);
  await admin.waitForFunction(() => window.portolan.graph.graph.nodes().filter(n => n.startsWith('group:host:')).length === 1);
  await admin.selectOption('select[name=group]', '');
});

test('tablet width: the page still fits', async () => {
  const page = await (await browser.newContext({ viewport: { width: 820, height: 1100 } })).newPage();
  await login(page, 'admin', ADMIN_PASSWORD);
  await page.goto(BASE + '/?view=containers');
  await waitForGraph(page, 6);
  const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
  assert.ok(overflow <= 0, `horizontal overflow ${overflow}px`);
  await shot(page, '07-tablet');
  await page.context().close();
});

/** Probes a route with a plain GET (no upgrade): 404 when it is not built yet (or the container is unknown). */
async function routeStatus(page, path) {
  return page.evaluate(async p => { const r = await fetch(p); return `${r.status} ${(await r.text()).slice(0, 160)}`; }, path);
}

/** Makes sure one container is selected with its details open; returns its id without the prefix. */
async function selectContainer(page) {
  let sel = new URL(page.url()).searchParams.get('sel');
  if (!sel || !sel.startsWith('container:') || sel.includes(',')) {
    await page.goto(BASE + '/?view=containers');
    await waitForGraph(page, 6);
    sel = (await containerNodes(page))[0].id;
    await clickNode(page, sel);
  }
  await page.waitForSelector('.details .metric', { timeout: 15000 });
  return sel.replace(/^container:/, '');
}

test('logs viewer shows new lines', async t => {
  const cid = await selectContainer(admin);
  const status = await routeStatus(admin, `/api/containers/${cid}/logs/ws?follow=true&tail=10`);
  if (status.startsWith('404')) {
    await admin.click('.details [data-action=logs]');
    await admin.waitForSelector('.logbar .error');
    assert.match(await admin.textContent('.logbar .error'), /404/);
    await shot(admin, '08-logs-route-missing');
    await admin.click('.drawer .tab.active button.icon');
    t.skip(`pending: the logs WebSocket route is not on this server yet (${status}); the UI says so`);
    return;
  }
  t.skip(`pending: simulated agents have no Docker logs (route answered ${status}); needs the real-container suite`);
});

test('terminal runs echo hi', async t => {
  const cid = await selectContainer(admin);
  const status = await routeStatus(admin, `/api/containers/${cid}/exec/ws?cmd=sh`);
  if (status.startsWith('404')) {
    await admin.click('.details [data-action=terminal]');
    await admin.waitForSelector('.termstatus.error');
    assert.match(await admin.textContent('.termstatus'), /404/);
    await shot(admin, '08-terminal-route-missing');
    await admin.click('.drawer .tab.active button.icon');
    t.skip(`pending: the exec WebSocket route is not on this server yet (${status}); the UI says so`);
    return;
  }
  t.skip(`pending: simulated agents cannot exec (route answered ${status}); needs the real-container suite`);
});

test('stopping a container from the UI shows it stopped', async t => {
  t.skip('pending: needs a real Docker container (simulated agents do not run controls)');
});

test('a viewer sees no control, logs or terminal buttons', async () => {
  assert.ok(VIEWER, 'PORTOLAN_VIEWER=user:password');
  const page = await (await browser.newContext({ viewport: { width: 1400, height: 860 } })).newPage();
  await login(page, VIEWER, VIEWER_PASSWORD);
  assert.match(await page.textContent('[data-testid=user]'), /viewer/);
  await page.goto(BASE + '/?view=containers');
  await waitForGraph(page, 6);
  const target = (await containerNodes(page))[0];
  await clickNode(page, target.id);
  await page.waitForSelector('.details .metric', { timeout: 15000 });
  assert.equal((await page.$$('.details [data-action]')).length, 0, 'no control buttons for a viewer');
  await shot(page, '09-viewer-details');
  await page.context().close();
});

test('the connection-lost banner appears when the node stops', async t => {
  if (!SIGNALS) { t.skip('no E2E_SIGNALS folder: nobody to stop the node'); return; }
  await selectContainer(admin);
  await admin.waitForSelector('[data-testid=conn].live');
  writeFileSync(join(SIGNALS, 'stop-node'), 'now');
  await admin.waitForSelector('[data-testid=banner].error', { timeout: 60000 });
  assert.match(await admin.textContent('[data-testid=banner]'), /lost.*NOT live/);
  assert.match(await admin.textContent('[data-testid=conn]'), /disconnected/);
  assert.ok(await admin.isVisible('.stale-mark'), 'the map is marked as not live');
  await admin.waitForSelector('.details .stamp.warn', { timeout: 10000 });
  await shot(admin, '10-connection-lost');
});

