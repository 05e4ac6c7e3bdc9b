import type { Product } from "@orderflow/core/catalog/products";
import { MAX_QUANTITY, type OrderRequest } from "@orderflow/core/order/request";
import { priceOrder } from "@orderflow/core/pricing/price";
import { findSeedPromotion } from "@orderflow/core/promotion/promotion";
import type { Browser, BrowserContext, Page } from "playwright-core";
import { afterAll, afterEach, beforeAll, describe, expect, inject, it } from "vitest";
import { formatMoney } from "../../src/money.ts";
import {
  docsScreenshotDir,
  launchChromium,
  newShopperContext,
  saveScreenshot,
  testLocale,
} from "./helpers/browser.ts";
import { type CheckoutPageServer, startCheckoutPage } from "./helpers/checkout-page.ts";
import { ShopApi } from "./helpers/shop-api.ts";

const apiUrl = inject("apiUrl");
const shopApi = new ShopApi(apiUrl);

interface ShopperDetails {
  name: string;
  email: string;
  line1: string;
  postalCode: string;
  city: string;
  country: string;
}

const ada: ShopperDetails = {
  name: "Ada Lovelace",
  email: "ada@example.com",
  line1: "12 Analytical Street",
  postalCode: "10115",
  city: "Berlin",
  country: "DE",
};

function orderRequestFor(
  shopper: ShopperDetails,
  lines: OrderRequest["lines"],
  promotionCode?: string,
): OrderRequest {
  return {
    customer: { name: shopper.name, email: shopper.email },
    shippingAddress: {
      line1: shopper.line1,
      city: shopper.city,
      postalCode: shopper.postalCode,
      country: shopper.country,
    },
    lines,
    ...(promotionCode === undefined ? {} : { promotionCode }),
  };
}

const euros = (amount: number) => formatMoney(amount, "EUR", testLocale);

let pageServer: CheckoutPageServer;
let browser: Browser;
let context: BrowserContext | undefined;
let foreignRequests: string[] = [];
/** Products by stock, most first, so each test can take its own and not disturb the others. */
let plentiful: Product[];

beforeAll(async () => {
  pageServer = await startCheckoutPage(apiUrl);
  browser = await launchChromium();
  plentiful = (await shopApi.products())
    .filter((product) => product.stock >= 10)
    .sort((a, b) => b.stock - a.stock);
});

afterEach(async () => {
  await context?.close();
  context = undefined;
  // The page must work offline: it loads nothing but itself and the API.
  expect(foreignRequests).toEqual([]);
  foreignRequests = [];
});

afterAll(async () => {
  await browser?.close();
  await pageServer?.close();
});

function product(index: number): Product {
  const picked = plentiful[index];
  if (picked === undefined)
    throw new Error(`the catalog has fewer than ${index + 1} stocked products`);
  return picked;
}

async function openShop(viewport?: { width: number; height: number }): Promise<Page> {
  context = await newShopperContext(browser, viewport);
  const page = await context.newPage();
  const pageErrors: Error[] = [];
  page.on("pageerror", (error) => pageErrors.push(error));
  page.on("request", (request) => {
    const url = request.url();
    const ours = [pageServer.url, apiUrl].some((origin) => url.startsWith(`${origin}/`));
    if (!ours && !url.startsWith("data:")) foreignRequests.push(url);
  });

  await page.goto(pageServer.url);
  await page.locator("[data-product-grid] li").first().waitFor();
  expect(pageErrors).toEqual([]);
  return page;
}

/** Counts the POST requests the page sends to one API route. */
function countPosts(page: Page, route: "/orders" | "/quotes"): { count: number; keys: string[] } {
  const seen = { count: 0, keys: [] as string[] };
  page.on("request", (request) => {
    if (request.method() === "POST" && request.url() === `${apiUrl}${route}`) {
      seen.count += 1;
      seen.keys.push(request.headers()["idempotency-key"] ?? "");
    }
  });
  return seen;
}

