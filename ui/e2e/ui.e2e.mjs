// Browser suite: the real UI in headless Chromium against a running Portolan with the real agent and
// real containers. Run by http-gateway's UiE2EIT (which starts the node, the agent and the containers,
// and stops and restarts the node when asked), or by hand against containers named <prefix>-server
// (busybox httpd on 8080), <prefix>-client (fetches from the server every second, printing
// "fetch N ok" on stdout and "note N" on stderr) and <prefix>-victim (stopped by the suite):
//   PORTOLAN_URL=http://127.0.0.1:4040 PORTOLAN_ADMIN_PASSWORD=... PORTOLAN_VIEWER=vera:pass \
//   E2E_CONTAINERS=<prefix> node --test e2e/ui.e2e.mjs
// Env: E2E_SIGNALS a folder where the suite writes `stop-node`, then `start-node`, when it wants the
// node stopped and started again (without it the connection test is skipped).
// Screenshots: target/e2e-screenshots/ (ui/target/e2e-screenshots when run by the Maven build).
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { launch, shot } from './browser.mjs';
import { nodePagePosition } from './graph.mjs';

const BASE = process.env.PORTOLAN_URL ?? process.argv[2] ?? 'http://127.0.0.1:4040';
const ADMIN_PASSWORD = process.env.PORTOLAN_ADMIN_PASSWORD;
const [VIEWER, VIEWER_PASSWORD] = (process.env.PORTOLAN_VIEWER ?? '').split(':');
const PREFIX = process.env.E2E_CONTAINERS;
const SIGNALS = process.env.E2E_SIGNALS;
const SERVER = `${PREFIX}-server`, CLIENT = `${PREFIX}-client`, VICTIM = `${PREFIX}-victim`;
const STOPPED_COLOUR = '#b8c0c8';

let browser, admin;

