/**
 * Drives a review page in Chromium the way a person does (open the file,
 * type in the search box, press Enter), timing each step. Used by the
 * browser test and by `npm run review:measure`.
 */
import { pathToFileURL } from 'url';
import { BrowserContext, Page, Request } from 'playwright-core';
import { recordRequests } from './chromium';

export interface OpenedPage {
  page: Page;
  url: string;
  /** Every request the page made, the navigation to its own file included. */
  requests: Request[];
  /** Uncaught exceptions and console errors. */
  errors: string[];
  /** In the page, ms since navigation: the type view drawn, the instance index parsed. */
  typeViewMs: number;
  instancesMs: number;
}

export async function openReviewPage(
  context: BrowserContext,
  path: string,
): Promise<OpenedPage> {
  const page = await context.newPage();
  const requests = recordRequests(page);
  const errors: string[] = [];
  page.on('pageerror', (err) => errors.push(err.message));
  page.on('console', (message) => {
    if (message.type() === 'error') errors.push(message.text());
  });
  const url = pathToFileURL(path).href;
  await page.goto(url, { timeout: 120_000, waitUntil: 'commit' });
  await page
    .waitForSelector('body[data-instances="ready"]', { timeout: 120_000 })
    .catch(() => {
      throw new Error(
        `The review page ${path} did not finish loading: ${
          errors.join('; ') || 'no error reported'
        }`,
      );
    });
  const timings = await page.evaluate(() => window.review.timings);
  return {
    page,
    url,
    requests,
    errors,
    typeViewMs: Math.round(timings.typeViewDrawnAt),
    instancesMs: Math.round(timings.instancesReadyAt),
  };
}

export interface Shown {
  centre: number;
  name: string;
  type: string;
  neighbours: string[];
  hop2: string[];
}

/** Types the query, presses Enter and waits until the first hit is drawn with its neighbourhood. */
export async function searchAndOpen(
  page: Page,
  query: string,
): Promise<{ shown: Shown; ms: number }> {
  await page.evaluate(() => {
    window.review.shown = undefined;
  });
  const started = Date.now();
  await page.fill('#search', query);
  await page.press('#search', 'Enter');
  await page.waitForFunction(() => window.review.shown !== undefined, null, {
    timeout: 30_000,
  });
  const ms = Date.now() - started;
  const shown = (await page.evaluate(() => window.review.shown)) as Shown;
  return { shown, ms };
}

/** What the type view drew: node ids (entity types) and edge ids (relationship rows). */
export async function typeViewElements(
  page: Page,
): Promise<{ nodes: string[]; edges: { id: string; label: string }[] }> {
  return page.evaluate(() => ({
    nodes: window.review.typeView.nodes().map((n) => n.id()),
    edges: window.review.typeView
      .edges()
      .map((e) => ({ id: e.id(), label: String(e.data('label')) })),
  }));
}
