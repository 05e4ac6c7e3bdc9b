import { STORE_CURRENCY } from "@orderflow/core/catalog/currency";
import { MAX_LINES, MAX_QUANTITY } from "@orderflow/core/order/request";
import { SHIPPING_COUNTRIES } from "@orderflow/core/pricing/tax";
import {
  ApiProblemError,
  type Catalog,
  type CatalogProduct,
  NetworkError,
  type OrderflowApi,
  type PlacedOrder,
  type Problem,
  type Quote,
} from "./api.ts";
import { Cart } from "./cart.ts";
import { loadCart, saveCart } from "./cart-storage.ts";
import {
  buildOrderRequest,
  emptyFormValues,
  FIELD_PATHS,
  type FieldPath,
  type FormValues,
  sortIssues,
  type ValidationResult,
  validateOrderRequest,
} from "./checkout-form.ts";
import { preservingFocus, replaceChildren, required, retryButton } from "./dom.ts";
import { addMessage, promotionMessage, retryMessage } from "./messages.ts";
import { formatMoney } from "./money.ts";
import { isRetryableProblem, OrderAttempts } from "./order-attempt.ts";
import { clearSavedOrder, loadSavedOrder, saveOrder } from "./saved-order.ts";
import { cartContent } from "./views/cart-view.ts";
import { productCard } from "./views/catalog-view.ts";
import { confirmationContent } from "./views/confirmation-view.ts";
import { type SummaryState, summaryContent } from "./views/summary-view.ts";

/** Delay after the last change before the page requests a quote from the API. */
const QUOTE_DELAY_MS = 350;

type QuoteState =
  | { kind: "none" }
  | { kind: "loading"; body: string }
  | { kind: "quoted"; body: string; quote: Quote }
  | { kind: "failed"; body: string; message: string };

/** The checkout page: catalog, cart, form, quote, order placement and confirmation. */
export class CheckoutApp {
  private catalog: Catalog | undefined;
  private products = new Map<string, CatalogProduct>();
  private readonly cart = new Cart({ maxLines: MAX_LINES, maxQuantity: MAX_QUANTITY });
  private readonly attempts = new OrderAttempts();

  private values: FormValues;
  private readonly touched = new Set<FieldPath>();
  private readonly serverFieldErrors = new Map<FieldPath, string>();
  /** Problems the API reported per SKU, such as a shortage, kept until that line changes. */
  private readonly lineProblems = new Map<string, string>();
  private cartProblem: string | undefined;

  private quoteState: QuoteState = { kind: "none" };
  private quoteTimer: ReturnType<typeof setTimeout> | undefined;
  private quoteAbort: AbortController | undefined;

  private placing = false;
  private retryTimer: ReturnType<typeof setInterval> | undefined;

  private readonly elements;

  constructor(
    private readonly root: Document,
    private readonly api: OrderflowApi,
    private readonly locale: string | undefined,
  ) {
    this.elements = {
      shop: required<HTMLElement>(root, "#shop"),
      confirmation: required<HTMLElement>(root, "#confirmation"),
      catalogHeading: required<HTMLElement>(root, "#catalog-heading"),
      catalogStatus: required<HTMLElement>(root, "[data-catalog-status]"),
      grid: required<HTMLUListElement>(root, "[data-product-grid]"),
      cart: required<HTMLElement>(root, "[data-cart]"),
      cartCount: required<HTMLElement>(root, "[data-cart-count]"),
      form: required<HTMLFormElement>(root, "#checkout-form"),
      summary: required<HTMLElement>(root, "[data-summary]"),
      alert: required<HTMLElement>(root, "[data-form-alert]"),
      placeOrder: required<HTMLButtonElement>(root, "[data-place-order]"),
      announcer: required<HTMLElement>(root, "[data-announcer]"),
    };
    this.values = emptyFormValues(this.defaultCountry());
  }

