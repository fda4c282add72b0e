import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium, type Browser, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createCoordinatorClient } from '@concurrency-lab/api-client';
import { answerChecker, type CheckedAnswer } from './support/api-shapes.js';
import { chromiumPath } from './support/chromium.js';
import { startSystem, type RunningSystem } from './support/system.js';

const repoRoot = fileURLToPath(new URL('../../../', import.meta.url));
/**
 * Every run leaves a screenshot in tmp/ to look at; the README's copy is
 * rewritten only on request (UPDATE_DOCS_SCREENSHOT=1), so running the tests
 * does not leave a changed image in the working tree each time.
 */
/**
 * Keeps the data of every event the page's EventSource hands it, as the page
 * got it: the event stream's body is not readable from outside the browser.
 */
const RECORD_EVENTS = `
  window.__eventsSeen = [];
  const NativeEventSource = window.EventSource;
  window.EventSource = class extends NativeEventSource {
    constructor(url, init) {
      super(url, init);
      const path = new URL(url, location.href).pathname;
      for (const type of ['task-started', 'task-finished', 'run-finished', 'run-failed']) {
        this.addEventListener(type, (event) => window.__eventsSeen.push({ path, type, data: event.data }));
      }
    }
  };
`;

const SCREENSHOTS = [
  `${repoRoot}tmp/e2e/page.png`,
  ...(process.env['UPDATE_DOCS_SCREENSHOT'] === '1' ? [`${repoRoot}apps/coordinator/docs/page.png`] : []),
];

interface Bar {
  mode: string | null;
  kind: string | null;
  task: string | null;
  pid: string | null;
  thread: string | null;
  fill: string | null;
}

/** The chart's bars as the browser has them in its DOM. */
function barsOnPage(page: Page): Promise<Bar[]> {
  return page.$$eval('#chart svg rect.bar', (rects) =>
    rects.map((rect) => ({
      mode: rect.getAttribute('data-mode'),
      kind: rect.getAttribute('data-kind'),
      task: rect.getAttribute('data-task'),
      pid: rect.getAttribute('data-pid'),
      thread: rect.getAttribute('data-thread'),
      fill: rect.getAttribute('fill'),
    })),
  );
}

