/**
 * Keeps the last placed order's id and access token in sessionStorage, so reloading the
 * confirmation (its URL ends in `#order-<id>`) fetches the order again instead of losing it.
 * The token never goes into the URL, where it would end up in history and referrers.
 */
const STORAGE_KEY = "orderflow.lastOrder";

export interface SavedOrder {
  orderId: string;
  accessToken: string;
}

export function saveOrder(order: SavedOrder): void {
  try {
    sessionStorage.setItem(STORAGE_KEY, JSON.stringify(order));
  } catch {
    // Private modes may refuse storage; the confirmation still shows, only a reload loses it.
  }
}

/** Returns the saved order when `hash` points at it. */
export function loadSavedOrder(hash: string): SavedOrder | undefined {
  const match = /^#order-([0-9A-Za-z]+)$/.exec(hash);
  if (match === null) return undefined;

  try {
    const saved: unknown = JSON.parse(sessionStorage.getItem(STORAGE_KEY) ?? "null");
    if (isSavedOrder(saved) && saved.orderId === match[1]) return saved;
  } catch {
    // Unreadable storage counts as nothing saved.
  }
  return undefined;
}

export function clearSavedOrder(): void {
  try {
    sessionStorage.removeItem(STORAGE_KEY);
  } catch {
    // Nothing to clear when storage is unavailable.
  }
}

function isSavedOrder(value: unknown): value is SavedOrder {
  if (typeof value !== "object" || value === null) return false;
  const candidate = value as Record<string, unknown>;
  return typeof candidate.orderId === "string" && typeof candidate.accessToken === "string";
}
