// <db-catalog>: filters the runbook cards by text, system and tag as the operator types.
class CatalogFilter extends HTMLElement {
  connectedCallback(): void {
    const form = this.querySelector('form');
    form?.addEventListener('input', () => this.apply(form));
    form?.addEventListener('submit', (event) => event.preventDefault());
  }

  private apply(form: HTMLFormElement): void {
    const data = new FormData(form);
    const words = String(data.get('q') ?? '')
      .toLowerCase()
      .split(/\s+/)
      .filter(Boolean);
    const system = String(data.get('system') ?? '');
    const tag = String(data.get('tag') ?? '');
    let shown = 0;
    for (const card of this.querySelectorAll<HTMLElement>('.db-card')) {
      const visible =
        words.every((word) => (card.dataset.search ?? '').includes(word)) &&
        (system === '' || card.dataset.system === system) &&
        (tag === '' || (card.dataset.tags ?? '').split(' ').includes(tag));
      card.hidden = !visible;
      if (visible) shown++;
    }
    const count = this.querySelector('[data-count]');
    if (count) count.textContent = `${shown} ${shown === 1 ? 'runbook' : 'runbooks'}`;
    const empty = this.querySelector<HTMLElement>('.db-catalog-empty');
    if (empty) empty.hidden = shown > 0;
  }
}

if (!customElements.get('db-catalog')) customElements.define('db-catalog', CatalogFilter);
