import { AnsiUp } from 'ansi_up';

// A step's live output: ANSI colours rendered (HTML escaped, links off), appended once per frame
// so a fast stream does not stall the page.
export class OutputView {
  readonly #pre: HTMLElement;
  readonly #wrap: HTMLElement;
  #ansi = OutputView.#converter();
  #pending = '';
  #frame = 0;
  #attempt = 0;

  constructor(wrap: HTMLElement) {
    this.#wrap = wrap;
    this.#pre = wrap.querySelector('[data-output]') as HTMLElement;
  }

  static #converter(): AnsiUp {
    const converter = new AnsiUp();
    converter.escape_html = true;
    converter.url_allowlist = {};
    return converter;
  }

  append(attempt: number, text: string): void {
    if (attempt !== this.#attempt) this.reset(attempt);
    this.#wrap.hidden = false;
    this.#pending += text;
    this.#frame ||= requestAnimationFrame(() => this.#flush());
  }

  reset(attempt: number): void {
    this.#attempt = attempt;
    this.#pending = '';
    this.#ansi = OutputView.#converter();
    this.#pre.replaceChildren();
    const note = this.#wrap.querySelector<HTMLElement>('[data-truncated]');
    if (note) note.hidden = true;
  }

  #flush(): void {
    this.#frame = 0;
    const stick = this.#pre.scrollTop + this.#pre.clientHeight >= this.#pre.scrollHeight - 4;
    this.#pre.insertAdjacentHTML('beforeend', this.#ansi.ansi_to_html(this.#pending));
    this.#pending = '';
    if (stick) this.#pre.scrollTop = this.#pre.scrollHeight;
  }
}
