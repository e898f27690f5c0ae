// DOM helpers of the Token Details page: attributes by name, text as text nodes. No HTML is ever parsed from data.

/** null: nothing (lets optional parts sit inline in a children list). */
export type Child = Node | string | null;

export function el(tag: string, attrs: Record<string, string> = {}, children: Child | Child[] = []): HTMLElement {
  const e = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs)) {
    if (k === 'dateTime') e.setAttribute('datetime', v);
    else e.setAttribute(k, v);
  }
  for (const c of Array.isArray(children) ? children : [children]) if (c !== null) e.append(c);
  return e;
}

export function button(id: string, label: string, kind: 'primary' | 'secondary', onClick: () => void, disabled = false): HTMLButtonElement {
  const b = el('button', { id, type: 'button', class: `btn ${kind}` }, label) as HTMLButtonElement;
  b.disabled = disabled;
  b.addEventListener('click', onClick);
  return b;
}

export function section(id: string, title: string, children: Child[]): HTMLElement {
  return el('section', { id, class: 'card', 'aria-labelledby': `${id}-title` }, [el('h2', { id: `${id}-title` }, title), ...children]);
}