  async start(): Promise<void> {
    this.setUpForm();
    this.render();

    const saved = loadSavedOrder(this.root.defaultView?.location.hash ?? "");
    if (saved !== undefined) {
      try {
        const order = await this.api.getOrder(saved.orderId, saved.accessToken);
        this.showConfirmation(order, { focus: true });
        return;
      } catch (error) {
        console.error("reloading the placed order failed", error);
        clearSavedOrder();
        const view = this.root.defaultView;
        view?.history.replaceState(null, "", view.location.pathname + view.location.search);
      }
    }
    await this.loadCatalog();
  }

  // Catalog and cart

  private async loadCatalog(): Promise<void> {
    this.elements.catalogStatus.hidden = false;
    this.elements.catalogStatus.textContent = "Loading products…";
    try {
      this.setCatalog(await this.api.getCatalog());
      this.elements.catalogStatus.hidden = true;
    } catch (error) {
      this.elements.catalogStatus.replaceChildren(
        "The products could not be loaded. ",
        retryButton("Try again", () => void this.loadCatalog()),
      );
      console.error("loading the catalog failed", error);
    }
  }

  private setCatalog(catalog: Catalog): void {
    this.catalog = catalog;
    this.products = new Map(catalog.products.map((product) => [product.sku, product]));
    if (this.cart.isEmpty && this.cart.restore(loadCart(), this.products) > 0) {
      saveCart(this.cart.entries());
      this.cartChanged();
      return;
    }
    this.render();
  }

  private format = (amount: number): string =>
    formatMoney(amount, this.catalog?.currency ?? STORE_CURRENCY, this.locale);

  private addToCart(sku: string): void {
    const product = this.products.get(sku);
    if (product === undefined) return;

    const result = this.cart.add(product);
    this.announce(addMessage(result, product, this.cart.quantityOf(sku)));
    this.cartChanged();
  }

  private changeQuantity(sku: string, quantity: number): void {
    const product = this.products.get(sku);
    if (product === undefined) return;

    const clamped = this.cart.setQuantity(product, quantity);
    if (clamped <= product.stock) {
      this.lineProblems.delete(sku);
    }
    this.announce(`${product.name}: quantity ${clamped}.`);
    this.cartChanged();
  }

  private removeFromCart(sku: string): void {
    const product = this.products.get(sku);
    this.cart.remove(sku);
    this.lineProblems.delete(sku);
    this.announce(`${product?.name ?? "Item"} removed from your cart.`);
    this.cartChanged();
    if (this.cart.isEmpty) {
      required<HTMLElement>(this.root, "#cart-heading").focus();
    }
  }

  private cartChanged(): void {
    saveCart(this.cart.entries());
    this.cartProblem = undefined;
    this.render();
    this.scheduleQuote();
  }

  // Form

  private setUpForm(): void {
    const country = required<HTMLSelectElement>(this.root, "#shippingAddress\\.country");
    country.replaceChildren(
      new Option("Choose a country", ""),
      ...[...SHIPPING_COUNTRIES]
        .sort((a, b) => a.name.localeCompare(b.name, this.locale))
        .map((entry) => new Option(entry.name, entry.code)),
    );
    (country.options[0] as HTMLOptionElement).disabled = true;

    for (const path of FIELD_PATHS) {
      const input = this.input(path);
      input.value = this.values[path];
      input.addEventListener("input", () => this.fieldChanged(path));
      input.addEventListener("change", () => this.fieldChanged(path));
      input.addEventListener("blur", () => {
        this.touched.add(path);
        this.renderFieldErrors();
      });
    }

    this.elements.form.addEventListener("submit", (event) => {
      event.preventDefault();
      void this.placeOrder();
    });
  }

  private input(path: FieldPath): HTMLInputElement | HTMLSelectElement {
    const element = this.root.getElementById(path);
    if (!(element instanceof HTMLInputElement || element instanceof HTMLSelectElement)) {
      throw new Error(`checkout form is missing the input ${path}`);
    }
    return element;
  }

