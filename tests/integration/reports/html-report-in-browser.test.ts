// The HTML test report as a reader sees it: opened from a file in headless
// Chromium with the network off, sections per tier with their counts, the
// failing test and its message on screen, and a time bar per file.
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { type Browser, type Locator } from 'playwright-core';
import { launchBrowser, withOfflinePage } from '../../support/browser';
import { useTempDir } from '../../support/temp-dir';
import { writeTestReport } from '../../support/test-report/write-report';
import { everyTierResults, FAILING_TEST, FAILURE_MARKUP, ROOT } from './synthetic-results';

async function attributes(locator: Locator, name: string): Promise<(string | null)[]> {
  return Promise.all((await locator.all()).map((element) => element.getAttribute(name)));
}

describe('HTML test report in headless Chromium', () => {
  const tempDir = useTempDir('html-report', { per: 'all' });
  let browser: Browser;
  let reportUrl: string;

  beforeAll(async () => {
    const path = writeTestReport(everyTierResults(), { rootDir: ROOT, outputDir: tempDir(), title: 'e6data-ts tests' });
    expect(path).toBe(join(tempDir(), 'test-report.html'));
    reportUrl = pathToFileURL(path!).href;
    browser = await launchBrowser();
  }, 60_000);

  afterAll(async () => {
    await browser?.close();
  });

  test('opens offline: the page asks the network for nothing', async () => {
    await withOfflinePage(browser, reportUrl, async ({ page, blocked }) => {
      await expect(page.title()).resolves.toBe('e6data-ts tests');
      await expect(page.locator('h1').innerText()).resolves.toBe('e6data-ts tests');
      expect(blocked).toEqual([]);
    });
  });

  test('the offline guard itself: a page that fetches is caught and gets nothing', async () => {
    const fetching = join(tempDir(), 'fetching.html');
    writeFileSync(fetching, '<!doctype html><title>t</title><link rel="stylesheet" href="https://cdn.example.com/x.css"><img src="http://127.0.0.1:9/pixel.png">');
    await withOfflinePage(browser, pathToFileURL(fetching).href, async ({ page, blocked }) => {
      await page.waitForLoadState('load');
      expect([...blocked].sort()).toEqual(['http://127.0.0.1:9/pixel.png', 'https://cdn.example.com/x.css']);
    });
  });

  test('one section per tier, in pyramid order, each with its counts', async () => {
    await withOfflinePage(browser, reportUrl, async ({ page }) => {
      await expect(attributes(page.locator('section.tier'), 'data-tier')).resolves.toEqual([
        'unit',
        'integration',
        'e2e',
        'performance',
      ]);
      await expect(page.locator('#tier-unit h2').innerText()).resolves.toMatch(/^unit 3 passed, 1 failed, 1 skipped in 2 files, 290 ms$/);
      await expect(page.locator('#tier-integration h2').innerText()).resolves.toMatch(/1 passed, 0 failed, 0 skipped in 1 file, 1\.5 s/);
      await expect(page.locator('#tier-e2e h2').innerText()).resolves.toMatch(/0 passed, 0 failed, 0 skipped in 1 file, 9\.0 s; 1 file failed to run$/);
      await expect(attributes(page.locator('nav a.tab.failed'), 'href')).resolves.toEqual(['#tier-unit', '#tier-e2e']);
      await expect(page.locator('p.totals').innerText()).resolves.toMatch(/^5 passed, 1 failed, 1 skipped/);
      // The tabs reach each section.
      await expect(attributes(page.locator('nav a.tab'), 'href')).resolves.toEqual([
        '#tier-unit',
        '#tier-integration',
        '#tier-e2e',
        '#tier-performance',
      ]);
    });
  });

  test('a failing test is visible with its message, shown as text, and listed at the top', async () => {
    await withOfflinePage(browser, reportUrl, async ({ page }) => {
      const failing = page.locator('#tier-unit li.test.failed');
      await expect(failing.count()).resolves.toBe(1);
      await expect(failing.isVisible()).resolves.toBe(true);
      await expect(failing.innerText()).resolves.toContain(`auth › ${FAILING_TEST}`);
      const message = failing.locator('pre.failure');
      await expect(message.isVisible()).resolves.toBe(true);
      // Markup inside a message stays text and the terminal colour codes are gone.
      await expect(message.innerText()).resolves.toBe(`Expected: AccessDenied\nReceived: ${FAILURE_MARKUP}`);
      await expect(message.locator('b').count()).resolves.toBe(0);

      const index = page.locator('#failures');
      await expect(index.isVisible()).resolves.toBe(true);
      await expect(index.locator('li').allInnerTexts()).resolves.toEqual([
        `unit › tests/unit/b-auth.test.ts › auth › ${FAILING_TEST}`,
        'e2e › tests/e2e/cluster.test.ts: the file failed to run',
      ]);
      await index.locator('a').first().click();
      expect(page.url()).toMatch(/#test-1$/);

      const brokenFile = page.locator('#tier-e2e tr.file.failed pre.failure');
      await expect(brokenFile.isVisible()).resolves.toBe(true);
      await expect(brokenFile.innerText()).resolves.toBe('global setup failed: no free port');
    });
  });

  test('passing files fold away; each file has a time bar in proportion to its time', async () => {
    await withOfflinePage(browser, reportUrl, async ({ page }) => {
      const passing = page.locator('tr.file[data-file="tests/unit/a-codec.test.ts"]');
      await expect(passing.locator('li.test').first().isVisible()).resolves.toBe(false);
      await passing.locator('summary').click();
      await expect(passing.locator('li.test').first().isVisible()).resolves.toBe(true);

      const width: Record<string, number> = {};
      for (const row of await page.locator('tr.file').all()) {
        const box = await row.locator('.bar').boundingBox();
        width[(await row.getAttribute('data-file'))!] = box?.width ?? 0;
      }
      expect(Object.keys(width)).toHaveLength(5);
      expect(Object.values(width).every((w) => w > 0)).toBe(true);
      // 9 s is the slowest file; 4 s draws a bar a little under half as long.
      const ratio = width['tests/performance/latency.test.ts']! / width['tests/e2e/cluster.test.ts']!;
      expect(ratio).toBeGreaterThan(0.4);
      expect(ratio).toBeLessThan(0.5);
    });
  });
});
