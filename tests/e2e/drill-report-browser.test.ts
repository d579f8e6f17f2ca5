// The HTML report in headless Chromium with the network off: the chart draws,
// nothing is fetched, nothing logs an error; a screenshot lands in reports/.
import { mkdirSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { buildReport, renderHtml, type QuerySample } from '@e6data-ts/drill';
import { drillOptions } from '../support/drill-fixtures';
import { useTempDir } from '../support/temp-dir';
import { type Browser } from 'playwright-core';
import { launchBrowser, withOfflinePage } from '../support/browser';

const REPORTS = resolve(__dirname, '../../reports');

// Counts the chart canvas's painted pixels and (up to 64) distinct colours.
const PAINTED_PIXELS = `(() => {
  const canvas = document.querySelector('#timeline canvas');
  if (!(canvas instanceof HTMLCanvasElement)) return { width: 0, opaque: 0, colours: 0 };
  const data = canvas.getContext('2d').getImageData(0, 0, canvas.width, canvas.height).data;
  let opaque = 0;
  const colours = new Set();
  for (let i = 0; i < data.length; i += 4) {
    if (data[i + 3] > 0) {
      opaque += 1;
      if (colours.size < 64) colours.add((data[i] << 16) | (data[i + 1] << 8) | data[i + 2]);
    }
  }
  return { width: canvas.width, opaque, colours: colours.size };
})()`;

/** A 20 s run with two cutovers, a few retries, moves and losses: every part of the chart has something to draw. */
function sampleReport(): ReturnType<typeof buildReport> {
  const samples: QuerySample[] = [];
  for (let t = 0; t < 20_000; t += 25) {
    const onGreen = t >= 7_700 && t < 14_000;
    const nearSwitch = (t >= 7_700 && t < 8_700) || (t >= 14_000 && t < 15_000);
    const lost = t % 2_500 === 0 && nearSwitch;
    samples.push({
      startMs: t,
      latencyMs: (nearSwitch ? 40 : 5) + (t % 7),
      cls: lost ? 'lost' : nearSwitch && t % 3 === 0 ? 'retried' : t >= 6_700 && t < 7_700 ? 'moved' : 'ok',
      errorKind: lost ? 'QueryLostError/QUERY_LOST' : null,
      deployment: onGreen ? 'green' : 'blue',
      retries: nearSwitch && t % 3 === 0 ? 1 : 0,
    });
  }
  samples.push({ startMs: 8_000, latencyMs: 30, cls: 'lost', errorKind: 'QueryLostError/QUERY_LOST', deployment: 'blue', retries: 0 });
  return buildReport({
    startedAtMs: Date.UTC(2026, 11, 5, 12),
    durationMs: 20_000,
    target: { kind: 'mock', address: '127.0.0.1:50051' },
    options: drillOptions(['--duration', '20s', '--cutovers', '2', '--chaos']),
    samples,
    dropped: 0,
    cutovers: [
      { id: 1, from: 'blue', to: 'green', mode: 'graceful', source: 'drill', announceAt: 6_700, switchAt: 7_700, stableAt: 10_700 },
      { id: 2, from: 'green', to: 'blue', mode: 'hard', source: 'drill', announceAt: null, switchAt: 14_000, stableAt: 14_000 },
    ],
    chaos: [{ kind: 'access-denied-storm', startMs: 11_500, endMs: 13_000 }],
    detections: 3,
    retriesByReason: { 'strategy-mismatch': 2 },
    interrupted: false,
  });
}

describe('the drill HTML report in a browser', () => {
  const tempDir = useTempDir('drill-html-', { per: 'all' });
  let browser: Browser | undefined;
  afterAll(async () => {
    await browser?.close();
  });

  it('renders the timeline chart offline with no console errors', async () => {
    const file = join(tempDir(), 'report.html');
    writeFileSync(file, renderHtml(sampleReport()));
    browser = await launchBrowser();
    await withOfflinePage(browser, pathToFileURL(file).href, async ({ page, blocked, consoleErrors }) => {
      await page.setViewportSize({ width: 1280, height: 900 });
      await page.waitForSelector('body[data-chart="ready"]', { timeout: 15_000 });

      // The chart canvas has drawn pixels: not blank, not one flat colour.
      // Page code as text: the tests compile without the DOM library.
      const painted = await page.evaluate<{ width: number; opaque: number; colours: number }>(PAINTED_PIXELS);
      expect(painted.width).toBeGreaterThan(300);
      expect(painted.opaque).toBeGreaterThan(1_000);
      expect(painted.colours).toBeGreaterThan(3);

      const legend = await page.locator('.u-legend').innerText();
      expect(legend).toContain('blue q/s');
      expect(legend).toContain('p99 ms');
      const headings = await page.locator('h2').allInnerTexts();
      expect(headings).toEqual(expect.arrayContaining(['Queries by class', 'Cutovers', 'Latency by phase']));
      expect(await page.locator('.verdict').innerText()).toContain('FAIL');

      expect(consoleErrors).toEqual([]);
      expect(blocked).toEqual([]);
      mkdirSync(REPORTS, { recursive: true });
      await page.screenshot({ path: join(REPORTS, 'drill-report.png'), fullPage: true });
    });
  }, 90_000);
});
