import { createHash } from 'node:crypto';
import path from 'node:path';

// Each practice cluster gets its own loopback /24, 127.A.B.0, chosen by a hash of its folder: a
// developer's cluster and a test's never collide, and neither meets services on 127.0.0.1.
// A is 1-254, so 127.0.0.x and 127.0.1.x are never used.
export function practiceSubnet(practiceDir: string): string {
  const digest = createHash('sha256').update(path.resolve(practiceDir)).digest();
  const a = 1 + ((digest[0] ?? 0) % 254);
  const b = digest[1] ?? 0;
  return `127.${a}.${b}`;
}

// Names unique to a cluster's subnet, so clusters of several state dirs never share one; an
// interface name has at most 15 characters (dbk-254-255-3 has 13).
export function nodeNetworkNames(subnet: string, ordinal: number): { namespace: string; hostLink: string } {
  const [, a, b] = subnet.split('.');
  return { namespace: `drillbook-${a}-${b}-cp-${ordinal}`, hostLink: `dbk-${a}-${b}-${ordinal}` };
}
