import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { chromium, type Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { loadSpec } from '../../src/contract/spec.ts';
import { buildReport } from '../../src/report/conformance.ts';
import { toHtml } from '../../src/report/html.ts';
import type { TestOutcome } from '../../src/report/results.ts';

const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
// CI sets SWF_CONFORMANCE_REQUIRE_BROWSER so that a missing Chromium fails instead of skipping.
const required = process.env.SWF_CONFORMANCE_REQUIRE_BROWSER === '1';
const out = join(process.cwd(), '.tmp', 'html-report-test');

describe('the HTML report in headless Chromium', () => {
  let browser: Browser | undefined;
  let page: string;
  beforeAll(async () => {
    if (!existsSync(CHROMIUM)) {
      if (required) throw new Error(`no Chromium at ${CHROMIUM} and SWF_CONFORMANCE_REQUIRE_BROWSER=1`);
      return;
    }
    const spec = loadSpec();
    const outcome = (clause: string, state: TestOutcome['state'], extra: Partial<TestOutcome> = {}): TestOutcome => ({
      fullName: `suites/x.test.ts > ${clause}`,
      file: 'suites/x.test.ts',
      clauses: [clause],
      grade: spec.byId.get(clause)!.grade,
      state,
      durationMs: 3,
      ...extra,
    });
    const report = buildReport(
      spec,
      [
        outcome('cancel.event.recorded', 'failed', {
          message: 'HTTP 500 <!doctype html>',
          exchanges: [
            // A long unbroken body and header, which must wrap at 1280 px.
            {
              at: 'now',
              request: {
                method: 'POST',
                url: 'http://127.0.0.1:5000/',
                headers: { 'x-amz-target': 'SimpleWorkflowService.StartWorkflowExecution', 'x-long': 'h'.repeat(3000) },
                body: JSON.stringify({ domain: 'd', workflowId: 'w', input: 'x'.repeat(8000) }),
              },
              response: { status: 200, headers: { 'content-type': 'application/x-amz-json-1.0' }, body: '{"runId":"r"}' },
            },
            {
              at: 'now',
              request: {
                method: 'POST',
                url: 'http://127.0.0.1:5000/',
                headers: { 'x-amz-target': 'SimpleWorkflowService.RequestCancelWorkflowExecution' },
                body: '{"domain":"d","workflowId":"w"}',
              },
              response: { status: 500, headers: { 'content-type': 'text/html' }, body: '<h1>Internal Server Error</h1>' },
            },
          ],
        }),
        outcome('cancel.decision-task.while-started', 'failed', {
          message:
            "expected [ 'WorkflowExecutionCancelRequested' ] to deeply equal [ 'WorkflowExecutionCancelRequested', 'DecisionTaskScheduled' ]",
        }),
        outcome('wire.success.empty-body', 'passed'),
        outcome('fault.access.denied', 'skipped', { message: 'no restricted principal configured' }),
      ],
      { target: 'http://127.0.0.1:5000', startedAt: new Date(), durationMs: 1234, strict: false, strictExpectations: false },
    );
    mkdirSync(out, { recursive: true });
    page = join(out, 'index.html');
    writeFileSync(page, toHtml(report));
    browser = await chromium.launch({
      executablePath: CHROMIUM,
      headless: true,
      args: [
        '--no-sandbox',
        '--disable-gpu',
        '--disable-quic',
        '--no-first-run',
        '--disable-background-networking',
        '--disable-component-update',
        '--disable-sync',
      ],
    });
  });
  afterAll(async () => browser?.close());

  test("shows the matrix, filters by status and grade, and folds a clause's tests", async ({ skip }) => {
    if (!browser) return skip(`no Chromium at ${CHROMIUM} (apt-get install chromium)`);
    const tab = await browser.newPage();
    // The page is self-contained: any request it makes would be a bug.
    const requests: string[] = [];
    tab.on('request', (r) => {
      if (!r.url().startsWith('file:')) requests.push(r.url());
    });
    await tab.goto(pathToFileURL(page).href);
    expect(await tab.locator('#verdict').textContent()).toBe('NOT conformant');
    const clauses = loadSpec().clauses.length;
    expect(await tab.locator('tr.clause:visible').count()).toBe(clauses);
    expect(await tab.locator('tr.clause').first().getAttribute('data-status')).toBe('fail');

    await tab.selectOption('#status', 'advisory-fail');
    expect(await tab.locator('tr.clause:visible').count()).toBe(1);
    expect(await tab.locator('tr.clause:visible').first().getAttribute('data-clause')).toBe('cancel.decision-task.while-started');

    await tab.selectOption('#status', '');
    await tab.selectOption('#grade', 'inferred');
    const inferred = loadSpec().clauses.filter((c) => c.grade === 'inferred').length;
    expect(await tab.locator('tr.clause:visible').count()).toBe(inferred);

    await tab.selectOption('#grade', '');
    await tab.fill('#text', 'cancel.event.recorded');
    // A failing clause's tests are open from the start; a click folds them, another opens them.
    const details = tab.locator('tr.detail:visible details.tests');
    expect(await details.getAttribute('open')).not.toBeNull();
    expect(await details.textContent()).toContain('SimpleWorkflowService.RequestCancelWorkflowExecution');
    expect(await details.textContent()).toContain('HTTP 500');
    await tab.locator('tr.clause:visible').first().click();
    expect(await details.getAttribute('open')).toBeNull();
    await tab.locator('tr.clause:visible').first().click();
    expect(await details.getAttribute('open')).not.toBeNull();
    expect(requests).toEqual([]);
  });

  test('at 1280 px nothing scrolls sideways, and the failing exchange is marked, its JSON pretty-printed', async ({ skip }) => {
    if (!browser) return skip(`no Chromium at ${CHROMIUM} (apt-get install chromium)`);
    const tab = await browser.newPage({ viewport: { width: 1280, height: 800 } });
    await tab.goto(pathToFileURL(page).href);
    expect(await tab.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(1280);
    const failing = tab.locator('.exchange.failing').first();
    await failing.scrollIntoViewIfNeeded();
    expect(await failing.isVisible()).toBe(true);
    expect(await failing.locator('.label').textContent()).toMatch(/the last before the failure/);
    const box = await failing.boundingBox();
    expect(box!.x + box!.width).toBeLessThanOrEqual(1280);
    // The request's JSON body, indented.
    expect(await failing.locator('pre').first().textContent()).toContain('{\n  "domain": "d",\n  "workflowId": "w"');
    await tab.screenshot({ path: join(out, 'report-1280.png'), fullPage: false });
    expect(existsSync(join(out, 'report-1280.png'))).toBe(true);
  });

  test("with JavaScript off the page is whole: every clause, and the failure's exchange", async ({ skip }) => {
    if (!browser) return skip(`no Chromium at ${CHROMIUM} (apt-get install chromium)`);
    const context = await browser.newContext({ javaScriptEnabled: false, viewport: { width: 1280, height: 800 } });
    try {
      const tab = await context.newPage();
      await tab.goto(pathToFileURL(page).href);
      expect(await tab.locator('#verdict').textContent()).toBe('NOT conformant');
      expect(await tab.locator('tr.clause:visible').count()).toBe(loadSpec().clauses.length);
      expect(await tab.locator('.exchange.failing').first().isVisible()).toBe(true);
      expect(await tab.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(1280);
    } finally {
      await context.close();
    }
  });

  test('sized for a failing target: under 500 KB, and the first screen at 1280 px shows the verdict and the failing clauses', async ({
    skip,
  }) => {
    if (!browser) return skip(`no Chromium at ${CHROMIUM} (apt-get install chromium)`);
    // A target that fails most of the battery, each failing test with its six last exchanges, as moto does.
    const spec = loadSpec();
    const exchange = (i: number) => ({
      at: 'now',
      request: {
        method: 'POST',
        url: 'http://127.0.0.1:5000/',
        headers: { 'x-amz-target': 'SimpleWorkflowService.DescribeWorkflowExecution', authorization: 'AWS4-HMAC-SHA256 '.padEnd(300, 'x') },
        body: JSON.stringify({
          domain: 'swf-conformance',
          execution: { workflowId: `swfc-20261206-abcdef-wf-${i}`, runId: 'r'.repeat(32) },
        }),
      },
      response: {
        status: 200,
        headers: { 'content-type': 'application/x-amz-json-1.0' },
        body: JSON.stringify({ executionInfo: { x: 'y'.repeat(600) } }),
      },
    });
    const outcomes: TestOutcome[] = spec.clauses.flatMap((c, n) =>
      Array.from({ length: 4 }, (_, i) => ({
        fullName: `suites/x.test.ts > ${c.id} case ${i}`,
        file: 'suites/x.test.ts',
        clauses: [c.id],
        grade: c.grade,
        state: n % 5 === 0 ? ('passed' as const) : ('failed' as const),
        durationMs: 3,
        ...(n % 5 === 0
          ? {}
          : {
              message: `HTTP 500 <!doctype html> ${'the target answered something else '.repeat(10)}`,
              exchanges: Array.from({ length: 6 }, (_, k) => exchange(k)),
            }),
      })),
    );
    const failing = buildReport(spec, outcomes, {
      target: 'http://127.0.0.1:5000',
      startedAt: new Date(),
      durationMs: 1,
      strict: true,
      strictExpectations: false,
    });
    const html = toHtml(failing);
    expect(Buffer.byteLength(html) / 1024).toBeLessThan(500);
    const big = join(out, 'failing.html');
    writeFileSync(big, html);
    const tab = await browser.newPage({ viewport: { width: 1280, height: 800 } });
    await tab.goto(pathToFileURL(big).href);
    const onScreen = async (selector: string) => {
      const box = await tab.locator(selector).first().boundingBox();
      return box !== null && box.y >= 0 && box.y + Math.min(box.height, 40) <= 800;
    };
    expect(await onScreen('#verdict')).toBe(true);
    expect(await onScreen('nav#failing')).toBe(true);
    const listed = await tab.locator('nav#failing a').allTextContents();
    expect(listed.length).toBe(failing.clauses.filter((c) => c.status === 'fail' || c.status === 'advisory-fail').length);
    // A clause of the index is an anchor to its row.
    await tab.locator('nav#failing a').nth(10).click();
    expect(await tab.evaluate(() => location.hash)).toBe(`#clause-${listed[10]}`);
    // Only the first few failing clauses are open; the rest fold, natively.
    expect(await tab.locator('details.tests[open]').count()).toBe(5);
    expect(await tab.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(1280);
    await tab.screenshot({ path: join(out, 'failing-1280.png'), fullPage: false });
  });
});