async function addToCart(page: Page, sku: string, times: number): Promise<void> {
  for (let added = 1; added <= times; added += 1) {
    await page.locator(`li[data-sku="${sku}"] .product__add`).click();
    await page.waitForFunction(
      ({ sku, added }) =>
        document.querySelector<HTMLInputElement>(`[data-cart-line="${sku}"] input`)?.value ===
        String(added),
      { sku, added },
    );
  }
}

async function fillDetails(page: Page, shopper: ShopperDetails): Promise<void> {
  await page.getByLabel("Full name").fill(shopper.name);
  await page.getByLabel("E-mail", { exact: true }).fill(shopper.email);
  await page.getByLabel("Street and number").fill(shopper.line1);
  await page.getByLabel("Postal code").fill(shopper.postalCode);
  await page.getByLabel("City").fill(shopper.city);
  await page.getByLabel("Country").selectOption(shopper.country);
}

/** Waits for the summary to show the server's quote and returns its amounts as displayed. */
async function quotedAmounts(page: Page, expectDiscount = false) {
  const selector = expectDiscount
    ? '[data-summary] [data-amount="discount"]'
    : '[data-summary] [data-amount="total"]';
  await page.locator(selector).waitFor();
  await page.locator('[data-summary] [data-amount="total"]').waitFor();

  const amount = async (key: string) => {
    const cell = page.locator(`[data-summary] [data-amount="${key}"]`);
    return (await cell.count()) === 0 ? undefined : await cell.textContent();
  };
  return {
    subtotal: await amount("subtotal"),
    discount: await amount("discount"),
    shipping: await amount("shipping"),
    tax: await amount("tax"),
    total: await amount("total"),
  };
}

async function savedOrder(page: Page): Promise<{ orderId: string; accessToken: string }> {
  const saved = await page.evaluate(() => sessionStorage.getItem("orderflow.lastOrder"));
  if (saved === null) throw new Error("the page did not keep the placed order");
  return JSON.parse(saved) as { orderId: string; accessToken: string };
}

