import { findVariableReferences } from '../../../protocol/index.ts';

export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (character) => `&#${character.charCodeAt(0)};`);
}

// The element the runner UI fills once a value is known: <var data-var="name">{{name}}</var>.
export function varPlaceholderHtml(name: string): string {
  return `<var class="db-var" data-var="${escapeHtml(name)}" data-state="unknown" title="Not known yet">{{${escapeHtml(name)}}}</var>`;
}

// Escapes text for HTML and renders every {{name}} in it as a placeholder.
export function templateToHtml(text: string): string {
  let html = '';
  let cursor = 0;
  for (const reference of findVariableReferences(text)) {
    html += escapeHtml(text.slice(cursor, reference.start)) + varPlaceholderHtml(reference.name);
    cursor = reference.end;
  }
  return html + escapeHtml(text.slice(cursor));
}