  private fieldChanged(path: FieldPath): void {
    const input = this.input(path);
    if (path === "promotionCode" && input.value !== input.value.toUpperCase()) {
      const caret = input instanceof HTMLInputElement ? input.selectionStart : null;
      input.value = input.value.toUpperCase();
      if (caret !== null && input instanceof HTMLInputElement) {
        input.setSelectionRange(caret, caret);
      }
    }
    if (input.value === this.values[path]) return;

    this.values[path] = input.value;
    this.serverFieldErrors.delete(path);
    if (input instanceof HTMLSelectElement) {
      this.touched.add(path);
    }
    this.renderFieldErrors();
    this.scheduleQuote();
  }

  private currentRequest() {
    return buildOrderRequest(this.values, this.cart.requestLines());
  }

  private validation(): ValidationResult {
    return validateOrderRequest(this.currentRequest());
  }

  // Quote

  private scheduleQuote(): void {
    clearTimeout(this.quoteTimer);
    const request = this.currentRequest();
    const body = JSON.stringify(request);

    if (!validateOrderRequest(request).valid || this.hasUnresolvedLines()) {
      this.quoteAbort?.abort();
      this.quoteState = { kind: "none" };
      this.renderSummary();
      return;
    }
    if (this.quoteState.kind !== "none" && this.quoteState.body === body) {
      return;
    }

    this.quoteAbort?.abort();
    this.quoteState = { kind: "loading", body };
    this.renderSummary();
    this.quoteTimer = setTimeout(() => void this.fetchQuote(body), QUOTE_DELAY_MS);
  }

  private async fetchQuote(body: string): Promise<void> {
    this.quoteAbort?.abort();
    const abort = new AbortController();
    this.quoteAbort = abort;

    try {
      const quote = await this.api.quote(JSON.parse(body), abort.signal);
      if (abort.signal.aborted) return;
      this.quoteState = { kind: "quoted", body, quote };
      this.announce(`Order total ${this.format(quote.totals.total)}.`);
    } catch (error) {
      if (abort.signal.aborted) return;
      if (
        error instanceof ApiProblemError &&
        !isRetryableProblem(error.problem.status, error.problem.code)
      ) {
        this.applyProblem(error.problem);
        this.quoteState = { kind: "none" };
      } else {
        this.quoteState = {
          kind: "failed",
          body,
          message: "Shipping and tax could not be calculated right now.",
        };
      }
    }
    this.render();
  }

  // Placing the order

  private async placeOrder(): Promise<void> {
    if (this.placing) return;
    this.clearAlert();

    for (const path of FIELD_PATHS) this.touched.add(path);
    const validation = this.validation();
    if (!validation.valid) {
      this.cartProblem = validation.cart;
      this.render();
      this.showInvalid(validation);
      return;
    }
    if (this.hasUnresolvedLines()) {
      this.showAlert(
        "Some items in your cart are no longer available in that quantity. Adjust the marked lines and try again.",
      );
      this.focusFirstProblemLine();
      return;
    }

    const request = this.currentRequest();
    const body = JSON.stringify(request);
    const key = this.attempts.keyFor(body);

    this.setPlacing(true);
    try {
      const order = await this.api.placeOrder(request, key);
      this.attempts.finish();
      this.orderPlaced(order);
    } catch (error) {
      this.orderFailed(error);
    } finally {
      this.setPlacing(false);
    }
  }

  private setPlacing(placing: boolean): void {
    this.placing = placing;
    const button = this.elements.placeOrder;
    button.disabled = placing;
    button.setAttribute("aria-busy", String(placing));
    this.elements.form.setAttribute("aria-busy", String(placing));
    this.renderButton();
  }

  private orderPlaced(order: PlacedOrder): void {
    this.cart.clear();
    saveCart([]);
    this.lineProblems.clear();
    this.values.promotionCode = "";
    this.input("promotionCode").value = "";
    this.quoteState = { kind: "none" };
    this.render();
    if (order.accessToken !== undefined) {
      saveOrder({ orderId: order.orderId, accessToken: order.accessToken });
    }
    this.showConfirmation(order, { focus: true });
  }

