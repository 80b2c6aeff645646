// The same few page operations on Firefox and WebKit, for the cross-browser smoke (browsers.e2e.mjs).
// Only browsers from Debian packages, nothing is ever downloaded:
//   firefox  Debian's firefox-esr through puppeteer-core, which speaks WebDriver BiDi to stock Firefox
//            (no geckodriver);
//   webkit   Debian's webkit2gtk-driver (WebKitWebDriver starting WebKitGTK's MiniBrowser, the engine
//            of Safari) over classic WebDriver: plain HTTP, so a dozen lines of fetch instead of a client.
// Both need an X display: without one Firefox (even headless) finds no GL driver, so no WebGL and no
// graph, and MiniBrowser does not start. So the suite runs under xvfb-run (Debian's xvfb), where both
// draw with Mesa's software GL, and Firefox can as well have its window.
import { spawn } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import puppeteer from 'puppeteer-core';

export const FIREFOX = process.env.FIREFOX ?? '/usr/bin/firefox-esr';
export const WEBKIT_DRIVER = process.env.WEBKIT_DRIVER ?? '/usr/bin/WebKitWebDriver';
const MULTIARCH = { x64: 'x86_64-linux-gnu', arm64: 'aarch64-linux-gnu' }[process.arch] ?? `${process.arch}-linux-gnu`;
export const MINIBROWSER = process.env.MINIBROWSER ?? `/usr/lib/${MULTIARCH}/webkit2gtk-4.1/MiniBrowser`;
const VIEWPORT = { width: 1400, height: 860 };
const ELEMENT = 'element-6066-11e4-a52e-4f735466cecf'; // the key of an element reference (WebDriver spec)

/**
 * A page in one engine: goto, evaluate (a function and one JSON argument), waitFor (polls evaluate
 * until truthy), type, click (a CSS selector), clickAt (viewport pixels), screenshot, close.
 */
export async function open(engine, { webgl = true } = {}) {
  if (!process.env.DISPLAY) throw new Error('no DISPLAY: run under xvfb-run (Debian package xvfb)');
  if (engine === 'firefox') return openFirefox(webgl);
  if (engine === 'webkit') return openWebKit();
  throw new Error(`unknown engine ${engine} (firefox or webkit)`);
}

async function openFirefox(webgl) {
  const browser = await puppeteer.launch({ browser: 'firefox', executablePath: FIREFOX, headless: false,
    defaultViewport: VIEWPORT,
    // Software GL (llvmpipe) is on Firefox's blocklist, hence force-enabled; webgl=false turns it off.
    extraPrefsFirefox: webgl ? { 'webgl.force-enabled': true } : { 'webgl.disabled': true } });
  const page = await browser.newPage();
  const errors = [];
  page.on('pageerror', e => errors.push(e.message));
  return withWaitFor({
    version: await browser.version(),
    errors,
    goto: url => page.goto(url),
    evaluate: (fn, arg) => page.evaluate(fn, arg),
    type: (sel, text) => page.type(sel, text),
    click: sel => retryStale(() => page.click(sel)),
    clickAt: (x, y) => page.mouse.click(x, y),
    screenshot: path => page.screenshot({ path }),
    close: () => browser.close(),
  });
}

async function openWebKit() {
  const port = await freePort();
  const driver = spawn(WEBKIT_DRIVER, [`--port=${port}`], { stdio: ['ignore', 'ignore', 'pipe'] });
  let driverLog = '';
  driver.stderr.on('data', d => { driverLog = (driverLog + d).slice(-4000); });
  const base = `http://127.0.0.1:${port}`;
  const wd = async (method, path, body) => {
    const r = await fetch(base + path, { method, headers: { 'content-type': 'application/json' },
      body: body === undefined ? undefined : JSON.stringify(body) });
    const j = await r.json();
    if (!r.ok) throw new Error(`WebDriver ${method} ${path}: ${j.value?.error}: ${j.value?.message}`);
    return j.value;
  };
  try {
    for (const deadline = Date.now() + 10000; ;) {
      if (await wd('GET', '/status').then(s => s.ready, () => false)) break;
      if (Date.now() > deadline || driver.exitCode !== null) throw new Error('WebKitWebDriver did not start: ' + driverLog);
      await new Promise(r => setTimeout(r, 100));
    }
    const session = await wd('POST', '/session', { capabilities: { alwaysMatch: {
      browserName: 'MiniBrowser', 'webkitgtk:browserOptions': { binary: MINIBROWSER, args: ['--automation'] } } } });
    const s = `/session/${session.sessionId}`;
    await wd('POST', `${s}/window/rect`, { x: 0, y: 0, ...VIEWPORT });
    const element = async sel => (await wd('POST', `${s}/element`, { using: 'css selector', value: sel }))[ELEMENT];
    return withWaitFor({
      version: session.capabilities.browserVersion,
      errors: [],
      goto: url => wd('POST', `${s}/url`, { url }),
      evaluate: (fn, arg) => wd('POST', `${s}/execute/sync`, { script: `return (${fn})(arguments[0]);`, args: [arg ?? null] }),
      type: async (sel, text) => wd('POST', `${s}/element/${await element(sel)}/value`, { text }),
      click: sel => retryStale(async () => wd('POST', `${s}/element/${await element(sel)}/click`, {})),
      clickAt: (x, y) => wd('POST', `${s}/actions`, { actions: [{ type: 'pointer', id: 'mouse', parameters: { pointerType: 'mouse' },
        actions: [{ type: 'pointerMove', x: Math.round(x), y: Math.round(y), duration: 0 }, { type: 'pointerDown', button: 0 },
          { type: 'pointerUp', button: 0 }] }] }),
      screenshot: async path => writeFileSync(path, Buffer.from(await wd('GET', `${s}/screenshot`), 'base64')),
      close: async () => { await wd('DELETE', s).catch(() => {}); driver.kill(); },
    });
  } catch (e) {
    driver.kill();
    throw e;
  }
}

/**
 * Runs a click again when the element went away between finding and clicking it (a live update
 * replaced it): puppeteer's "Node is detached from document", WebDriver's "stale element reference".
 */
async function retryStale(click) {
  for (let attempt = 1; ; attempt++) {
    try {
      return await click();
    } catch (e) {
      if (attempt >= 3 || !/detached|stale element/i.test(String(e?.message))) throw e;
      await new Promise(r => setTimeout(r, 200));
    }
  }
}

function withWaitFor(page) {
  /** Polls fn(arg) in the page until it returns something truthy; fails with `what` after timeout ms. */
  page.waitFor = async (what, fn, arg, timeout = 15000) => {
    for (const deadline = Date.now() + timeout; ;) {
      const v = await page.evaluate(fn, arg);
      if (v) return v;
      if (Date.now() > deadline) throw new Error(`timed out after ${timeout} ms waiting for ${what}`);
      await new Promise(r => setTimeout(r, 250));
    }
  };
  return page;
}

function freePort() {
  return new Promise((resolve, reject) => {
    const srv = createServer().listen(0, '127.0.0.1', () => { const { port } = srv.address(); srv.close(() => resolve(port)); });
    srv.on('error', reject);
  });
}
