// The record's stylesheet: inline, system fonts only, so the file makes no request; readable on
// screen and on paper (A4 or Letter), with long outputs folded on screen and opened in print.
export const RECORD_CSS = `
:root { color-scheme: light; --muted: #555; --line: #d0d0d0; --ok: #0a6b2c; --bad: #a3161b; }
* { box-sizing: border-box; }
body { font: 14px/1.45 system-ui, -apple-system, "Segoe UI", Roboto, sans-serif; margin: 2rem auto; max-width: 60rem; padding: 0 1rem; color: #111; }
h1 { font-size: 1.6rem; margin: 0 0 .25rem; }
h2 { font-size: 1.2rem; margin: 2rem 0 .5rem; border-bottom: 1px solid var(--line); }
h3 { font-size: 1rem; margin: 1.25rem 0 .25rem; }
table { border-collapse: collapse; width: 100%; margin: .5rem 0; }
th, td { border: 1px solid var(--line); padding: .25rem .4rem; text-align: left; vertical-align: top; }
th { background: #f3f3f3; }
code, pre { font: 12px/1.4 ui-monospace, "SFMono-Regular", Menlo, Consolas, monospace; }
pre { background: #f7f7f7; border: 1px solid var(--line); padding: .5rem; white-space: pre-wrap; overflow-wrap: anywhere; margin: .25rem 0; }
pre.output { background: #111; color: #eee; }
.muted { color: var(--muted); }
.verification { font: 12px ui-monospace, monospace; background: #eef4ff; border: 1px solid #9bb4e0; padding: .4rem .6rem; overflow-wrap: anywhere; }
.outcome-succeeded, .outcome-completed, .pass { color: var(--ok); font-weight: 600; }
.outcome-failed, .outcome-timed-out, .outcome-abandoned, .outcome-interrupted, .fail { color: var(--bad); font-weight: 600; }
td.data { font: 11px ui-monospace, monospace; overflow-wrap: anywhere; }
details > summary { cursor: pointer; color: var(--muted); }
@media print {
  body { margin: 0; max-width: none; font-size: 11px; }
  h2 { break-after: avoid; }
  tr, pre { break-inside: avoid-page; }
  details > summary { display: none; }
}
`;

export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (character) => `&#${character.charCodeAt(0)};`);
}
