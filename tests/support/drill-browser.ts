// Headless Chromium for the drill's report tests: Debian's chromium driven by
// playwright-core, with the network off (every request that is not a file
// is aborted and remembered).
import { existsSync } from 'node:fs';
import { chromium, type Browser, type Page } from 'playwright-core';

export const CHROMIUM_PATH = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

const QUIET_FLAGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
];

/** A page that can only read files, with what it tried to fetch and what it logged as errors. */
export interface OfflinePage {
  readonly page: Page;
  readonly blockedRequests: string[];
  readonly consoleErrors: string[];
  close(): Promise<void>;
}

/** Launches Chromium (failing with a clear message when it is not installed) and opens an offline page. */
export async function openOfflinePage(): Promise<OfflinePage> {
  if (!existsSync(CHROMIUM_PATH)) {
    throw new Error(`Chromium is not installed at ${CHROMIUM_PATH}: apt-get update && apt-get install -y chromium (or set CHROMIUM_PATH)`);
  }
  const browser: Browser = await chromium.launch({ executablePath: CHROMIUM_PATH, args: QUIET_FLAGS, timeout: 30_000 });
  try {
    const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
    const page = await context.newPage();
    const blockedRequests: string[] = [];
    const consoleErrors: string[] = [];
    await page.route('**/*', async (route) => {
      const url = route.request().url();
      if (url.startsWith('file:')) await route.continue();
      else {
        blockedRequests.push(url);
        await route.abort();
      }
    });
    page.on('console', (message) => {
      if (message.type() === 'error') consoleErrors.push(message.text());
    });
    page.on('pageerror', (err) => consoleErrors.push(err.message));
    return { page, blockedRequests, consoleErrors, close: () => browser.close() };
  } catch (err) {
    await browser.close();
    throw err;
  }
}
