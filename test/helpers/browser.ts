/**
 * Debian's Chromium (/usr/bin/chromium, installed by .ci/run) driven by playwright-core: no browser download. Each
 * launch gets a fresh profile and the flags that keep a machine without network quiet (no background networking,
 * component updates, sync or QUIC). `CHROMIUM` names another binary.
 */
import { existsSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { type BrowserContext, chromium, type Page } from 'playwright-core';

export const CHROMIUM = process.env.CHROMIUM ?? '/usr/bin/chromium';
export const HAVE_CHROMIUM = existsSync(CHROMIUM);

/** Where the browser tests leave their screenshots (git-ignored; CI leaves them in its clone). */
export const SCREENSHOTS = fileURLToPath(new URL('../../test-artifacts/screenshots/', import.meta.url));

const CHROMIUM_ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

export interface Browser {
  context: BrowserContext;
  close: () => Promise<void>;
}

/** A headless Chromium with a fresh `--user-data-dir` (removed on close). */
export async function launchChromium(
  options: { viewport?: { width: number; height: number }; colorScheme?: 'light' | 'dark'; javaScript?: boolean } = {},
): Promise<Browser> {
  const profile = mkdtempSync(join(tmpdir(), 'wxfeed-chromium-'));
  const context = await chromium.launchPersistentContext(profile, {
    executablePath: CHROMIUM,
    headless: true,
    args: CHROMIUM_ARGS,
    viewport: options.viewport ?? { width: 1280, height: 800 },
    colorScheme: options.colorScheme ?? 'light',
    javaScriptEnabled: options.javaScript ?? true,
    timeout: 60_000,
  });
  return {
    context,
    close: async () => {
      await context.close();
      rmSync(profile, { recursive: true, force: true });
    },
  };
}

/** A screenshot of the page as it is into SCREENSHOTS (`fullPage`: the whole page, not the viewport). */
export async function shoot(page: Page, name: string, fullPage = false): Promise<string> {
  mkdirSync(SCREENSHOTS, { recursive: true });
  const path = join(SCREENSHOTS, `${name}.png`);
  await page.screenshot({ path, fullPage });
  return path;
}

/**
 * Everything that goes wrong in a page: console errors and warnings, uncaught exceptions, failed requests, answers of
 * 400 and up (but those `expected` allows: Chromium logs an expected 401 as a console error too), and every request.
 */
export function watchPage(
  page: Page,
  expected: (status: number, url: string) => boolean = () => false,
): { problems: string[]; requests: Array<{ method: string; url: string }> } {
  const problems: string[] = [];
  const requests: Array<{ method: string; url: string }> = [];
  page.on('response', (r) => {
    if (r.status() >= 400 && !expected(r.status(), r.url())) problems.push(`HTTP ${r.status()}: ${r.url()}`);
  });
  page.on('console', (m) => {
    if (m.type() !== 'error' && m.type() !== 'warning') return;
    const status = /status of (\d+)/.exec(m.text())?.[1];
    if (status && expected(Number(status), m.location().url)) return;
    problems.push(`console ${m.type()}: ${m.text()}`);
  });
  page.on('pageerror', (e) => problems.push(`page error: ${e.message}`));
  page.on('requestfailed', (r) => problems.push(`request failed: ${r.url()} ${r.failure()?.errorText}`));
  page.on('request', (r) => {
    if (!r.url().startsWith('data:')) requests.push({ method: r.method(), url: r.url() });
  });
  return { problems, requests };
}
