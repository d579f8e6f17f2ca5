// Headless Chromium for tests that check an HTML page the project writes (the
// test report, the drill's report). The browser is the system's Chromium
// (Debian's `chromium` package; CHROMIUM_PATH points elsewhere), driven by
// playwright-core, which downloads nothing. Pages run with the network off:
// a report must open from a file with no fetch at all, so every request that
// is not file: or data: is aborted and recorded for the test to assert on.
import { existsSync } from 'node:fs';
import { chromium, type Browser, type Page } from 'playwright-core';

/** Where the browser is looked for when CHROMIUM_PATH is not set. */
export const DEFAULT_CHROMIUM_PATH = '/usr/bin/chromium';

// Without the background-networking flags Chromium keeps dialling Google
// services, which on a machine with no network floods it with refused connections.
const CHROMIUM_ARGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
];

/** The Chromium executable the tests use; throws with the way to install it when it is missing. */
export function chromiumPath(): string {
  const path = process.env.CHROMIUM_PATH ?? DEFAULT_CHROMIUM_PATH;
  if (!existsSync(path)) {
    throw new Error(`no Chromium at ${path}: install Debian's chromium (apt-get install -y chromium) or set CHROMIUM_PATH`);
  }
  return path;
}

/** Launches headless Chromium; the caller closes it. */
export async function launchBrowser(options: { timeoutMs?: number } = {}): Promise<Browser> {
  return chromium.launch({ executablePath: chromiumPath(), headless: true, args: CHROMIUM_ARGS, timeout: options.timeoutMs ?? 30_000 });
}

/** A page with the network off, and the requests it tried to make anyway. */
export interface OfflinePage {
  readonly page: Page;
  /** URLs of requests that were not file: or data: and were aborted. */
  readonly blocked: readonly string[];
  /** Console errors and uncaught page errors, in order. */
  readonly consoleErrors: readonly string[];
}

/**
 * Opens `url` in a fresh offline context of `browser` and runs `use` on it;
 * the context is closed whatever `use` does.
 */
export async function withOfflinePage<T>(browser: Browser, url: string, use: (offline: OfflinePage) => Promise<T>): Promise<T> {
  const context = await browser.newContext({ offline: true, javaScriptEnabled: true });
  const blocked: string[] = [];
  const consoleErrors: string[] = [];
  try {
    await context.route('**/*', async (route) => {
      const requested = route.request().url();
      if (requested.startsWith('file:') || requested.startsWith('data:')) return route.continue();
      blocked.push(requested);
      return route.abort('internetdisconnected');
    });
    const page = await context.newPage();
    page.setDefaultTimeout(10_000);
    page.on('console', (message) => {
      if (message.type() === 'error') consoleErrors.push(message.text());
    });
    page.on('pageerror', (err) => consoleErrors.push(err.message));
    await page.goto(url, { waitUntil: 'load' });
    return await use({ page, blocked, consoleErrors });
  } finally {
    await context.close();
  }
}
