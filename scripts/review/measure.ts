/**
 * npm run review:measure -- PAGE.html "a name to search" [--screenshots DIR]
 *
 * Opens a review page in headless Chromium from file:// and prints how long
 * the type view and the instance index took, how long a search took to
 * draw its first hit's neighbourhood, and every request that was not the
 * page's own file (there must be none).
 */
import { promises as fs } from 'fs';
import { join, resolve } from 'path';
import { launchChromium } from './chromium';
import { openReviewPage, searchAndOpen } from './drive';

async function main() {
  const args = process.argv.slice(2);
  const shotsAt = args.indexOf('--screenshots');
  const screenshots =
    shotsAt >= 0 ? resolve(args.splice(shotsAt, 2)[1]) : undefined;
  const [path, query] = args;
  if (!path || !query) {
    throw new Error(
      'usage: npm run review:measure -- PAGE.html "a name to search" [--screenshots DIR]',
    );
  }
  const browser = await launchChromium();
  try {
    const opened = await openReviewPage(browser.context, resolve(path));
    const size = (await fs.stat(resolve(path))).size;
    console.log(`page ${(size / 2 ** 20).toFixed(1)} MiB`);
    console.log(
      `type view drawn ${opened.typeViewMs} ms after navigation; instance index ready at ${opened.instancesMs} ms`,
    );
    const timings = await opened.page.evaluate(() => window.review.timings);
    console.log(
      `in the page (ms): ${Object.entries(timings)
        .map(([k, v]) => `${k} ${Math.round(v)}`)
        .join(', ')}`,
    );
    if (screenshots) {
      await fs.mkdir(screenshots, { recursive: true });
      await opened.page
        .locator('#type-view')
        .screenshot({ path: join(screenshots, 'type-view.png') });
    }
    for (let run = 1; run <= 3; run++) {
      const { shown, ms } = await searchAndOpen(opened.page, query);
      const { searchMs, openMs } = await opened.page.evaluate(
        () => window.review.timings,
      );
      console.log(
        `search "${query}" #${run}: ${ms} ms from typing to ${shown.name} (${
          shown.type
        }) drawn with ${shown.neighbours.length} neighbours and ${
          shown.hop2.length
        } at two hops (in the page: search ${Math.round(
          searchMs,
        )} ms, neighbourhood ${Math.round(openMs)} ms)`,
      );
    }
    if (screenshots) {
      await opened.page
        .locator('#instance')
        .screenshot({ path: join(screenshots, 'instance-view.png') });
    }
    const others = opened.requests.filter((r) => r.url() !== opened.url);
    console.log(
      `requests other than the page itself: ${others.length}${others
        .map((r) => `\n  ${r.url()}`)
        .join('')}`,
    );
    if (opened.errors.length)
      console.log(`errors:\n  ${opened.errors.join('\n  ')}`);
    if (others.length || opened.errors.length) process.exitCode = 1;
  } finally {
    await browser.close();
  }
}

main().catch((err) => {
  console.error(err instanceof Error ? err.message : err);
  process.exit(1);
});
