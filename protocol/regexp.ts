// Escapes text so that a regular expression matches it literally (valid with the u and v flags).
export function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&');
}
