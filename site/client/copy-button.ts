// <db-copy-button>: copies the command of the script block it sits in, as currently shown.
class CopyButton extends HTMLElement {
  connectedCallback(): void {
    const button = this.querySelector('button');
    button?.addEventListener('click', () => void this.copy(button));
  }

  private async copy(button: HTMLButtonElement): Promise<void> {
    const code = this.closest('.db-script')?.querySelector('pre');
    if (!code) return;
    try {
      await navigator.clipboard.writeText(code.textContent ?? '');
      this.flash(button, 'Copied');
    } catch {
      this.flash(button, 'Copy failed');
    }
  }

  private flash(button: HTMLButtonElement, text: string): void {
    const original = 'Copy';
    button.textContent = text;
    setTimeout(() => {
      button.textContent = original;
    }, 1500);
  }
}

if (!customElements.get('db-copy-button')) customElements.define('db-copy-button', CopyButton);
