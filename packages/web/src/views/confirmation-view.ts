import type { PlacedOrder } from "../api.ts";
import { h } from "../dom.ts";
import { totalsList } from "./summary-view.ts";

export interface ConfirmationOptions {
  format: (amount: number) => string;
  formatTime: (isoTimestamp: string) => string;
  countryName: (code: string) => string;
  taxLabel: (countryCode: string) => string;
  onContinue: () => void;
}

/** Builds the confirmation screen of a placed order. */
export function confirmationContent(order: PlacedOrder, options: ConfirmationOptions): HTMLElement {
  const { format } = options;
  const firstName = order.customer.name.split(/\s+/)[0] ?? order.customer.name;
  const email = order.notification?.email ?? order.customer.email;
  const emailOwed = order.notification?.status === "owed";
  const address = order.shippingAddress;

  return h(
    "div",
    { class: "confirmation__inner" },
    h(
      "div",
      { class: "confirmation__hero" },
      h("div", { class: "confirmation__check", "aria-hidden": "true" }, "✓"),
      h("h1", { id: "confirmation-heading", tabindex: -1 }, `Thank you, ${firstName}!`),
      h(
        "p",
        { class: "confirmation__lead" },
        "Your order ",
        h("strong", { "data-order-id": true, class: "mono" }, order.orderId),
        ` is ${order.status}.`,
      ),
      h("p", { class: "muted" }, `Placed ${options.formatTime(order.createdAt)}.`),
      h(
        "p",
        { class: emailOwed ? "notice notice--warning" : "muted", "data-notification": true },
        emailOwed
          ? `We could not send the confirmation e-mail to ${email} yet. It will follow shortly.`
          : `A confirmation e-mail is on its way to ${email}.`,
      ),
    ),
    h(
      "div",
      { class: "confirmation__grid" },
      h(
        "section",
        { class: "panel", "aria-labelledby": "confirmation-items" },
        h("h2", { id: "confirmation-items" }, "Items"),
        h(
          "table",
          { class: "lines-table" },
          h(
            "thead",
            {},
            h(
              "tr",
              {},
              h("th", { scope: "col" }, "Product"),
              h("th", { scope: "col", class: "num" }, "Qty"),
              h("th", { scope: "col", class: "num" }, "Price"),
              h("th", { scope: "col", class: "num" }, "Amount"),
            ),
          ),
          h(
            "tbody",
            {},
            ...order.lines.map((line) =>
              h(
                "tr",
                { "data-order-line": line.sku },
                h("td", {}, line.name),
                h("td", { class: "num" }, line.quantity),
                h("td", { class: "num" }, format(line.unitPrice)),
                h("td", { class: "num" }, format(line.subtotal)),
              ),
            ),
          ),
        ),
        totalsList(
          order.totals,
          order.promotionCode,
          format,
          options.taxLabel(order.shippingAddress.country),
        ),
      ),
      h(
        "div",
        { class: "confirmation__side" },
        h(
          "section",
          { class: "panel", "aria-labelledby": "confirmation-shipping" },
          h("h2", { id: "confirmation-shipping" }, "Shipping to"),
          h(
            "address",
            {},
            order.customer.name,
            h("br"),
            address.line1,
            address.line2 ? h("br") : null,
            address.line2 ?? null,
            h("br"),
            `${address.postalCode} ${address.city}`,
            address.region ? `, ${address.region}` : null,
            h("br"),
            options.countryName(address.country),
          ),
        ),
        order.workflow && order.workflow.steps.length > 0
          ? workflowTimeline(order.workflow.steps)
          : null,
      ),
    ),
    h(
      "p",
      { class: "confirmation__actions" },
      h(
        "button",
        { type: "button", class: "button button--primary", onclick: options.onContinue },
        "Continue shopping",
      ),
    ),
  );
}

/** Draws the workflow's steps as bars on one time axis, so the slowest step is easy to spot. */
function workflowTimeline(steps: NonNullable<PlacedOrder["workflow"]>["steps"]): HTMLElement {
  const starts = steps.map((step) => Date.parse(step.startedAt));
  const origin = Math.min(...starts);
  const end = Math.max(...steps.map((step, index) => (starts[index] ?? origin) + step.durationMs));
  const span = Math.max(1, end - origin);
  const total = end - origin;

  return h(
    "section",
    { class: "panel", "aria-labelledby": "confirmation-workflow" },
    h("h2", { id: "confirmation-workflow" }, "How your order was processed"),
    h(
      "ol",
      { class: "timeline" },
      ...steps.map((step, index) => {
        const offset = ((starts[index] ?? origin) - origin) / span;
        const width = Math.max(step.durationMs / span, 0.02);
        return h(
          "li",
          { class: "timeline__step", "data-workflow-step": step.name },
          h("span", { class: "timeline__name" }, step.name),
          h(
            "span",
            { class: "timeline__track", "aria-hidden": "true" },
            h("span", {
              class: "timeline__bar",
              style: `left: ${(offset * 100).toFixed(1)}%; width: ${(Math.min(width, 1 - offset) * 100).toFixed(1)}%`,
            }),
          ),
          h("span", { class: "timeline__duration" }, formatDuration(step.durationMs)),
        );
      }),
    ),
    h("p", { class: "muted timeline__total" }, `Done in ${formatDuration(total)}.`),
  );
}

function formatDuration(ms: number): string {
  return ms < 1000 ? `${Math.round(ms)} ms` : `${(ms / 1000).toFixed(2)} s`;
}
