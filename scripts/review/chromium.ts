/**
 * Headless Chromium (Debian's `chromium` package) driven by playwright-core,
 * for the review page's browser test and its measurements. Nothing is
 * downloaded: the browser must be installed.
 */
import { existsSync, promises as fs } from 'fs';
import { tmpdir } from 'os';
import { join } from 'path';
import { BrowserContext, chromium, Page, Request } from 'playwright-core';

export const CHROMIUM_INSTALL_HINT =
  'install it with `sudo apt-get update && sudo apt-get install -y --no-install-recommends chromium` (Debian or Ubuntu; .ci/run does this in CI), or set CHROMIUM_PATH to a Chromium or Chrome binary';

/**
 * Without the background-networking flags Chromium phones home at start-up
 * (component updates, sync, QUIC probes); on a machine without internet those
 * connections are refused, and they are not the page's requests anyway.
 */
const FLAGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

export function chromiumPath(): string {
  const path = process.env.CHROMIUM_PATH || '/usr/bin/chromium';
  if (!existsSync(path)) {
    throw new Error(
      `Chromium is not installed at ${path}: ${CHROMIUM_INSTALL_HINT}.`,
    );
  }
  return path;
}

export interface Chromium {
  context: BrowserContext;
  close(): Promise<void>;
}

/** A fresh browser profile each time, removed on close. */
export async function launchChromium(
  viewport = { width: 1500, height: 1000 },
): Promise<Chromium> {
  const executablePath = chromiumPath();
  const userDataDir = await fs.mkdtemp(join(tmpdir(), 'review-chromium-'));
  const context = await chromium.launchPersistentContext(userDataDir, {
    executablePath,
    headless: true,
    args: FLAGS,
    viewport,
  });
  return {
    context,
    close: async () => {
      await context.close();
      await fs.rm(userDataDir, { recursive: true, force: true });
    },
  };
}

/** Every request a page makes, the navigation to its own file included. */
export function recordRequests(page: Page): Request[] {
  const requests: Request[] = [];
  page.on('request', (request) => requests.push(request));
  return requests;
}
