import { MASK } from '../../protocol/display.ts';
import type { RunView, ValueView } from '../../protocol/index.ts';
import { h } from './dom.ts';

export function lookupValue(view: RunView | null, name: string): ValueView {
  return view?.values.find((value) => value.name === name) ?? { name, known: false, secret: false, source: null };
}

// Fills every {{name}} placeholder on the page (commands and prose) with what the run knows.
export function fillPlaceholders(view: RunView | null): void {
  for (const element of document.querySelectorAll<HTMLElement>('var.db-var[data-var]')) {
    const value = lookupValue(view, element.dataset.var as string);
    const state = !value.known ? 'unknown' : value.secret ? 'secret' : 'known';
    if (element.dataset.state === state && (state !== 'known' || element.textContent === value.value)) continue;
    element.dataset.state = state;
    element.textContent =
      state === 'unknown' ? `{{${value.name}}}` : state === 'secret' ? MASK : (value.value as string);
    element.title = state === 'unknown' ? 'Not known yet' : state === 'secret' ? `${value.name} (secret)` : value.name;
  }
}

// The values panel: every variable, where it came from, and a way to override it.
export function renderValues(list: HTMLElement, view: RunView, onOverride: (value: ValueView) => void): void {
  list.replaceChildren(
    ...view.values.map((value) => {
      const shown = !value.known ? 'not known yet' : value.secret ? MASK : value.value;
      const button = h(
        'button',
        { type: 'button', class: 'db-button db-button-quiet', 'aria-label': `Override ${value.name}` },
        'Override',
      );
      button.addEventListener('click', () => onOverride(value));
      return h(
        'li',
        { 'data-value': value.name, 'data-state': value.known ? 'known' : 'unknown' },
        h('code', {}, value.name),
        h('span', { class: 'db-value-text' }, shown ?? ''),
        value.source ? h('span', { class: 'db-tag' }, value.source) : null,
        view.status === 'active' ? button : null,
      );
    }),
  );
}