  private orderFailed(error: unknown): void {
    if (error instanceof NetworkError) {
      this.showAlert(
        "We could not reach the store, so your order may not have been placed. Trying again is safe: it will not create a second order.",
        { retry: 0 },
      );
      return;
    }
    if (!(error instanceof ApiProblemError)) {
      this.showAlert("Something went wrong on this page. Reload it and try again.");
      console.error("placing the order failed", error);
      return;
    }

    const { problem, retryAfterSeconds } = error;
    if (isRetryableProblem(problem.status, problem.code)) {
      this.showAlert(retryMessage(problem), { retry: retryAfterSeconds ?? 1 });
      return;
    }

    this.attempts.finish();
    this.applyProblem(problem);
    // The quote shown was for a body the API just rejected, so its total no longer applies.
    this.quoteState = { kind: "none" };
    this.render();
    this.focusProblem(problem);
  }

  /** Shows a final problem response where it belongs: next to a field, on a cart line, or above the button. */
  private applyProblem(problem: Problem): void {
    switch (problem.code) {
      case "validation_failed": {
        const sorted = sortIssues(problem.errors ?? []);
        for (const [path, message] of sorted.fields) this.serverFieldErrors.set(path, message);
        const lines = this.cart.requestLines();
        for (const [index, message] of sorted.lines) {
          const sku = lines[index]?.sku;
          if (sku !== undefined) this.lineProblems.set(sku, message);
        }
        this.cartProblem = sorted.cart;
        break;
      }
      case "invalid_promotion":
        this.serverFieldErrors.set("promotionCode", promotionMessage(problem, this.format));
        break;
      case "out_of_stock":
        for (const item of problem.items ?? []) this.markShortage(item.sku, item.available);
        break;
      case "unknown_product":
        for (const sku of problem.skus ?? []) {
          this.lineProblems.set(sku, "This product is no longer sold. Remove it to continue.");
        }
        break;
      default:
        this.showAlert(problem.detail ?? problem.title);
    }
  }

  private markShortage(sku: string, available: number): void {
    const product = this.products.get(sku);
    if (product === undefined) return;

    this.products.set(sku, { ...product, stock: available });
    this.lineProblems.set(
      sku,
      available === 0
        ? "Sold out since you added it. Remove it to continue."
        : `Only ${available} left. Lower the quantity to ${available} or less.`,
    );
  }

  private hasUnresolvedLines(): boolean {
    return this.cart.lines(this.products).some((line) => this.lineProblems.has(line.product.sku));
  }

  // Errors, alerts and focus

  private showInvalid(validation: ValidationResult): void {
    const count = validation.fields.size + validation.lines.size + (validation.cart ? 1 : 0);
    this.showAlert(
      count === 1 ? "One detail needs your attention." : `${count} details need your attention.`,
    );

    const firstField = FIELD_PATHS.find((path) => validation.fields.has(path));
    if (validation.cart !== undefined || validation.lines.size > 0) {
      required<HTMLElement>(this.root, "#cart-heading").focus();
    } else if (firstField !== undefined) {
      this.input(firstField).focus();
    }
  }

  private focusProblem(problem: Problem): void {
    if (problem.code === "out_of_stock" || problem.code === "unknown_product") {
      this.showAlert(
        problem.code === "out_of_stock"
          ? "Some items sold out while you were shopping. Adjust the marked lines in your cart."
          : "Your cart contains a product that is no longer sold.",
      );
      this.focusFirstProblemLine();
      return;
    }

    const firstField = FIELD_PATHS.find((path) => this.errorFor(path) !== undefined);
    if (firstField !== undefined) {
      this.showAlert("Please check the marked details.");
      this.input(firstField).focus();
    }
  }

