// Headless Debian chromium through playwright-core (no browser download, ever).
import { chromium } from 'playwright-core';

export const CHROMIUM = process.env.CHROMIUM ?? '/usr/bin/chromium';

export async function launch() {
  // playwright's launch() always uses a fresh temporary profile (it refuses --user-data-dir).
  return chromium.launch({
    executablePath: CHROMIUM,
    headless: true,
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
      '--disable-background-networking', '--disable-component-update', '--disable-sync',
      '--enable-unsafe-swiftshader'],
  });
}

export async function shot(page, name) {
  await page.screenshot({ path: `target/e2e-screenshots/${name}.png` });
}
