import type { CatalogProduct } from "../api.ts";
import { h } from "../dom.ts";

export interface ProductCardState {
  product: CatalogProduct;
  inCart: number;
  /** Maximum units the shopper may add: the stock, capped by the per-line limit. */
  maxQuantity: number;
  price: string;
}

/** Builds one product tile: swatch, name, description, price, stock and the add button. */
export function productCard(state: ProductCardState, onAdd: (sku: string) => void): HTMLLIElement {
  const { product, inCart, maxQuantity, price } = state;
  const soldOut = product.stock <= 0;
  const full = !soldOut && inCart >= maxQuantity;
  const headingId = `product-${product.sku}`;

  let buttonText = "Add to cart";
  if (soldOut) buttonText = "Sold out";
  else if (full) buttonText = "Maximum in cart";

  return h(
    "li",
    { class: `product${soldOut ? " product--sold-out" : ""}`, "data-sku": product.sku },
    h(
      "div",
      { class: "product__swatch", style: `--hue: ${hueOf(product.sku)}`, "aria-hidden": "true" },
      h("span", {}, initialsOf(product.name)),
    ),
    h(
      "div",
      { class: "product__body" },
      h("h3", { class: "product__name", id: headingId }, product.name),
      h("p", { class: "product__description" }, product.description),
      h(
        "div",
        { class: "product__meta" },
        h("span", { class: "product__price" }, price),
        h("span", { class: `stock ${stockClass(product.stock)}` }, stockText(product.stock)),
      ),
      inCart > 0
        ? h("p", { class: "product__in-cart", "data-in-cart": true }, `✓ ${inCart} in your cart`)
        : null,
    ),
    h(
      "button",
      {
        type: "button",
        class: "button button--secondary product__add",
        "data-focus-key": `add-${product.sku}`,
        disabled: soldOut || full,
        onclick: () => onAdd(product.sku),
      },
      buttonText,
      h("span", { class: "sr-only" }, `: ${product.name}`),
    ),
  );
}

export function stockText(stock: number): string {
  if (stock <= 0) return "Sold out";
  if (stock <= 5) return `Only ${stock} left`;
  return `${stock} in stock`;
}

function stockClass(stock: number): string {
  if (stock <= 0) return "stock--out";
  if (stock <= 5) return "stock--low";
  return "stock--ok";
}

function initialsOf(name: string): string {
  return name
    .split(/\s+/)
    .filter((word) => word.length > 0)
    .slice(0, 2)
    .map((word) => word[0]?.toUpperCase())
    .join("");
}

/** Derives a stable hue from the SKU, so each product keeps its colour between visits. */
function hueOf(sku: string): number {
  let hash = 0;
  for (const char of sku) {
    hash = (hash * 31 + char.charCodeAt(0)) % 360;
  }
  return hash;
}
