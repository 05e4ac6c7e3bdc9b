type Child = Node | string | number | false | null | undefined;

type Attributes = Record<string, string | number | boolean | undefined | null | EventListener>;

/**
 * Creates an element. Attributes starting with `on` become event listeners, `true` sets a
 * boolean attribute, and `false`, null or undefined leave the attribute out.
 */
export function h<K extends keyof HTMLElementTagNameMap>(
  tag: K,
  attributes: Attributes = {},
  ...children: Child[]
): HTMLElementTagNameMap[K] {
  const element = document.createElement(tag);

  for (const [name, value] of Object.entries(attributes)) {
    if (typeof value === "function") {
      element.addEventListener(name.slice(2).toLowerCase(), value);
    } else if (value === true) {
      element.setAttribute(name, "");
    } else if (value !== false && value !== null && value !== undefined) {
      element.setAttribute(name, String(value));
    }
  }

  append(element, children);
  return element;
}

export function append(parent: Node, children: Child[]): void {
  for (const child of children) {
    if (child === false || child === null || child === undefined) {
      continue;
    }
    parent.appendChild(typeof child === "object" ? child : document.createTextNode(String(child)));
  }
}

/** Replaces all children of `parent`. */
export function replaceChildren(parent: Element, ...children: Child[]): void {
  parent.replaceChildren();
  append(parent, children);
}

/** Finds a required element and fails loudly when the page markup lacks it. */
export function required<T extends Element>(root: ParentNode, selector: string): T {
  const element = root.querySelector<T>(selector);
  if (element === null) {
    throw new Error(`checkout page is missing the element ${selector}`);
  }
  return element;
}

export function retryButton(label: string, onClick: () => void): HTMLButtonElement {
  const button = document.createElement("button");
  button.type = "button";
  button.className = "link-button";
  button.textContent = label;
  button.addEventListener("click", onClick);
  return button;
}

/** Re-renders a region and puts focus back on the control that had it, by `data-focus-key`. */
export function preservingFocus(root: Document, render: () => void): void {
  const key = root.activeElement?.getAttribute("data-focus-key");
  render();
  if (key === null || key === undefined) return;

  const target = root.querySelector<HTMLElement>(`[data-focus-key="${CSS.escape(key)}"]`);
  if (target !== null && !target.hasAttribute("disabled")) {
    target.focus();
  } else if (target !== null) {
    // The control is now disabled (for example "+" at the maximum), so focus stays in its line.
    target.closest("li")?.querySelector<HTMLElement>("input, button:not([disabled])")?.focus();
  }
}
