// The forms a secret takes in output: as written, line by line, base64 (standard, URL-safe,
// unpadded, of the value with a trailing newline), URL-encoded and JSON-escaped.
export const MIN_MASKED_LENGTH = 3;

export function secretVariants(secret: string): string[] {
  const bases = new Set([secret, secret.replace(/\r?\n$/, '')]);
  for (const line of secret.split(/\r?\n/)) bases.add(line.trim());
  const variants = new Set<string>();
  for (const base of bases) {
    if (base.length < MIN_MASKED_LENGTH) continue;
    variants.add(base);
    variants.add(encodeURIComponent(base));
    variants.add(JSON.stringify(base).slice(1, -1));
    for (const bytes of [base, `${base}\n`]) {
      const standard = Buffer.from(bytes, 'utf8').toString('base64');
      variants.add(standard);
      variants.add(standard.replace(/=+$/, ''));
      variants.add(Buffer.from(bytes, 'utf8').toString('base64url'));
    }
  }
  return [...variants].filter((variant) => variant.length >= MIN_MASKED_LENGTH);
}
