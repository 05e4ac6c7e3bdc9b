import type { Totals } from "../api.ts";
import { h } from "../dom.ts";

export type SummaryState =
  | { kind: "empty" }
  | { kind: "incomplete"; subtotal: string; blocked: boolean }
  | { kind: "loading"; subtotal: string }
  | { kind: "failed"; subtotal: string; message: string; onRetry: () => void }
  | {
      kind: "quoted";
      totals: Totals;
      promotionCode: string | undefined;
      taxLabel: string;
      format: (amount: number) => string;
    };

/** Builds the order summary: the cart subtotal until the API has priced the order, then its quote. */
export function summaryContent(state: SummaryState): HTMLElement {
  switch (state.kind) {
    case "empty":
      return h("p", { class: "muted" }, "Add products to see your total.");
    case "incomplete":
      return h(
        "div",
        {},
        totalsRow("Subtotal", state.subtotal),
        h(
          "p",
          { class: "muted summary__note" },
          state.blocked
            ? "Correct the marked details to see shipping, tax and the total."
            : "Shipping and tax appear once your details are complete.",
        ),
      );
    case "loading":
      return h(
        "div",
        { "aria-busy": "true" },
        totalsRow("Subtotal", state.subtotal),
        h("p", { class: "muted summary__note" }, "Calculating shipping and tax…"),
      );
    case "failed":
      return h(
        "div",
        {},
        totalsRow("Subtotal", state.subtotal),
        h(
          "p",
          { class: "summary__note summary__note--error" },
          state.message,
          " ",
          h(
            "button",
            { type: "button", class: "link-button", onclick: state.onRetry },
            "Try again",
          ),
        ),
      );
    case "quoted":
      return totalsList(state.totals, state.promotionCode, state.format, state.taxLabel);
  }
}

/** Subtotal, discount, shipping, tax and total as a description list. */
export function totalsList(
  totals: Totals,
  promotionCode: string | undefined,
  format: (amount: number) => string,
  taxLabel = "Tax",
): HTMLElement {
  return h(
    "dl",
    { class: "totals", "data-totals": true },
    totalsRow("Subtotal", format(totals.subtotal), "subtotal"),
    totals.discount > 0
      ? totalsRow(
          promotionCode ? `Discount (${promotionCode})` : "Discount",
          `−${format(totals.discount)}`,
          "discount",
        )
      : null,
    totalsRow("Shipping", totals.shipping === 0 ? "Free" : format(totals.shipping), "shipping"),
    totalsRow(taxLabel, format(totals.tax), "tax"),
    totalsRow("Total", format(totals.total), "total"),
  );
}

function totalsRow(label: string, value: string, key?: string): HTMLElement {
  return h(
    "div",
    { class: `totals__row${key === "total" ? " totals__row--total" : ""}` },
    h("dt", {}, label),
    h("dd", { "data-amount": key }, value),
  );
}