describe("checkout page", () => {
  it("places an order and shows the confirmation", async () => {
    // Prepare
    const mug = product(0);
    const filter = product(1);
    const page = await openShop();
    await addToCart(page, mug.sku, 2);
    await addToCart(page, filter.sku, 1);
    await fillDetails(page, ada);
    const expected = await shopApi.quote(
      orderRequestFor(ada, [
        { sku: mug.sku, quantity: 2 },
        { sku: filter.sku, quantity: 1 },
      ]),
    );
    const displayed = await quotedAmounts(page);
    const taxLabel = await page
      .locator('[data-summary] .totals__row:has([data-amount="tax"]) dt')
      .textContent();
    await page.evaluate(() => (document.activeElement as HTMLElement | null)?.blur());
    await saveScreenshot(page, "checkout", docsScreenshotDir, "#checkout-form");

    // Act
    await page.getByRole("button", { name: /^Place order/ }).click();
    await page.locator("#confirmation-heading").waitFor();

    // Assess
    expect(displayed.total).toBe(euros(expected.totals.total));
    expect(taxLabel).toBe("VAT (19%)");
    expect(await page.locator("#confirmation-heading").textContent()).toBe("Thank you, Ada!");
    expect(await page.evaluate(() => document.activeElement?.id)).toBe("confirmation-heading");

    const { orderId, accessToken } = await savedOrder(page);
    expect(await page.locator("[data-order-id]").textContent()).toBe(orderId);
    expect(await page.locator("[data-notification]").textContent()).toContain(ada.email);
    expect(await page.locator("[data-order-line]").count()).toBe(2);
    expect(await page.locator(`[data-order-line="${mug.sku}"] td`).allTextContents()).toEqual([
      mug.name,
      "2",
      euros(mug.unitPrice),
      euros(mug.unitPrice * 2),
    ]);
    expect(await page.locator('[data-totals] [data-amount="total"]').textContent()).toBe(
      euros(expected.totals.total),
    );
    expect(
      await page
        .locator("[data-workflow-step]")
        .evaluateAll((steps) => steps.map((step) => step.getAttribute("data-workflow-step"))),
    ).toEqual(["Validate", "Price", "Persist", "Notify"]);
    expect(await page.locator(".timeline__duration").first().textContent()).toMatch(/^\d+ ms$|s$/);

    const stored = await shopApi.order(orderId, accessToken);
    expect(stored.status).toBe(200);
    expect(((await stored.json()) as { totals: { total: number } }).totals.total).toBe(
      expected.totals.total,
    );

    await saveScreenshot(page, "confirmation", docsScreenshotDir);
    await saveScreenshot(page, "places-order");
  });

  it("keeps the confirmation across a reload", async () => {
    // Prepare
    const dripper = product(9);
    const page = await openShop();
    await addToCart(page, dripper.sku, 1);
    await fillDetails(page, { ...ada, email: "reload@example.com" });
    await quotedAmounts(page);
    await page.getByRole("button", { name: /^Place order/ }).click();
    await page.locator("#confirmation-heading").waitFor();
    const orderId = await page.locator("[data-order-id]").textContent();

    // Act
    await page.reload();
    await page.locator("#confirmation-heading").waitFor();
    const reloadedId = await page.locator("[data-order-id]").textContent();
    await page.getByRole("button", { name: "Continue shopping" }).click();
    await page.locator(`li[data-sku="${dripper.sku}"]`).waitFor();

    // Assess
    expect(reloadedId).toBe(orderId);
    expect(page.url()).not.toContain("#order-");
    expect(await page.evaluate(() => document.activeElement?.id)).toBe("catalog-heading");
    expect(await page.locator(`li[data-sku="${dripper.sku}"] .stock`).textContent()).toBe(
      `${dripper.stock - 1} in stock`,
    );
    expect(await page.locator("[data-cart-count]").textContent()).toBe("Cart (0)");
  });

  it("keeps the cart across a reload", async () => {
    // Prepare
    const page = await openShop();
    await addToCart(page, product(0).sku, 2);
    await addToCart(page, product(1).sku, 1);

    // Act
    await page.reload();
    await page.locator(`[data-cart-line="${product(1).sku}"]`).waitFor();

    // Assess
    const quantities = await page
      .locator("[data-cart-line] input")
      .evaluateAll((inputs) => inputs.map((input) => (input as HTMLInputElement).value));
    expect(quantities).toEqual(["2", "1"]);
    expect(await page.locator("[data-cart-count]").textContent()).toBe("Cart (3)");
  });

  it("shows an invalid e-mail and sends nothing", async () => {
    // Prepare
    const page = await openShop({ width: 390, height: 844 });
    const orders = countPosts(page, "/orders");
    const quotes = countPosts(page, "/quotes");
    await addToCart(page, product(2).sku, 1);
    await fillDetails(page, { ...ada, email: "ada.example.com" });

    // Act
    await page.getByLabel("E-mail", { exact: true }).press("Tab");
    await page.getByRole("button", { name: /^Place order/ }).click();

    // Assess
    const email = page.getByLabel("E-mail", { exact: true });
    const error = page.locator('[data-error-for="customer.email"]');
    expect(await error.textContent()).toBe("Enter an e-mail address like name@example.com.");
    expect(await email.getAttribute("aria-invalid")).toBe("true");
    expect(await email.getAttribute("aria-describedby")).toContain("customer.email-error");
    expect(await page.evaluate(() => document.activeElement?.id)).toBe("customer.email");
    expect(await page.locator("[data-form-alert]").textContent()).toBe(
      "One detail needs your attention.",
    );
    expect(orders.count).toBe(0);
    expect(quotes.count).toBe(0);
    await saveScreenshot(page, "invalid-email");

    await email.fill(ada.email);
    expect(await error.textContent()).toBe("");
  });

  it("marks a line that went out of stock", async () => {
    // Prepare
    const scarce = (await shopApi.products())
      .filter((entry) => entry.stock >= 2)
      .sort((a, b) => a.stock - b.stock)[0];
    if (scarce === undefined) throw new Error("the catalog has no product with 2 or more in stock");
    const page = await openShop();
    const orders = countPosts(page, "/orders");
    await addToCart(page, scarce.sku, 2);
    await fillDetails(page, ada);
    await quotedAmounts(page);
    await shopApi.sellDownTo(scarce.sku, 1, MAX_QUANTITY, orderRequestFor(ada, []));

    // Act
    await page.getByRole("button", { name: /^Place order/ }).click();
    await page.locator(`[data-line-problem="${scarce.sku}"]`).waitFor();

    // Assess
    expect(await page.locator(`[data-line-problem="${scarce.sku}"]`).textContent()).toBe(
      "Only 1 left. Lower the quantity to 1 or less.",
    );
    expect(await page.locator(`li[data-sku="${scarce.sku}"] .stock`).textContent()).toBe(
      "Only 1 left",
    );
    expect(await page.locator("[data-form-alert]").textContent()).toContain("sold out");
    expect(await page.evaluate(() => document.activeElement?.id)).toBe(`quantity-${scarce.sku}`);
    expect(orders.count).toBe(1);
    expect(await shopApi.stockOf(scarce.sku)).toBe(1);
    await saveScreenshot(page, "out-of-stock");

    await page.getByRole("button", { name: `One fewer ${scarce.name}` }).click();
    expect(await page.locator(`[data-line-problem="${scarce.sku}"]`).count()).toBe(0);
  });

  it("makes one order from a double click", async () => {
    // Prepare
    const tin = product(3);
    const stockBefore = await shopApi.stockOf(tin.sku);
    const page = await openShop();
    const orders = countPosts(page, "/orders");
    await addToCart(page, tin.sku, 1);
    await fillDetails(page, { ...ada, email: "double.click@example.com" });
    await quotedAmounts(page);

    // Act
    await page.getByRole("button", { name: /^Place order/ }).dblclick();
    await page.locator("#confirmation-heading").waitFor();

    // Assess
    expect(orders.count).toBe(1);
    expect(await shopApi.stockOf(tin.sku)).toBe(stockBefore - 1);
    const { orderId, accessToken } = await savedOrder(page);
    expect((await shopApi.order(orderId, accessToken)).status).toBe(200);
    await saveScreenshot(page, "double-click");
  });

  it("retries after a network error without a second order", async () => {
    // Prepare
    const kettle = product(4);
    const stockBefore = await shopApi.stockOf(kettle.sku);
    const page = await openShop();
    const orders = countPosts(page, "/orders");
    let dropped = false;
    // The first order reaches the API, but its response is lost on the way back.
    await page.route(`${apiUrl}/orders`, async (route) => {
      if (dropped || route.request().method() !== "POST") return route.continue();
      dropped = true;
      await route.fetch();
      return route.abort("connectionreset");
    });
    await addToCart(page, kettle.sku, 1);
    await fillDetails(page, { ...ada, email: "retry@example.com" });
    await quotedAmounts(page);

    // Act
    await page.getByRole("button", { name: /^Place order/ }).click();
    const retry = page.locator("[data-form-alert]").getByRole("button", { name: "Try again" });
    await retry.waitFor();
    await retry.click();
    await page.locator("#confirmation-heading").waitFor();

    // Assess
    expect(orders.count).toBe(2);
    expect(orders.keys[0]).toMatch(/^[0-9a-f-]{36}$/);
    expect(orders.keys[1]).toBe(orders.keys[0]);
    expect(await shopApi.stockOf(kettle.sku)).toBe(stockBefore - 1);
    await saveScreenshot(page, "network-retry");
  });

  it("retries a busy response with the same key", async () => {
    // Prepare
    const scale = product(7);
    const stockBefore = await shopApi.stockOf(scale.sku);
    const page = await openShop();
    const orders = countPosts(page, "/orders");
    let answeredBusy = false;
    // Stands in for the API's 503 response, which the offline stack returns only under load.
    await page.route(`${apiUrl}/orders`, async (route) => {
      if (answeredBusy || route.request().method() !== "POST") return route.continue();
      answeredBusy = true;
      return route.fulfill({
        status: 503,
        headers: {
          "Content-Type": "application/problem+json",
          "Retry-After": "1",
          "Access-Control-Allow-Origin": "*",
          "Access-Control-Expose-Headers": "retry-after",
        },
        body: JSON.stringify({
          type: "https://orderflow.dev/problems/busy",
          title: "The service is busy",
          status: 503,
          code: "busy",
          detail: "Too many orders are running; retry after 1 second",
        }),
      });
    });
    await addToCart(page, scale.sku, 1);
    await fillDetails(page, { ...ada, email: "busy@example.com" });
    await quotedAmounts(page);

    // Act
    await page.getByRole("button", { name: /^Place order/ }).click();
    const alert = page.locator("[data-form-alert]");
    await alert.getByRole("button", { name: "Try again in 1 s" }).waitFor();
    const waitingLabel = await alert.getByRole("button").textContent();
    const waitingDisabled = await alert.getByRole("button").isDisabled();
    await alert.getByRole("button", { name: "Try again", exact: true }).click();
    await page.locator("#confirmation-heading").waitFor();

    // Assess
    expect(waitingLabel).toBe("Try again in 1 s");
    expect(waitingDisabled).toBe(true);
    expect(orders.count).toBe(2);
    expect(orders.keys[1]).toBe(orders.keys[0]);
    expect(await shopApi.stockOf(scale.sku)).toBe(stockBefore - 1);
    await saveScreenshot(page, "busy-retry");
  });

  it("places an order with the keyboard alone", async () => {
    // Prepare
    const towel = product(8);
    const page = await openShop();
    const tabTo = async (selector: string) => {
      for (let presses = 0; presses < 80; presses += 1) {
        const reached = await page.evaluate(
          (wanted) => document.activeElement?.matches(wanted) ?? false,
          selector,
        );
        if (reached) return;
        await page.keyboard.press("Tab");
      }
      throw new Error(`pressing Tab 80 times never reached ${selector}`);
    };

    // Act
    await tabTo(`li[data-sku="${towel.sku}"] .product__add`);
    await page.keyboard.press("Enter");
    await tabTo('[id="customer.name"]');
    await page.keyboard.type(ada.name);
    await page.keyboard.press("Tab");
    await page.keyboard.type(ada.email);
    await page.keyboard.press("Tab");
    await page.keyboard.type(ada.line1);
    await page.keyboard.press("Tab");
    await page.keyboard.press("Tab");
    await page.keyboard.type(ada.postalCode);
    await page.keyboard.press("Tab");
    await page.keyboard.type(ada.city);
    await page.keyboard.press("Tab");
    await page.keyboard.press("Tab");
    await page.keyboard.type("Germany");
    await page.keyboard.press("Tab");
    await quotedAmounts(page);
    const unlabelled = await page.evaluate(() =>
      [...document.querySelectorAll<HTMLInputElement | HTMLSelectElement>("input, select")]
        .filter((control) => control.labels === null || control.labels.length === 0)
        .map((control) => control.id),
    );
    await page.keyboard.press("Enter");
    await page.locator("#confirmation-heading").waitFor();

    // Assess
    expect(unlabelled).toEqual([]);
    expect(await page.locator(`[data-order-line="${towel.sku}"]`).count()).toBe(1);
    expect(await page.evaluate(() => document.activeElement?.id)).toBe("confirmation-heading");
    await saveScreenshot(page, "keyboard-order");
  });

  it.each([
    ["NOSUCHCODE", "This promotion code does not exist. Check the spelling."],
    ["FIVEOFF", `This promotion code applies from a subtotal of ${euros(3000)}.`],
  ])("shows why promotion code %s is rejected", async (code, message) => {
    // Prepare
    const cheapest = [...plentiful].sort((a, b) => a.unitPrice - b.unitPrice)[0];
    if (cheapest === undefined || cheapest.unitPrice >= 3000) {
      throw new Error("the test needs a stocked product under the FIVEOFF minimum");
    }
    const page = await openShop();
    await addToCart(page, cheapest.sku, 1);
    await fillDetails(page, ada);
    await quotedAmounts(page);

    // Act
    await page.getByLabel("Promotion code").fill(code);
    const error = page.locator('[data-error-for="promotionCode"]');
    await page.waitForFunction(() => {
      const slot = document.querySelector('[data-error-for="promotionCode"]');
      return (slot?.textContent ?? "") !== "";
    });

    // Assess
    expect(await error.textContent()).toBe(message);
    expect(await page.getByLabel("Promotion code").getAttribute("aria-invalid")).toBe("true");
    expect(await page.locator('[data-summary] [data-amount="total"]').count()).toBe(0);
    expect(await page.locator("[data-summary]").textContent()).toContain(
      "Correct the marked details",
    );
    await saveScreenshot(page, `rejected-promotion-${code.toLowerCase()}`);
  });

  it("applies a promotion code to the cent", async () => {
    // Prepare
    const tea = product(5);
    const towel = product(6);
    const lines = [
      { sku: tea.sku, quantity: 3 },
      { sku: towel.sku, quantity: 1 },
    ];
    const promotion = findSeedPromotion("WELCOME10");
    if (promotion === undefined) throw new Error("the seed promotion WELCOME10 is missing");
    const priceLines = [tea, towel].map((entry, index) => ({
      sku: entry.sku,
      name: entry.name,
      unitPrice: entry.unitPrice,
      quantity: lines[index]?.quantity ?? 0,
    }));
    const withoutCode = priceOrder({ lines: priceLines, country: "DE", now: new Date() });
    const withCode = priceOrder({ lines: priceLines, country: "DE", promotion, now: new Date() });
    const page = await openShop();
    await addToCart(page, tea.sku, 3);
    await addToCart(page, towel.sku, 1);
    await fillDetails(page, ada);
    const before = await quotedAmounts(page);

    // Act
    await page.getByLabel("Promotion code").fill("welcome10");
    const after = await quotedAmounts(page, true);

    // Assess
    expect(before.total).toBe(euros(withoutCode.totals.total));
    expect(before.discount).toBeUndefined();
    expect(await page.getByLabel("Promotion code").inputValue()).toBe("WELCOME10");
    expect(after).toEqual({
      subtotal: euros(withCode.totals.subtotal),
      discount: `−${euros(withCode.totals.discount)}`,
      shipping: withCode.totals.shipping === 0 ? "Free" : euros(withCode.totals.shipping),
      tax: euros(withCode.totals.tax),
      total: euros(withCode.totals.total),
    });
    expect(withCode.totals.total).toBeLessThan(withoutCode.totals.total);
    expect(await page.getByRole("button", { name: /^Place order/ }).textContent()).toBe(
      `Place order · ${euros(withCode.totals.total)}`,
    );

    await page.getByRole("button", { name: /^Place order/ }).click();
    await page.locator("#confirmation-heading").waitFor();
    expect(await page.locator('[data-totals] [data-amount="total"]').textContent()).toBe(
      euros(withCode.totals.total),
    );
    await saveScreenshot(page, "promotion-code");
  });
});
