import { createHash, timingSafeEqual } from 'node:crypto';

export const TOKEN_HEADER = 'x-drillbook-token';

// Who may talk to the runner: its own page, over loopback, with this launch's token.
export class SecurityPolicy {
  readonly #tokenDigest: Buffer;
  #hosts = new Set<string>();
  #origins = new Set<string>();

  constructor(token: string) {
    this.#tokenDigest = digest(token);
  }

  // The exact Host and Origin values the runner answers to, once its port is known.
  bind(address: string, port: number): void {
    const names =
      address === '127.0.0.1' ? ['127.0.0.1', 'localhost'] : address === '::1' ? ['[::1]', 'localhost'] : [address];
    this.#hosts = new Set(names.map((name) => `${name}:${port}`));
    this.#origins = new Set([...this.#hosts].map((host) => `http://${host}`));
  }

  isAllowedHost(host: string | undefined): boolean {
    return host !== undefined && this.#hosts.has(host.toLowerCase());
  }

  isAllowedOrigin(origin: string | undefined): boolean {
    return origin !== undefined && this.#origins.has(origin);
  }

  // Constant-time comparison of fixed-length digests, so neither content nor length leaks.
  isValidToken(candidate: string | undefined): boolean {
    if (candidate === undefined) return false;
    return timingSafeEqual(digest(candidate), this.#tokenDigest);
  }
}

function digest(text: string): Buffer {
  return createHash('sha256').update(text).digest();
}
