/**
 * Keeps the cart's SKU and quantity pairs in localStorage, so a reload or a new tab finds the
 * same cart. Nothing personal is stored: no name, e-mail or address.
 */
const STORAGE_KEY = "orderflow.cart";

export function saveCart(entries: [string, number][]): void {
  try {
    if (entries.length === 0) {
      localStorage.removeItem(STORAGE_KEY);
    } else {
      localStorage.setItem(STORAGE_KEY, JSON.stringify(entries));
    }
  } catch {
    // Storage may be full or disabled, and then the cart lasts only as long as the page.
  }
}

/** Returns the saved pairs, or an empty list when nothing valid is saved. */
export function loadCart(): [string, number][] {
  try {
    const saved: unknown = JSON.parse(localStorage.getItem(STORAGE_KEY) ?? "[]");
    if (!Array.isArray(saved)) return [];
    return saved.filter(
      (entry): entry is [string, number] =>
        Array.isArray(entry) && typeof entry[0] === "string" && typeof entry[1] === "number",
    );
  } catch {
    return [];
  }
}