  private focusFirstProblemLine(): void {
    const line = this.root.querySelector<HTMLElement>(".cart-line--problem .stepper__input");
    (line ?? required<HTMLElement>(this.root, "#cart-heading")).focus();
  }

  private showAlert(message: string, options: { retry?: number } = {}): void {
    clearInterval(this.retryTimer);
    const alert = this.elements.alert;
    alert.hidden = false;
    alert.replaceChildren(message);

    if (options.retry !== undefined) {
      const button = retryButton("Try again", () => void this.placeOrder());
      alert.append(" ", button);
      this.countDown(button, options.retry);
    }

    // Pressing the old retry button removed it, which drops focus to the body; the alert is the
    // closest place to pick up from.
    if (this.root.activeElement === null || this.root.activeElement === this.root.body) {
      alert.focus();
    }
  }

  /** Keeps the retry button disabled for the `Retry-After` delay the API requested. */
  private countDown(button: HTMLButtonElement, seconds: number): void {
    let left = Math.ceil(seconds);
    const tick = () => {
      button.disabled = left > 0;
      button.textContent = left > 0 ? `Try again in ${left} s` : "Try again";
      left -= 1;
      if (left < 0) clearInterval(this.retryTimer);
    };
    tick();
    if (left >= 0) this.retryTimer = setInterval(tick, 1000);
  }

  private clearAlert(): void {
    clearInterval(this.retryTimer);
    this.elements.alert.hidden = true;
    this.elements.alert.replaceChildren();
  }

  private announce(message: string): void {
    const announcer = this.elements.announcer;
    announcer.textContent = "";
    // A fresh text node after a tick makes screen readers repeat an identical message.
    setTimeout(() => {
      announcer.textContent = message;
    }, 50);
  }

  private errorFor(path: FieldPath): string | undefined {
    const client = this.touched.has(path) ? this.validation().fields.get(path) : undefined;
    return client ?? this.serverFieldErrors.get(path);
  }

  // Rendering

  private render(): void {
    this.renderCatalog();
    this.renderCart();
    this.renderFieldErrors();
    this.renderSummary();
    this.renderButton();
  }

  private renderCatalog(): void {
    if (this.catalog === undefined) return;

    preservingFocus(this.root, () => {
      replaceChildren(
        this.elements.grid,
        ...[...this.products.values()].map((product) =>
          productCard(
            {
              product,
              inCart: this.cart.quantityOf(product.sku),
              maxQuantity: this.cart.maxQuantityFor(product),
              price: this.format(product.unitPrice),
            },
            (sku) => this.addToCart(sku),
          ),
        ),
      );
    });
  }

  private renderCart(): void {
    const count = this.cart.itemCount;
    this.elements.cartCount.textContent = `Cart (${count})`;
    this.elements.cartCount.setAttribute(
      "aria-label",
      `Cart, ${count} ${count === 1 ? "item" : "items"}`,
    );

    const lines = this.cart.lines(this.products);
    preservingFocus(this.root, () => {
      replaceChildren(
        this.elements.cart,
        cartContent(
          lines.map((line) => ({
            line,
            maxQuantity: Math.max(line.quantity, this.cart.maxQuantityFor(line.product)),
            unitPrice: this.format(line.product.unitPrice),
            lineSubtotal: this.format(line.lineSubtotal),
            problem: this.lineProblems.get(line.product.sku),
          })),
          this.format(this.cart.subtotal(this.products)),
          this.cartProblem,
          {
            onQuantity: (sku, quantity) => this.changeQuantity(sku, quantity),
            onRemove: (sku) => this.removeFromCart(sku),
          },
        ),
      );
    });
  }

  private renderFieldErrors(): void {
    for (const path of FIELD_PATHS) {
      const message = this.errorFor(path);
      const input = this.input(path);
      const slot = required<HTMLElement>(this.root, `[data-error-for="${path}"]`);
      if ((slot.textContent ?? "") !== (message ?? "")) {
        slot.textContent = message ?? "";
      }
      input.toggleAttribute("aria-invalid", message !== undefined);
      if (message !== undefined) input.setAttribute("aria-invalid", "true");
    }
  }

