import { expect } from "bun:test";
import axe from "axe-core";
import { mkdirSync } from "node:fs";
import { join } from "node:path";
import { chromium, type Browser, type BrowserContextOptions, type Locator, type Page } from "playwright-core";

export const PHONE = { width: 390, height: 844 };
export const DESKTOP = { width: 1280, height: 800 };

const SCREENSHOTS = join(import.meta.dir, "..", "..", ".artifacts", "screenshots");
mkdirSync(SCREENSHOTS, { recursive: true });

/** Debian's Chromium, never a downloaded browser; quiet, so nothing but the shop is on the network. */
export const launchBrowser = (): Promise<Browser> =>
  chromium.launch({
    executablePath: "/usr/bin/chromium",
    args: [
      "--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-quic",
      "--no-first-run", "--disable-component-update", "--disable-sync",
    ],
  });

type Shopper = { page: Page; problems: string[]; close(): Promise<void> };

/**
 * A new browser profile on the shop: its own cookies (so its own session and orders) and its own
 * cart. `problems` collects uncaught page errors and Content-Security-Policy refusals: a test ends
 * by checking there were none.
 */
export async function openShopper(browser: Browser, baseURL: string, options: BrowserContextOptions = {}): Promise<Shopper> {
  const context = await browser.newContext({ baseURL, viewport: DESKTOP, ...options });
  context.setDefaultTimeout(15_000);
  const page = await context.newPage();
  const problems: string[] = [];
  page.on("pageerror", (error) => problems.push(`uncaught: ${error.message}`));
  page.on("console", (message) => {
    if (/Content Security Policy/i.test(message.text())) problems.push(`CSP: ${message.text()}`);
  });
  return { page, problems, close: () => context.close() };
}

/** No horizontal scrolling of the page itself on a phone: wide tables scroll inside their own box. */
export async function fitsThePhone(page: Page) {
  await page.setViewportSize(PHONE);
  const { scrollWidth, innerWidth } = await page.evaluate(() => ({ scrollWidth: document.documentElement.scrollWidth, innerWidth: window.innerWidth }));
  expect(scrollWidth).toBeLessThanOrEqual(innerWidth);
  await page.setViewportSize(DESKTOP);
}

/** A long catalog is cut here: enough to judge the layout, small enough to look at. */
const MAX_SCREENSHOT_HEIGHT = 2400;

/**
 * Saves the page as a phone (390 px) and a desktop (1280 px) would show it: whole (its first 2400 px),
 * or, given `around`, the screen that shows that element.
 */
export async function screenshots(page: Page, name: string, around?: Locator) {
  const original = page.viewportSize();
  for (const [device, size] of [["phone", PHONE], ["desktop", DESKTOP]] as const) {
    await page.setViewportSize(size);
    const path = join(SCREENSHOTS, `${name}-${device}.png`);
    if (around) {
      await around.scrollIntoViewIfNeeded();
      await page.screenshot({ path, animations: "disabled" });
    } else {
      const height = Math.min(await page.evaluate(() => document.documentElement.scrollHeight), MAX_SCREENSHOT_HEIGHT);
      await page.screenshot({ path, fullPage: true, clip: { x: 0, y: 0, width: size.width, height }, animations: "disabled" });
    }
  }
  if (original) await page.setViewportSize(original);
}

/**
 * axe-core's serious and critical findings on the page as it is now. The script is evaluated
 * through the DevTools protocol: a script tag would be refused by the shop's own CSP.
 */
export async function seriousA11yFindings(page: Page): Promise<string[]> {
  await page.evaluate(axe.source);
  const violations = await page.evaluate(async () => {
    const results = await (window as unknown as { axe: typeof axe }).axe.run(document, { resultTypes: ["violations"] });
    return results.violations.map((v) => ({ id: v.id, impact: v.impact, help: v.help, targets: v.nodes.map((n) => n.target.join(" ")) }));
  });
  return violations
    .filter((v) => v.impact === "serious" || v.impact === "critical")
    .map((v) => `${v.impact} ${v.id}: ${v.help} at ${v.targets.join(", ")}`);
}

/**
 * Waits until the focused element matches `selector`. Preact moves the focus in effects, after the
 * render a click or a navigation caused: reading it the instant the action returns races them.
 */
export const focusMoves = (page: Page, selector: string) =>
  page.waitForFunction((s) => document.activeElement?.matches(s) ?? false, selector, { timeout: 5_000 });

/** Presses Tab (Shift+Tab with `back`) until the focused element matches `selector`; fails after `max` presses. */
export async function tabTo(page: Page, selector: string, { max = 200, back = false } = {}) {
  for (let presses = 0; presses < max; presses++) {
    await page.keyboard.press(back ? "Shift+Tab" : "Tab");
    if (await page.evaluate((s) => document.activeElement?.matches(s) ?? false, selector)) return;
  }
  throw new Error(`Tab never reached ${selector} in ${max} presses`);
}

/** Whether the focused element shows a focus ring a sighted keyboard user can see. */
export const focusIsVisible = (page: Page) =>
  page.evaluate(() => {
    const style = getComputedStyle(document.activeElement!);
    return style.outlineStyle !== "none" && Number.parseFloat(style.outlineWidth) >= 2;
  });

/**
 * Records, from the page's first script on, every text a live region (aria-live, role status, alert
 * or log) comes to hold, with the region it was in: what a screen reader would be asked to say.
 * `announcements(page)` reads them back.
 */
export async function recordAnnouncements(page: Page) {
  await page.addInitScript(() => {
    const said: { region: string; text: string }[] = [];
    const last = new WeakMap<Element, string>();
    (window as unknown as { announcements: typeof said }).announcements = said;
    new MutationObserver(() => {
      for (const region of document.querySelectorAll('[aria-live], [role="status"], [role="alert"], [role="log"]')) {
        const text = region.textContent?.trim() ?? "";
        if (text !== (last.get(region) ?? "") && text) said.push({ region: region.id || region.className || region.tagName, text });
        last.set(region, text);
      }
    }).observe(document, { childList: true, subtree: true, characterData: true });
  });
}

export const announcements = (page: Page) =>
  page.evaluate(() => (window as unknown as { announcements: { region: string; text: string }[] }).announcements);

type Watched = { removed: number; heading?: Node; button?: Node };

/**
 * Watches the app's root from before the page's first byte: the heading and button the HTML parser
 * put there, and every node taken out. A hydration that matched the server's HTML keeps the very
 * nodes the server sent and takes none out.
 */
export const WATCH_HYDRATION = () => {
  const seen: Watched = { removed: 0 };
  (window as unknown as { hydration: Watched }).hydration = seen;
  new MutationObserver((records) => {
    for (const record of records) {
      const target = record.target as Element;
      if (!(target.id === "app" || target.closest?.("#app"))) continue;
      seen.removed += record.removedNodes.length;
      if (document.readyState === "loading") {
        seen.heading ??= document.querySelector("#app h1") ?? undefined;
        seen.button ??= document.querySelector("#app main button.button") ?? undefined;
      }
    }
  }).observe(document, { childList: true, subtree: true });
};

/** Whether the page still shows the heading and button the server sent, and how many nodes left the app. */
export const hydration = (page: Page) => page.evaluate(() => {
  const seen = (window as unknown as { hydration: Watched }).hydration;
  return {
    removed: seen.removed,
    sameHeading: seen.heading !== undefined && seen.heading === document.querySelector("#app h1"),
    sameButton: seen.button !== undefined && seen.button === document.querySelector("#app main button.button"),
  };
});
