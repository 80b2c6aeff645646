// Cross-browser smoke: the UI's main path in Firefox (Debian firefox-esr) and WebKit (Debian
// webkit2gtk-driver, Safari's engine); the full suite (ui.e2e.mjs) runs in Chromium. Run by
// http-gateway's UiE2EIT after the Chromium suite, against the same node and containers, or by hand
// (a display is needed, see engines.mjs):
//   PORTOLAN_URL=http://127.0.0.1:4040 PORTOLAN_ADMIN_PASSWORD=... E2E_CONTAINERS=<prefix> \
//   xvfb-run -a -s '-screen 0 1600x1000x24 -noreset' node --test --test-concurrency=1 e2e/browsers.e2e.mjs
// Env: E2E_ENGINES (default firefox,webkit). Screenshots: target/e2e-screenshots/<engine>-*.png.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync } from 'node:fs';
import { open } from './engines.mjs';
import { nodePagePosition } from './graph.mjs';

const BASE = process.env.PORTOLAN_URL ?? 'http://127.0.0.1:4040';
const ADMIN_PASSWORD = process.env.PORTOLAN_ADMIN_PASSWORD;
const PREFIX = process.env.E2E_CONTAINERS;
const ENGINES = (process.env.E2E_ENGINES ?? 'firefox,webkit').split(',').filter(Boolean);
const SERVER = `${PREFIX}-server`, CLIENT = `${PREFIX}-client`;

/** The login page renders and signs the admin in. */
async function signIn(page, shot) {
  await page.goto(BASE + '/');
  await page.waitFor('the login form', () => !!document.querySelector('form.login input[name=password]'));
  await shot('01-login');
  await page.type('input[name=username]', 'admin');
  await page.type('input[name=password]', ADMIN_PASSWORD);
  await page.click('button[type=submit]');
  await page.waitFor('signed in as admin', () => /admin/.test(document.querySelector('[data-testid=user]')?.textContent ?? ''));
}

const detailsTitle = n => document.querySelector('.details .dhead h2')?.textContent === n;