  private renderSummary(): void {
    replaceChildren(this.elements.summary, summaryContent(this.summaryState()));
  }

  private summaryState(): SummaryState {
    if (this.cart.isEmpty) return { kind: "empty" };

    const subtotal = this.format(this.cart.subtotal(this.products));
    const current = JSON.stringify(this.currentRequest());
    const state = this.quoteState;
    if (state.kind === "quoted" && state.body === current) {
      return {
        kind: "quoted",
        totals: state.quote.totals,
        promotionCode: state.quote.promotionCode,
        taxLabel: this.taxLabel(this.values["shippingAddress.country"]),
        format: this.format,
      };
    }
    if (state.kind === "loading") return { kind: "loading", subtotal };
    if (state.kind === "failed") {
      return {
        kind: "failed",
        subtotal,
        message: state.message,
        onRetry: () => void this.fetchQuote(state.body),
      };
    }
    const blocked = this.serverFieldErrors.size > 0 || this.hasUnresolvedLines();
    return { kind: "incomplete", subtotal, blocked };
  }

  private renderButton(): void {
    const button = this.elements.placeOrder;
    if (this.placing) {
      button.textContent = "Placing your order…";
      return;
    }

    const state = this.quoteState;
    const current = JSON.stringify(this.currentRequest());
    button.textContent =
      state.kind === "quoted" && state.body === current
        ? `Place order · ${this.format(state.quote.totals.total)}`
        : "Place order";
  }

  // Confirmation

  private showConfirmation(order: PlacedOrder, options: { focus: boolean }): void {
    const view = this.root.defaultView;
    this.elements.shop.hidden = true;
    this.elements.confirmation.hidden = false;
    this.clearAlert();

    replaceChildren(
      this.elements.confirmation,
      confirmationContent(order, {
        format: (amount) => formatMoney(amount, order.currency, this.locale),
        formatTime: (timestamp) =>
          new Intl.DateTimeFormat(this.locale, { dateStyle: "long", timeStyle: "short" }).format(
            new Date(timestamp),
          ),
        taxLabel: (code) => this.taxLabel(code),
        countryName: (code) =>
          SHIPPING_COUNTRIES.find((entry) => entry.code === code)?.name ?? code,
        onContinue: () => void this.continueShopping(),
      }),
    );
    this.root.title = `Order confirmed · Orderflow Store`;
    if (view !== null && view.location.hash !== `#order-${order.orderId}`) {
      view.history.pushState(null, "", `#order-${order.orderId}`);
    }
    view?.scrollTo(0, 0);
    if (options.focus) required<HTMLElement>(this.root, "#confirmation-heading").focus();
  }

  private async continueShopping(): Promise<void> {
    clearSavedOrder();
    const view = this.root.defaultView;
    view?.history.pushState(null, "", view.location.pathname + view.location.search);
    this.root.title = "Orderflow Store · Checkout";
    this.elements.confirmation.hidden = true;
    this.elements.confirmation.replaceChildren();
    this.elements.shop.hidden = false;
    this.render();
    this.elements.catalogHeading.focus();
    await this.loadCatalog();
  }

  /** Names the tax line after the destination's VAT rate, such as "VAT (19%)". */
  private taxLabel(countryCode: string): string {
    const rate = SHIPPING_COUNTRIES.find((entry) => entry.code === countryCode)?.taxRateBasisPoints;
    if (rate === undefined) return "Tax";

    const percent = new Intl.NumberFormat(this.locale, {
      style: "percent",
      maximumFractionDigits: 2,
    }).format(rate / 10_000);
    return `VAT (${percent})`;
  }

  private defaultCountry(): string {
    const region = this.locale ? new Intl.Locale(this.locale).maximize().region : undefined;
    return SHIPPING_COUNTRIES.some((entry) => entry.code === region) ? (region ?? "") : "";
  }
}