before(async () => {
  assert.ok(PREFIX, 'E2E_CONTAINERS=<prefix of the test containers>');
  mkdirSync('target/e2e-screenshots', { recursive: true });
  browser = await launch();
  admin = await (await browser.newContext({ viewport: { width: 1400, height: 860 }, acceptDownloads: true })).newPage();
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

/** Graph node ids of the test containers by name, once all are in the graph and the layout has stopped. */
async function waitForMine(page, names = [SERVER, CLIENT, VICTIM]) {
  await page.waitForFunction(names => {
    const g = window.portolan?.graph;
    if (!g || g.stats.running) return false;
    const labels = new Set(g.graph.nodes().map(id => g.graph.getNodeAttribute(id, 'label')));
    return names.every(n => labels.has(n));
  }, names, { timeout: 40000, polling: 200 });
  return page.evaluate(names => {
    const g = window.portolan.graph.graph;
    return Object.fromEntries(names.map(n => [n, g.nodes().find(id => g.getNodeAttribute(id, 'label') === n)]));
  }, names);
}

/** Clicks a node where sigma draws it (zooming in on it when another node is on top); returns when selected. */
async function clickNode(page, id, { shift = false } = {}) {
  for (let attempt = 0; ; attempt++) {
    const pos = await page.evaluate(nodePagePosition, id);
    if (shift) await page.keyboard.down('Shift');
    await page.mouse.move(pos.x, pos.y);
    await page.mouse.click(pos.x, pos.y);
    if (shift) await page.keyboard.up('Shift');
    const selected = await page.waitForFunction(id => (new URL(location.href).searchParams.get('sel') ?? '').split(',').includes(id),
      id, { timeout: 3000 }).then(() => true, () => false);
    if (selected) return;
    assert.ok(attempt < 3, `could not click ${id} in the graph`);
    await page.evaluate(id => window.portolan.graph.focus(id), id);
    await page.waitForTimeout(500); // the camera animation (300 ms) has no end event to wait for
  }
}

/** Opens one container's details (from the containers view) and waits until they are live. */
async function openDetails(page, name) {
  if (new URL(page.url()).searchParams.get('view') !== 'containers') await page.goto(BASE + '/?view=containers');
  const ids = await waitForMine(page, [name]);
  if (await page.evaluate(() => new URL(location.href).searchParams.get('sel')) !== ids[name]) await clickNode(page, ids[name]);
  await page.waitForFunction(n => document.querySelector('.details .dhead h2')?.textContent === n, name, { timeout: 10000 });
  await page.waitForSelector('.details .stamp:has-text("Live")', { timeout: 15000 });
  return ids[name];
}

/** Text of the details' metadata row with this id (e.g. "state"). */
function detailRow(page, key) {
  return page.$eval(`.details table.kv tr[data-key="${key}"] td`, td => td.textContent).catch(() => null);
}

async function closeDrawerTabs(page) {
  while (await page.$('.drawer .tab button.icon')) await page.click('.drawer .tab button.icon');
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

test('the view selector lists the views of a Docker host (no Kubernetes views without Kubernetes)', async () => {
  await admin.waitForSelector('button.viewtab[data-view=hosts]', { timeout: 15000 });
  const views = await admin.$$eval('button.viewtab', bs => bs.map(b => b.dataset.view));
  assert.deepEqual(views, ['processes', 'processes-by-name', 'containers', 'containers-by-image', 'containers-by-hostname', 'hosts']);
});

test('the containers view shows the test containers and the client → server edge', async () => {
  await admin.goto(BASE + '/?view=containers');
  const ids = await waitForMine(admin);
  await admin.waitForSelector('[data-testid=conn].live');
  await admin.waitForFunction(([c, s]) => window.portolan.graph.graph.hasDirectedEdge(c, s), [ids[CLIENT], ids[SERVER]],
    { timeout: 30000, polling: 250 });
  assert.equal(await admin.evaluate(([c, s]) => window.portolan.graph.graph.hasDirectedEdge(s, c), [ids[CLIENT], ids[SERVER]]), false,
    'the edge points from the client to the server');
  assert.match(await admin.textContent('footer.status'), /Containers: \d+ nodes · \d+ edges/);
  await admin.evaluate(() => window.portolan.graph.fit());
  await waitForMine(admin);
  await shot(admin, '02-containers-graph');
  await admin.keyboard.press('t');
  await admin.waitForSelector('table.topo tbody tr');
  for (const name of [SERVER, CLIENT, VICTIM]) {
    assert.ok(await admin.$(`table.topo tbody tr:has-text("${name}")`), `${name} in the table`);
  }
  await admin.click('table.topo th:has-text("Name")');
  // Live updates change rows in place: the row under the pointer is the same element after the
  // next change of the table (else a click whose press and release straddle a delta is lost).
  await admin.evaluate(name => {
    const row = [...document.querySelectorAll('table.topo tbody tr')].find(r => r.textContent.includes(name));
    row.dataset.e2eKept = 'yes';
    window.e2eTableChanges = 0;
    new MutationObserver(m => { window.e2eTableChanges += m.length; })
      .observe(row.closest('table').parentElement, { subtree: true, childList: true, characterData: true });
  }, SERVER);
  await admin.waitForFunction(() => window.e2eTableChanges > 0, null, { timeout: 20000 });
  assert.ok(await admin.evaluate(name => [...document.querySelectorAll('table.topo tbody tr')]
    .some(r => r.textContent.includes(name) && r.dataset.e2eKept === 'yes'), SERVER),
  `the row of ${SERVER} was replaced by a live update instead of updated in place`);
  await shot(admin, '03-containers-table');
  await admin.keyboard.press('t');
  await admin.waitForSelector('.canvas:not([hidden])');
});

test('search finds a container by name and selects it', async () => {
  await admin.keyboard.press('/');
  await admin.keyboard.type(CLIENT);
  await admin.waitForSelector(`.search-results button.result:has-text("${CLIENT}")`, { timeout: 10000 });
  await admin.keyboard.press('Enter');
  await admin.waitForFunction(n => document.querySelector('.details .dhead h2')?.textContent === n, CLIENT, { timeout: 10000 });
  await admin.keyboard.press('Escape'); // leaves the search box
  await admin.keyboard.press('Escape'); // clears the selection
  await admin.waitForFunction(() => !new URL(location.href).searchParams.get('sel'));
});

test('clicking a container opens details with metadata, labels, links and sparklines that move', async () => {
  await admin.goto(BASE + '/?view=containers');
  const ids = await waitForMine(admin);
  await clickNode(admin, ids[CLIENT]);
  await admin.waitForFunction(n => document.querySelector('.details .dhead h2')?.textContent === n, CLIENT, { timeout: 10000 });
  assert.equal(new URL(admin.url()).searchParams.get('sel'), ids[CLIENT], 'the selection is in the URL');
  await admin.waitForSelector('.details table.kv', { timeout: 15000 });
  assert.equal(await detailRow(admin, 'state'), 'running');
  assert.ok(await admin.$('.details .labels .tag:has-text("io.portolan.test=true")'), 'the container labels');
  await admin.waitForSelector(`.details a[data-node="${ids[SERVER]}"]`, { timeout: 30000 });
  for (const m of ['cpu_percent', 'memory_bytes']) {
    await admin.waitForSelector(`.details .metric[data-metric=${m}] polyline`, { timeout: 20000 });
  }
  const read = () => admin.$eval('.details .metric[data-metric=cpu_percent] polyline', p => p.getAttribute('points'));
  const first = await read();
  await admin.waitForFunction(prev => document.querySelector('.details .metric[data-metric=cpu_percent] polyline')?.getAttribute('points') !== prev,
    first, { timeout: 15000 });
  assert.notEqual(await read(), first, 'the CPU sparkline changed');
  assert.match(await admin.textContent('.details .stamp'), /Live/);
  await shot(admin, '04-details-sparklines');
  // The outbound link to the server navigates within the view; back returns to the client.
  await admin.click(`.details a[data-node="${ids[SERVER]}"]`);
  await admin.waitForFunction(n => document.querySelector('.details .dhead h2')?.textContent === n, SERVER, { timeout: 10000 });
  await admin.waitForSelector(`.details a[data-node="${ids[CLIENT]}"]`, { timeout: 15000 }); // inbound from the client
  await admin.goBack();
  await admin.waitForFunction(n => document.querySelector('.details .dhead h2')?.textContent === n, CLIENT, { timeout: 10000 });
});

test('details list parents (host, image) and children (processes) that navigate to their views', async () => {
  await openDetails(admin, SERVER);
  await admin.waitForSelector('.details h4:has-text("Parents") + ul.refs li:has-text("image")', { timeout: 15000 });
  assert.ok(await admin.$('.details h4:has-text("Parents") + ul.refs li:has-text("host") a'), 'the host, as a link');
  await admin.waitForSelector('.details h4:has-text("Children") + ul.refs a:has-text("httpd")', { timeout: 20000 });
  await admin.click('.details h4:has-text("Children") + ul.refs a:has-text("httpd")');
  await admin.waitForFunction(() => new URL(location.href).searchParams.get('view') === 'processes');
  await admin.waitForFunction(() => /httpd/.test(document.querySelector('.details .dhead h2')?.textContent ?? ''), null, { timeout: 15000 });
  await admin.waitForSelector('.details .stamp:has-text("Live")', { timeout: 15000 });
  await shot(admin, '05-process-details');
  await admin.goBack();
  await admin.waitForFunction(n => new URL(location.href).searchParams.get('view') === 'containers'
    && document.querySelector('.details .dhead h2')?.textContent === n, SERVER, { timeout: 15000 });
  await openDetails(admin, CLIENT); // the next steps start from the client's details
});

test('an admin sees the controls; destructive ones ask first', async () => {
  for (const a of ['start', 'stop', 'restart', 'pause', 'unpause', 'remove', 'logs', 'terminal']) {
    assert.ok(await admin.$(`.details [data-action=${a}]`), `button ${a}`);
  }
  await admin.click('.details [data-action=stop]');
  await admin.waitForSelector('.modal');
  await shot(admin, '06-confirm-stop');
  await admin.click('.modal button:has-text("Cancel")');
  assert.equal(await admin.$('.modal'), null);
  assert.equal(await detailRow(admin, 'state'), 'running', 'cancel sent nothing');
});

test('a shared link restores view, selection and details; keys switch views; back returns', async () => {
  const url = admin.url();
  const page = await admin.context().newPage();
  await page.goto(url);
  await page.waitForFunction(n => document.querySelector('.details .dhead h2')?.textContent === n, CLIENT, { timeout: 20000 });
  await page.keyboard.press('1');
  await page.waitForFunction(() => new URL(location.href).searchParams.get('view') === 'processes');
  await page.goBack();
  await page.waitForFunction(() => new URL(location.href).searchParams.get('view') === 'containers');
  await page.close();
});

test('shift-click selects several containers; bulk pause and unpause reach both', async () => {
  await admin.goto(BASE + '/?view=containers');
  const ids = await waitForMine(admin);
  await clickNode(admin, ids[SERVER]);
  await clickNode(admin, ids[CLIENT], { shift: true });
  await admin.waitForSelector('.details .dhead h2:has-text("2 selected")');
  assert.deepEqual(new URL(admin.url()).searchParams.get('sel').split(',').sort(), [ids[SERVER], ids[CLIENT]].sort());
  assert.ok(await admin.$('.details h4:has-text("Controls for 2 container(s)")'));
  await admin.click('.details [data-action=restart]');
  await admin.waitForSelector('.modal:has-text("Restart 2 containers?")');
  await shot(admin, '07-bulk-confirm');
  await admin.click('.modal button:has-text("Cancel")');
  // Pause both (asks first), then unpause both (does not): the engine's state shows in the view.
  const states = () => admin.evaluate(ids => Promise.all(ids.map(id => fetch(`/api/topology/containers/${encodeURIComponent(id)}`)
    .then(r => r.json()).then(d => d.metadata.find(m => m.id === 'state')?.value))), [ids[SERVER], ids[CLIENT]]);
  await admin.click('.details [data-action=pause]');
  await admin.click('[data-testid=confirm-ok]');
  await admin.waitForSelector('.toast:has-text("Pause: sent to 2 containers")', { timeout: 20000 });
  for (const deadline = Date.now() + 15000; (await states()).some(s => s !== 'paused');) {
    assert.ok(Date.now() < deadline, 'both paused in the view: ' + await states());
    await admin.waitForTimeout(250);
  }
  await admin.click('.details [data-action=unpause]');
  assert.equal(await admin.$('.modal'), null, 'unpause does not ask');
  await admin.waitForSelector('.toast:has-text("Unpause: sent to 2 containers")', { timeout: 20000 });
  for (const deadline = Date.now() + 15000; (await states()).some(s => s !== 'running');) {
    assert.ok(Date.now() < deadline, 'both running again in the view: ' + await states());
    await admin.waitForTimeout(250);
  }
  await admin.keyboard.press('Escape');
});

test('grouping by host collapses the containers into the host, expandable', async () => {
  await admin.goto(BASE + '/?view=containers');
  await waitForMine(admin);
  await admin.selectOption('select[name=group]', 'host');
  await admin.waitForFunction(() => {
    const g = window.portolan.graph.graph;
    return g.nodes().some(n => n.startsWith('group:host:')) && !g.nodes().some(n => n.startsWith('container:'));
  });
  await shot(admin, '08-grouped-by-host');
  const group = await admin.evaluate(() => window.portolan.graph.graph.nodes().find(n => n.startsWith('group:host:')));
  await admin.evaluate(id => window.portolan.app.expandGroup(id), group);
  await waitForMine(admin);
  await admin.selectOption('select[name=group]', '');
});

test('tablet width: the page still fits', async () => {
  const page = await (await browser.newContext({ viewport: { width: 820, height: 1100 } })).newPage();
  await login(page, 'admin', ADMIN_PASSWORD);
  await page.goto(BASE + '/?view=containers');
  await waitForMine(page);
  const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
  assert.ok(overflow <= 0, `horizontal overflow ${overflow}px`);
  await shot(page, '09-tablet');
  await page.context().close();
});

/** The rows the terminal shows (xterm's DOM renderer), trailing blanks trimmed. */
function termRows(page, tab) {
  return page.$$eval(`${tab} .xterm-rows > div`, rows => rows.map(r => r.textContent.replace(/\u00a0/g, ' ').trimEnd()));
}

test('the terminal runs echo hi and shows hi; copy, paste, resize, several tabs', async () => {
  await openDetails(admin, SERVER);
  await admin.click('.details [data-action=terminal]');
  const tab = '.drawer .term:not([hidden])';
  await admin.waitForSelector(`${tab} .termstatus.ok`, { timeout: 20000 });
  await admin.waitForFunction(t => document.querySelector(`${t} .xterm-rows`)?.textContent.includes('#'), tab, { timeout: 10000 });
  await admin.keyboard.type('echo hi\n');
  await admin.waitForFunction(t => [...document.querySelectorAll(`${t} .xterm-rows > div`)]
    .some(r => r.textContent.replace(/\u00a0/g, ' ').trim() === 'hi'), tab, { timeout: 15000 });
  await shot(admin, '10-terminal-echo-hi');
  // Copy (select, Ctrl+Shift+C) and paste (Ctrl+Shift+V) go through the system clipboard.
  await admin.context().grantPermissions(['clipboard-read', 'clipboard-write'], { origin: BASE });
  const hi = await admin.evaluateHandle(t => [...document.querySelectorAll(`${t} .xterm-rows > div`)]
    .find(r => r.textContent.replace(/\u00a0/g, ' ').trim() === 'hi'), tab);
  const box = await hi.asElement().boundingBox();
  await admin.mouse.dblclick(box.x + 4, box.y + box.height / 2); // xterm selects the word
  await admin.keyboard.press('Control+Shift+KeyC');
  await admin.waitForFunction(() => navigator.clipboard.readText().then(t => t === 'hi'), null, { timeout: 5000 });
  await admin.evaluate(() => navigator.clipboard.writeText('echo pas$((1+1))ted\n'));
  await admin.keyboard.press('Control+Shift+KeyV');
  await admin.waitForFunction(t => [...document.querySelectorAll(`${t} .xterm-rows > div`)]
    .some(r => r.textContent.replace(/\u00a0/g, ' ').trim() === 'pas2ted'), tab, { timeout: 10000 });
  // The pty has the size of the terminal on the page, and follows it when the window changes.
  let asked = 0;
  const sttyRows = async () => {
    const n = ++asked; // each answer carries its own number, so an older one is never read again
    await admin.keyboard.type(`echo "S$(stty size)E${n}"\n`);
    const answer = new RegExp(`^S(\\d+) (\\d+)E${n}$`);
    await admin.waitForFunction(([t, re]) => [...document.querySelectorAll(`${t} .xterm-rows > div`)]
      .some(r => new RegExp(re).test(r.textContent.replace(/\u00a0/g, ' ').trim())), [tab, answer.source], { timeout: 10000 });
    const rows = await termRows(admin, tab);
    const m = rows.map(r => answer.exec(r.trim())).find(Boolean);
    return { size: [Number(m[1]), Number(m[2])], shown: rows.length };
  };
  const before = await sttyRows();
  assert.equal(before.size[0], before.shown, `stty rows ${before.size} = the terminal's rows (${before.shown})`);
  await admin.setViewportSize({ width: 1400, height: 1060 });
  await admin.waitForFunction(([t, n]) => document.querySelectorAll(`${t} .xterm-rows > div`).length !== n, [tab, before.shown], { timeout: 10000 });
  // The resize frame travels through the node and the agent to the engine: ask again until it is there.
  let after = await sttyRows();
  for (const deadline = Date.now() + 10000; after.size[0] !== after.shown && Date.now() < deadline;) after = await sttyRows();
  assert.equal(after.size[0], after.shown, `stty rows ${after.size} = the terminal's rows (${after.shown}) after the resize`);
  assert.notEqual(after.size[0], before.size[0], 'the pty was resized with the page');
  await admin.setViewportSize({ width: 1400, height: 860 });
  // A second terminal in its own tab; the first keeps its session.
  await admin.click('.details [data-action=terminal]');
  await admin.waitForFunction(() => document.querySelectorAll('.drawer .tab').length === 2);
  await admin.waitForSelector(`${tab} .termstatus.ok`, { timeout: 20000 });
  await admin.keyboard.type('exit 3\n');
  await admin.waitForSelector(`${tab} .termstatus:has-text("exited with code 3")`, { timeout: 10000 });
  await admin.click('.drawer .tab:first-child button.tablabel');
  await admin.click(`${tab} .xterm-screen`); // the keyboard goes to the terminal again
  await admin.keyboard.type('echo still$((40+2))\n');
  await admin.waitForFunction(t => document.querySelector(`${t} .xterm-rows`)?.textContent.includes('still42'), tab, { timeout: 10000 });
  await closeDrawerTabs(admin);
});

test('the log viewer follows new lines; pause, search, stream filter, timestamps, download', async () => {
  await openDetails(admin, CLIENT);
  await admin.click('.details [data-action=logs]');
  const view = '.drawer .logs:not([hidden])';
  await admin.waitForSelector(`${view} .logbar .ok:has-text("Following")`, { timeout: 20000 });
  const lastFetch = () => admin.$$eval(`${view} .logline.stdout`, ls => Math.max(-1, ...ls.map(l => /fetch (\d+) ok/.exec(l.textContent)?.[1])
    .filter(Boolean).map(Number)));
  await admin.waitForFunction(v => document.querySelector(`${v} .logline.stdout`), view, { timeout: 15000 });
  const first = await lastFetch();
  await admin.waitForFunction(([v, n]) => [...document.querySelectorAll(`${v} .logline.stdout`)]
    .some(l => Number(/fetch (\d+) ok/.exec(l.textContent)?.[1] ?? -1) > n), [view, first], { timeout: 15000 });
  assert.ok(await lastFetch() > first, 'a new line arrived while watching');
  assert.match(await admin.textContent(`${view} .logline .ts`), /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d/);
  await shot(admin, '11-logs-following');
  // Pause keeps collecting: the button counts what arrived meanwhile.
  await admin.click(`${view} [data-action=pause]`);
  await admin.evaluate(() => new Promise(r => requestAnimationFrame(() => r()))); // a redraw queued before the pause
  const frozen = await lastFetch();
  await admin.waitForSelector(`${view} [data-action=pause]:has-text("new)")`, { timeout: 15000 });
  assert.equal(await lastFetch(), frozen, 'nothing new is drawn while paused');
  await admin.click(`${view} [data-action=pause]`);
  await admin.waitForFunction(([v, n]) => [...document.querySelectorAll(`${v} .logline.stdout`)]
    .some(l => Number(/fetch (\d+) ok/.exec(l.textContent)?.[1] ?? -1) > n), [view, frozen], { timeout: 15000 });
  // Search highlights; the stream filter shows stderr only; timestamps can be hidden.
  await admin.fill(`${view} input[type=search]`, 'note');
  const shown = await admin.$$eval(`${view} .logline`, ls => ls.map(l => [l.className, l.querySelector('mark')?.textContent]));
  assert.ok(shown.length > 0 && shown.every(([, m]) => m === 'note'), 'only matching lines, highlighted: ' + JSON.stringify(shown.slice(0, 3)));
  await admin.fill(`${view} input[type=search]`, '');
  await admin.selectOption(`${view} select`, 'stderr');
  const streams = await admin.$$eval(`${view} .logline`, ls => ls.map(l => l.classList.contains('stderr')));
  assert.ok(streams.length > 0 && streams.every(Boolean), 'only stderr lines');
  await admin.uncheck(`${view} .logbar input[type=checkbox]`);
  assert.equal(await admin.$(`${view} .logline .ts`), null, 'no timestamps');
  await shot(admin, '12-logs-stderr');
  await admin.selectOption(`${view} select`, 'all');
  const [download] = await Promise.all([admin.waitForEvent('download'), admin.click(`${view} button:has-text("Download")`)]);
  const text = readFileSync(await download.path(), 'utf8');
  assert.match(text, /fetch \d+ ok/);
  assert.match(text, /\[stderr\] note \d+/);
  await closeDrawerTabs(admin);
});

test('stopping a container from the UI shows it stopped', async () => {
  const id = await openDetails(admin, VICTIM);
  assert.equal(await detailRow(admin, 'state'), 'running');
  await admin.click('.details [data-action=stop]');
  await admin.waitForSelector('.modal:has-text("Stop container?")');
  await admin.click('[data-testid=confirm-ok]');
  await admin.waitForSelector(`.toast:has-text("Stop: sent to ${VICTIM}")`, { timeout: 30000 });
  await admin.waitForFunction(() => document.querySelector('.details table.kv tr[data-key=state] td')?.textContent === 'exited',
    null, { timeout: 15000 });
  await admin.waitForFunction(([id, c]) => window.portolan.graph.graph.getNodeAttribute(id, 'color') === c, [id, STOPPED_COLOUR],
    { timeout: 15000 });
  await shot(admin, '13-stopped');
  // The table says so too.
  await admin.keyboard.press('t');
  await admin.waitForSelector(`table.topo tbody tr:has-text("${VICTIM}")`);
  assert.match(await admin.textContent(`table.topo tbody tr:has-text("${VICTIM}")`), /stopped/);
  await admin.keyboard.press('t');
});

test('filters live in the URL (shareable, back works) and can be saved', async () => {
  const mine = `io.portolan.e2e=${PREFIX}`;
  const shownContainers = page => page.evaluate(() => {
    const g = window.portolan.graph.graph;
    return g.nodes().filter(id => id.startsWith('container:')).map(id => g.getNodeAttribute(id, 'label')).sort();
  });
  await admin.goto(BASE + '/?view=containers');
  await waitForMine(admin);
  await admin.fill('input[name=labels]', mine);
  await admin.click('.filters form button[type=submit]');
  await admin.waitForFunction(l => new URL(location.href).searchParams.getAll('label').includes(l), mine);
  await admin.waitForFunction(() => window.portolan.graph.graph.nodes().filter(id => id.startsWith('container:')).length === 3);
  assert.deepEqual(await shownContainers(admin), [CLIENT, SERVER, VICTIM].sort());
  await admin.selectOption('select[name=state]', 'stopped');
  await admin.waitForFunction(() => window.portolan.graph.graph.nodes().filter(id => id.startsWith('container:')).length === 1);
  await waitForMine(admin, [VICTIM]);
  assert.deepEqual(await shownContainers(admin), [VICTIM]);
  await shot(admin, '14-filtered-stopped');
  // Shared: the link shows the same in another tab.
  const other = await admin.context().newPage();
  await other.goto(admin.url());
  await waitForMine(other, [VICTIM]);
  assert.deepEqual(await shownContainers(other), [VICTIM]);
  await other.close();
  // Saved: kept under a name, applied again from the list.
  await admin.fill('input[aria-label="Saved filter name"]', 'e2e stopped');
  await admin.click('.filters button:has-text("Save")');
  await admin.waitForSelector('ul.saved a:has-text("e2e stopped")');
  // Back: the previous filters (running and stopped) come back.
  await admin.goBack();
  await admin.waitForFunction(() => !new URL(location.href).searchParams.get('state'));
  await admin.waitForFunction(() => window.portolan.graph.graph.nodes().filter(id => id.startsWith('container:')).length === 3);
  await admin.goto(BASE + '/?view=containers');
  await waitForMine(admin);
  await admin.click('ul.saved a:has-text("e2e stopped")');
  await admin.waitForFunction(() => new URL(location.href).searchParams.get('state') === 'stopped');
  await admin.waitForFunction(() => window.portolan.graph.graph.nodes().filter(id => id.startsWith('container:')).length === 1);
  assert.deepEqual(await shownContainers(admin), [VICTIM]);
  await admin.goto(BASE + '/?view=containers');
});

test('a viewer sees no control, logs or terminal buttons', async () => {
  assert.ok(VIEWER, 'PORTOLAN_VIEWER=user:password');
  const page = await (await browser.newContext({ viewport: { width: 1400, height: 860 } })).newPage();
  await login(page, VIEWER, VIEWER_PASSWORD);
  assert.match(await page.textContent('[data-testid=user]'), /viewer/);
  await page.goto(BASE + '/?view=containers');
  await openDetails(page, CLIENT);
  await page.waitForSelector('.details .metric', { timeout: 15000 });
  assert.equal((await page.$$('.details [data-action]')).length, 0, 'no control buttons for a viewer');
  await shot(page, '15-viewer-details');
  await page.context().close();
});

test('the banner says when the connection drops (nothing shown as live) and when it returns', async t => {
  if (!SIGNALS) { t.skip('no E2E_SIGNALS folder: nobody to stop the node'); return; }
  await openDetails(admin, CLIENT);
  await admin.waitForSelector('[data-testid=conn].live');
  writeFileSync(join(SIGNALS, 'stop-node'), 'now');
  await admin.waitForSelector('[data-testid=banner].error', { timeout: 60000 });
  assert.match(await admin.textContent('[data-testid=banner]'), /lost.*NOT live/);
  assert.match(await admin.textContent('[data-testid=conn]'), /disconnected/);
  assert.ok(await admin.isVisible('.stale-mark'), 'the map is marked as not live');
  await admin.waitForSelector('.details .stamp.warn', { timeout: 10000 });
  assert.doesNotMatch(await admin.textContent('.details .stamp'), /Live/);
  await shot(admin, '16-connection-lost');
  writeFileSync(join(SIGNALS, 'start-node'), 'now');
  await admin.waitForSelector('[data-testid=banner].ok:has-text("restored")', { timeout: 90000 });
  await admin.waitForSelector('[data-testid=conn].live');
  assert.ok(!(await admin.isVisible('.stale-mark')), 'the map is live again');
  // The agent reconnects on its own back-off (up to 30 s), then the details are live again.
  await admin.waitForSelector('.details .stamp:not(.warn):has-text("Live")', { timeout: 60000 });
  await shot(admin, '17-connection-restored');
});
