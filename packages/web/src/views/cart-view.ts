import type { CartLine } from "../cart.ts";
import { h } from "../dom.ts";

export interface CartLineState {
  line: CartLine;
  maxQuantity: number;
  unitPrice: string;
  lineSubtotal: string;
  /** A problem with this line from the API or the schema, shown under it. */
  problem: string | undefined;
}

export interface CartHandlers {
  onQuantity: (sku: string, quantity: number) => void;
  onRemove: (sku: string) => void;
}

/** Builds the cart's lines with quantity steppers, or the empty state. */
export function cartContent(
  lines: CartLineState[],
  subtotal: string,
  cartProblem: string | undefined,
  handlers: CartHandlers,
): HTMLElement {
  if (lines.length === 0) {
    return h(
      "div",
      { class: "cart__empty" },
      h("p", {}, "Your cart is empty."),
      h("p", { class: "muted" }, "Add something from the shop to get started."),
      cartProblem ? h("p", { class: "field__error", role: "alert" }, cartProblem) : null,
    );
  }

  return h(
    "div",
    {},
    h("ul", { class: "cart__lines" }, ...lines.map((line) => cartLine(line, handlers))),
    cartProblem ? h("p", { class: "field__error" }, cartProblem) : null,
    h(
      "p",
      { class: "cart__subtotal" },
      h("span", {}, "Subtotal"),
      h("span", { "data-cart-subtotal": true }, subtotal),
    ),
  );
}

function cartLine(state: CartLineState, handlers: CartHandlers): HTMLLIElement {
  const { line, maxQuantity, problem } = state;
  const sku = line.product.sku;
  const quantityId = `quantity-${sku}`;
  const problemId = `line-problem-${sku}`;

  const quantity = h("input", {
    id: quantityId,
    class: "stepper__input",
    type: "number",
    inputmode: "numeric",
    min: 1,
    max: Math.max(1, maxQuantity),
    value: line.quantity,
    "aria-invalid": problem ? "true" : undefined,
    "aria-describedby": problem ? problemId : undefined,
    "data-focus-key": `quantity-${sku}`,
    onchange: (event: Event) => {
      const value = Number((event.target as HTMLInputElement).value);
      handlers.onQuantity(sku, Number.isFinite(value) ? value : line.quantity);
    },
  });

  return h(
    "li",
    { class: `cart-line${problem ? " cart-line--problem" : ""}`, "data-cart-line": sku },
    h(
      "div",
      { class: "cart-line__info" },
      h("p", { class: "cart-line__name" }, line.product.name),
      h("p", { class: "cart-line__unit muted" }, `${state.unitPrice} each`),
    ),
    h(
      "div",
      { class: "stepper" },
      h("label", { class: "sr-only", for: quantityId }, `Quantity of ${line.product.name}`),
      h(
        "button",
        {
          type: "button",
          class: "stepper__button",
          "aria-label": `One fewer ${line.product.name}`,
          "data-focus-key": `fewer-${sku}`,
          disabled: line.quantity <= 1,
          onclick: () => handlers.onQuantity(sku, line.quantity - 1),
        },
        "−",
      ),
      quantity,
      h(
        "button",
        {
          type: "button",
          class: "stepper__button",
          "aria-label": `One more ${line.product.name}`,
          "data-focus-key": `more-${sku}`,
          disabled: line.quantity >= maxQuantity,
          onclick: () => handlers.onQuantity(sku, line.quantity + 1),
        },
        "+",
      ),
    ),
    h("p", { class: "cart-line__total" }, state.lineSubtotal),
    h(
      "button",
      {
        type: "button",
        class: "link-button cart-line__remove",
        "data-focus-key": `remove-${sku}`,
        onclick: () => handlers.onRemove(sku),
      },
      "Remove",
      h("span", { class: "sr-only" }, ` ${line.product.name}`),
    ),
    problem
      ? h("p", { class: "cart-line__problem", id: problemId, "data-line-problem": sku }, problem)
      : null,
  );
}