describe('the web page, in a real browser', () => {
  let system: RunningSystem;
  let browser: Browser;
  let page: Page;
  /** Console errors and uncaught exceptions, a blocked inline script or style (CSP) among them. */
  const problems: string[] = [];
  /** Every answer of the API the page read, checked against the coordinator's OpenAPI document. */
  const answers: Promise<CheckedAnswer | undefined>[] = [];
  let check: ReturnType<typeof answerChecker>;

  beforeAll(async () => {
    const executablePath = chromiumPath(); // first: without a browser, say how to get one before starting anything
    [system, browser] = await Promise.all([startSystem(), chromium.launch({ executablePath, headless: true })]);
    page = await browser.newPage({ viewport: { width: 1200, height: 900 } });
    page.on('console', (message) => {
      if (message.type() === 'error') problems.push(message.text());
    });
    page.on('pageerror', (error) => problems.push(error.message));
    check = answerChecker(await createCoordinatorClient({ baseUrl: system.baseUrl }).openApiDocument());
    await page.addInitScript({ content: RECORD_EVENTS });
    page.on('response', (response) => {
      const url = new URL(response.url());
      if (url.origin !== system.baseUrl) return;
      const method = response.request().method();
      const contentType = response.headers()['content-type'] ?? '';
      // An event stream's events are checked as the page received them (RECORD_EVENTS).
      const body = contentType.startsWith('text/event-stream') ? Promise.resolve('') : response.text();
      answers.push(
        body.then(
          (text) => check(method, url.pathname, response.status(), contentType, text),
          (error: unknown) => ({
            operation: `${method} ${url.pathname} ${response.status()}`,
            problems: [`body not read: ${String(error)}`],
          }),
        ),
      );
    });
    await page.goto(`${system.baseUrl}/`);
    await page.waitForSelector('html[data-ready="true"]'); // the module has run and the forms are live
  });
  afterAll(async () => {
    await browser?.close();
    await system?.stop();
  });

  it('runs a comparison, follows it live and draws one bar per task per mode, coloured by process or thread', async () => {
    expect(await page.title()).toBe('Concurrency Lab');
    await page.getByLabel('Mode', { exact: true }).selectOption('compare');
    await page.getByLabel('Tasks', { exact: true }).fill('3');
    await page.getByLabel('Shortest task (ms)', { exact: true }).fill('100');
    await page.getByLabel('Longest task (ms)', { exact: true }).fill('300');
    // Watched live: the chart is drawn while the run goes (every mode together lasts well over the page's 500 ms between redraws).
    const drawnWhileRunning = page.waitForSelector('#chart svg[data-status="running"] rect.bar', { state: 'attached', timeout: 50_000 });
    await page.getByRole('button', { name: 'Run the simulation' }).click();
    await drawnWhileRunning;
    await page.waitForSelector('#chart-figure[data-status="finished"] svg[data-status="finished"]', { timeout: 50_000 });

    const bars = await barsOnPage(page);
    const modes = ['sequential', 'processes', 'pool', 'threads', 'async'];
    const of = (mode: string) => bars.filter((bar) => bar.mode === mode);
    for (const mode of modes)
      expect(
        of(mode).map((bar) => bar.task),
        mode,
      ).toEqual(['0', '1', '2']);
    expect(bars).toHaveLength(15);

    const coordinator = String(system.services.coordinator.pid);
    for (const mode of ['sequential', 'async', 'threads'])
      expect(new Set(of(mode).map((bar) => bar.pid)), mode).toEqual(new Set([coordinator]));
    expect(new Set(of('processes').map((bar) => bar.pid)).size).toBe(3);
    expect(of('processes').map((bar) => bar.pid)).not.toContain(coordinator);
    expect(new Set(of('threads').map((bar) => bar.thread)).size).toBe(3);
    // One colour per process (or thread): three processes, three colours; one coordinator, one colour.
    expect(new Set(of('processes').map((bar) => bar.fill)).size).toBe(3);
    expect(new Set(of('threads').map((bar) => bar.fill)).size).toBe(3);
    expect(new Set(of('sequential').map((bar) => bar.fill)).size).toBe(1);

    const markers = await page.$$eval('#chart svg line.marker', (lines) => lines.map((line) => line.getAttribute('data-marker')));
    expect(markers.filter((kind) => kind === 'total')).toHaveLength(5);
    expect(markers.filter((kind) => kind === 'ideal')).toHaveLength(5);
    expect(await page.locator('#summary tbody tr').count()).toBe(5);
    await expect.poll(() => page.locator('#status').textContent()).toMatch(/^Simulation [0-9a-f-]{36} finished\.$/);
    expect(await page.locator('#chart-link').getAttribute('href')).toMatch(/^\/simulations\/[0-9a-f-]{36}\/timeline\.svg$/);

    for (const path of SCREENSHOTS) {
      mkdirSync(dirname(path), { recursive: true });
      await page.screenshot({ path, fullPage: true });
    }
  });

  it("runs a queue run and draws the writer's lane, each item's wait in the queue and the reader's lane", async () => {
    await page.getByLabel('Items', { exact: true }).fill('4');
    await page.getByLabel("Writer's pause between items (ms)", { exact: true }).fill('50');
    await page.getByLabel('Time to read an item (ms)', { exact: true }).fill('80');
    await page.getByLabel('Readers start', { exact: true }).selectOption('after-writer');
    await page.getByRole('button', { name: 'Run the queue' }).click();
    await page.waitForSelector('#chart-figure[data-kind="queue"][data-status="finished"] svg[data-chart="queue"]', { timeout: 50_000 });

    const bars = await barsOnPage(page);
    const of = (kind: string) => bars.filter((bar) => bar.kind === kind);
    expect(of('write')).toHaveLength(4);
    expect(of('wait')).toHaveLength(4);
    expect(of('read')).toHaveLength(4);
    expect(new Set(of('write').map((bar) => bar.pid))).toEqual(new Set([String(system.services.writer.pid)]));
    expect(new Set(of('read').map((bar) => bar.pid))).toEqual(new Set([String(system.services.reader.pid)]));
    // Readers after the writer: every item waits in the stream until the last is written, so the waits overlap.
    const waitRows = await page.$$eval('#chart svg rect.bar[data-kind="wait"]', (rects) => rects.map((rect) => rect.getAttribute('y')));
    expect(new Set(waitRows).size).toBe(4);
    expect(await page.locator('#summary tbody tr').count()).toBe(1);
  });

  it("shows the API's problem detail when a run is refused, and marks the field", async () => {
    await page.getByLabel('Shortest task (ms)', { exact: true }).fill('900');
    await page.getByLabel('Longest task (ms)', { exact: true }).fill('100');
    await page.getByRole('button', { name: 'Run the simulation' }).click();
    const error = page.getByRole('alert');
    await error.waitFor({ state: 'visible' });
    expect(await error.textContent()).toContain('minMs: makes the range 900 to 100 ms empty');
    expect(await page.getByLabel('Shortest task (ms)', { exact: true }).getAttribute('aria-invalid')).toBe('true');
    expect(await page.locator('#chart-figure').isHidden()).toBe(true);
  });

  it('read only answers the OpenAPI document describes, in the shapes its schemas give', async () => {
    const checked = (await Promise.all(answers)).filter((answer) => answer !== undefined);
    expect(checked.filter((answer) => answer.problems.length > 0)).toEqual([]);
    const operations = new Set(checked.map((answer) => answer.operation));
    for (const operation of [
      'POST /simulations 400',
      'POST /queue-runs 200',
      'GET /simulations/{id}/events 200',
      'GET /simulations/{id}/timeline.svg 200',
      'GET /queue-runs/{id}/timeline.svg 200',
    ]) {
      expect(operations, operation).toContain(operation);
    }
    expect(
      ['POST /simulations 201', 'POST /simulations 202'].some((operation) => operations.has(operation)),
      [...operations].join(', '),
    ).toBe(true);

    const events = (await page.evaluate('window.__eventsSeen')) as { path: string; type: string; data: string }[];
    expect(events.map((event) => event.type)).toContain('run-finished');
    for (const event of events) {
      const checked = check('GET', event.path, 200, 'text/event-stream', `event: ${event.type}\ndata: ${event.data}\n\n`);
      expect(checked?.problems, `${event.type}: ${event.data.slice(0, 300)}`).toEqual([]);
    }
  });

  it('ran without a console error, a blocked script or style among them', () => {
    // The refused run's 400 is logged by the browser as a failed resource; anything else is a fault of the page.
    expect(problems.filter((text) => !/status of 400/.test(text))).toEqual([]);
  });
});
