import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import type { AddressInfo } from 'node:net';
import { chromium, type Browser, type Page } from 'playwright-core';
import type { TestApp } from './test-app.js';

/** Debian's Chromium, which `.ci/run` installs with apt (no browser download is possible here). */
export const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

export async function launchBrowser(): Promise<Browser> {
  if (!existsSync(CHROMIUM))
    throw new Error(
      `${CHROMIUM} is missing: install Debian's chromium (apt-get install -y chromium), as .ci/run does`,
    );
  return chromium.launch({
    executablePath: CHROMIUM,
    // As root in a sandbox without a network: no Chromium sandbox, no background calls to Google's hosts.
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      '--lang=fr-FR',
    ],
  });
}

/** Makes the test app listen on a free port of 127.0.0.1 and gives its address. */
export async function listen(t: TestApp): Promise<string> {
  await t.app.listen(0, '127.0.0.1');
  const { port } = t.app.getHttpServer().address() as AddressInfo;
  return `http://127.0.0.1:${port}`;
}

const axeSource = readFileSync(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8');

export interface Violation {
  page: string;
  id: string;
  impact: string | null;
  help: string;
  targets: string[];
}

/**
 * Runs axe-core on the page as it stands (WCAG 2.0, 2.1 and 2.2, levels A and AA) and gives its violations.
 * Injected by the DevTools protocol, not as a page script, so the page's CSP stays as it is.
 */
export async function axeViolations(page: Page): Promise<Violation[]> {
  await page.evaluate(axeSource);
  const results = await page.evaluate(async () => {
    const axe = (
      globalThis as unknown as {
        axe: {
          run: (
            context: unknown,
            options: unknown,
          ) => Promise<{
            violations: { id: string; impact: string | null; help: string; nodes: { target: string[] }[] }[];
          }>;
        };
      }
    ).axe;
    return axe.run((globalThis as unknown as { document: unknown }).document, {
      runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa'] },
    });
  });
  return results.violations.map((violation) => ({
    page: page.url(),
    id: violation.id,
    impact: violation.impact,
    help: violation.help,
    targets: violation.nodes.map((node) => node.target.join(' ')),
  }));
}

/**
 * Records axe's violations on every page a test visits. axe needs the page's timers, which do not run where
 * JavaScript is off: such a page's HTML is then checked in a twin page with JavaScript (`checker`), its
 * scripts removed so that it renders as without JavaScript, its styles loaded from the service.
 */
export class AccessibilityLog {
  readonly violations: Violation[] = [];
  readonly pages: string[] = [];
  private checker?: Page;

  constructor(private readonly browser?: () => Browser) {}

  async check(page: Page, javaScript = true): Promise<void> {
    const url = new URL(page.url());
    this.pages.push(url.pathname);
    // PAGE_SHOTS=dir: every page checked, as a person saw it, to look at (not asserted).
    if (process.env.PAGE_SHOTS)
      await page.screenshot({
        fullPage: true,
        path: join(
          process.env.PAGE_SHOTS,
          `${String(this.pages.length).padStart(3, '0')}${url.pathname.replace(/[^a-z0-9]+/gi, '-')}.png`,
        ),
      });
    if (javaScript) {
      this.violations.push(...(await axeViolations(page)));
      return;
    }
    this.checker ??= await (await this.browser!().newContext()).newPage();
    // The twin lives on the service's origin, or its styles would be refused (Cross-Origin-Resource-Policy).
    if (new URL(this.checker.url()).origin !== url.origin)
      await this.checker.goto(`${url.origin}/accessibilite`);
    const html = (await page.content())
      .replace(/<script[\s\S]*?<\/script>/g, '')
      .replace('<head>', `<head><base href="${url.origin}/">`);
    await this.checker.setContent(html, { waitUntil: 'load' });
    this.violations.push(
      ...(await axeViolations(this.checker)).map((violation) => ({ ...violation, page: url.pathname })),
    );
  }
}