for (const engine of ENGINES) {
  test(`${engine}: log in, containers with the client → server edge, details`, { timeout: 120000 }, async () => {
    assert.ok(PREFIX, 'E2E_CONTAINERS=<prefix of the test containers>');
    mkdirSync('target/e2e-screenshots', { recursive: true });
    const started = Date.now();
    const page = await open(engine);
    const shot = name => page.screenshot(`target/e2e-screenshots/${engine}-${name}.png`);
    try {
      console.log(`${engine} ${page.version}`);
      // The login page renders and signs the admin in.
      await signIn(page, shot);

      // The graph: sigma drew it with WebGL, the test containers are nodes, the client → server edge is there.
      await page.goto(BASE + '/?view=containers');
      const ids = await page.waitFor('the test containers in the graph, live', names => {
        const g = window.portolan?.graph;
        if (!g?.graph || !document.querySelector('[data-testid=conn].live')) return null;
        const byLabel = Object.fromEntries(g.graph.nodes().map(id => [g.graph.getNodeAttribute(id, 'label'), id]));
        return names.every(n => byLabel[n]) ? Object.fromEntries(names.map(n => [n, byLabel[n]])) : null;
      }, [SERVER, CLIENT], 40000);
      await page.waitFor('the client → server edge', ([c, s]) => window.portolan.graph.graph.hasDirectedEdge(c, s),
        [ids[CLIENT], ids[SERVER]], 30000);
      const gl = await page.evaluate(() => {
        const s = window.portolan.graph.sigma;
        const contexts = Object.values(s.webGLContexts ?? {});
        return { contexts: contexts.length, lost: contexts.filter(c => !c || c.isContextLost()).length,
          canvases: document.querySelectorAll('[data-testid=graph] canvas').length };
      });
      assert.ok(gl.contexts > 0 && gl.lost === 0 && gl.canvases > 0, `sigma draws with WebGL: ${JSON.stringify(gl)}`);
      // Waited for: the status bar shows the view's id ("containers") until the view list has loaded.
      await page.waitFor('the counts in the status bar', () => /Containers: \d+ nodes · [1-9]\d* edges/
        .test(document.querySelector('footer.status')?.textContent ?? ''));
      await page.evaluate(() => window.portolan.graph.fit());
      await page.waitFor('the layout to settle', () => !window.portolan.graph.stats.running, null, 30000);
      await shot('02-containers-graph');

      // Table mode: rows for the containers; the client has an outbound and the server an inbound edge.
      await page.click('[data-testid=mode]');
      const rows = await page.waitFor('the containers in the table', ([c, s]) => {
        const row = id => document.querySelector(`table.topo tbody tr[data-id="${CSS.escape(id)}"]`);
        if (!row(c) || !row(s)) return null;
        const head = [...document.querySelectorAll('table.topo thead th')].map(th => th.textContent);
        const cell = (id, col) => row(id).children[head.indexOf(col)]?.textContent;
        return { client: [cell(c, 'Name'), cell(c, 'Out')], server: [cell(s, 'Name'), cell(s, 'In')] };
      }, [ids[CLIENT], ids[SERVER]]);
      assert.equal(rows.client[0], CLIENT);
      assert.equal(rows.server[0], SERVER);
      assert.ok(Number(rows.client[1]) >= 1 && Number(rows.server[1]) >= 1, `edges out of the client and into the server: ${JSON.stringify(rows)}`);
      await shot('03-containers-table');

      // A row click opens the details: name, state, a CPU sparkline, live.
      await page.click(`table.topo tbody tr[data-id="${ids[CLIENT]}"] td:nth-child(2)`);
      await page.waitFor(`details of ${CLIENT}`, detailsTitle, CLIENT);
      await page.waitFor('the state row: running',
        () => document.querySelector('.details table.kv tr[data-key=state] td')?.textContent === 'running');
      await page.waitFor('a CPU sparkline', () => !!document.querySelector('.details .metric[data-metric=cpu_percent] polyline'), null, 20000);
      await page.waitFor('live details', () => /Live/.test(document.querySelector('.details .stamp')?.textContent ?? ''));
      await shot('04-details');

      // Back in the graph, a click where sigma draws the server selects it (the engine's pointer events).
      await page.click('[data-testid=mode]');
      await page.waitFor('the graph again', () => !!document.querySelector('.canvas:not([hidden])'));
      for (let attempt = 0; ; attempt++) {
        await page.evaluate(id => window.portolan.graph.focus(id), ids[SERVER]);
        await new Promise(r => setTimeout(r, 600)); // the camera animation (300 ms) has no end event
        const pos = await page.evaluate(nodePagePosition, ids[SERVER]);
        await page.clickAt(pos.x, pos.y);
        const ok = await page.waitFor(`details of ${SERVER}`, detailsTitle, SERVER, 3000).then(() => true, () => false);
        if (ok) break;
        assert.ok(attempt < 2, `clicking ${SERVER} at ${JSON.stringify(pos)} in the graph did not select it`);
      }
      await shot('05-graph-click-details');
      assert.deepEqual(page.errors, [], 'no uncaught errors in the page');
    } catch (e) {
      await shot('failed').catch(() => {});
      if (page.errors.length) console.error(`${engine} page errors:`, page.errors);
      throw e;
    } finally {
      await page.close();
      console.log(`${engine}: ${Math.round((Date.now() - started) / 1000)} s`);
    }
  });
}

if (ENGINES.includes('firefox')) {
  test('firefox without WebGL: the view is shown as a table, with a notice saying why', { timeout: 90000 }, async () => {
    const page = await open('firefox', { webgl: false });
    const shot = name => page.screenshot(`target/e2e-screenshots/firefox-nowebgl-${name}.png`);
    try {
      await signIn(page, shot);
      await page.goto(BASE + '/?view=containers');
      await page.waitFor('the test containers in the table', names => {
        const cells = [...document.querySelectorAll('table.topo tbody td')].map(td => td.textContent);
        return names.every(n => cells.includes(n));
      }, [SERVER, CLIENT], 40000);
      await page.waitFor('the notice', () => /cannot draw the graph/.test(document.querySelector('[data-testid=banner]')?.textContent ?? ''));
      assert.equal(await page.evaluate(() => document.querySelector('[data-testid=mode]').disabled), true,
        'no switch to a graph that cannot be drawn');
      await shot('02-table');
    } catch (e) {
      await shot('failed').catch(() => {});
      throw e;
    } finally {
      await page.close();
    }
  });
}
