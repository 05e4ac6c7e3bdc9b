import { mkdir } from "node:fs/promises";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { type Browser, type BrowserContext, chromium, type Page } from "playwright-core";

export const screenshotDir = fileURLToPath(new URL("../screenshots", import.meta.url));

/**
 * Where the README's screenshots go: the docs folder when ORDERFLOW_UPDATE_DOCS_SCREENSHOTS=1, so
 * that refreshing them is a deliberate step, and the ignored screenshot folder otherwise, so that
 * a test run leaves the work tree clean.
 */
export const docsScreenshotDir =
  process.env.ORDERFLOW_UPDATE_DOCS_SCREENSHOTS === "1"
    ? fileURLToPath(new URL("../../../../../docs/screenshots", import.meta.url))
    : screenshotDir;

/**
 * Launches Debian's Chromium headless. Each test opens its own context, which starts from an
 * empty profile, so no cookies or storage leak between tests.
 */
export function launchChromium(): Promise<Browser> {
  return chromium.launch({
    executablePath: process.env.CHROMIUM_PATH ?? "/usr/bin/chromium",
    headless: true,
    args: [
      "--no-sandbox",
      "--disable-background-networking",
      "--disable-component-update",
      "--disable-sync",
      "--disable-gpu",
      "--no-first-run",
    ],
  });
}

/** The locale the page formats prices in during the tests. */
export const testLocale = "en-IE";

export function newShopperContext(
  browser: Browser,
  viewport = { width: 1280, height: 900 },
): Promise<BrowserContext> {
  return browser.newContext({ locale: testLocale, viewport, timezoneId: "Europe/Dublin" });
}

/**
 * Saves a full-page screenshot under `dir` and returns its path. With `until`, the picture ends
 * just below that element, which keeps a long product grid from dwarfing the part that matters.
 */
export async function saveScreenshot(
  page: Page,
  name: string,
  dir = screenshotDir,
  until?: string,
): Promise<string> {
  const path = join(dir, `${name}.png`);
  await mkdir(dirname(path), { recursive: true });

  const box = until === undefined ? null : await page.locator(until).boundingBox();
  if (box === null) {
    await page.screenshot({ path, fullPage: true });
  } else {
    const scroll = await page.evaluate(() => window.scrollY);
    const width = page.viewportSize()?.width ?? 1280;
    const height = Math.ceil(box.y + scroll + box.height + 32);
    await page.screenshot({ path, fullPage: true, clip: { x: 0, y: 0, width, height } });
  }
  return path;
}
