// Pod addresses. A hostNetwork pod has the node's address; any other pod gets its own loopback
// address from the node's block of the cluster's /24 (cp-1 .64-.127, cp-2 .128-.191, cp-3
// .192-.254), which this machine routes to the node and the node to the pod's own network
// namespace (practice/network/pod-network.ts).
export class PodAddresses {
  readonly #prefix: string;
  readonly #first: number;
  readonly #last: number;
  readonly #used = new Map<string, string>();

  constructor(nodeAddress: string) {
    const octets = nodeAddress.split('.');
    const ordinal = Number(octets[3]) - 10;
    this.#prefix = octets.slice(0, 3).join('.');
    this.#first = 64 * ordinal;
    this.#last = Math.min(64 * ordinal + 63, 254);
  }

  // The pod's address: its previous one when still free (a restarted kubelet keeps it).
  assign(uid: string, previous?: string): string {
    const known = this.#used.get(uid);
    if (known) return known;
    const taken = new Set(this.#used.values());
    const candidates = [previous, ...this.#range()].filter(
      (address): address is string => address !== undefined && this.#contains(address) && !taken.has(address),
    );
    const address = candidates[0];
    if (!address) throw new Error(`no pod address left in ${this.#prefix}.${this.#first}-${this.#last}`);
    this.#used.set(uid, address);
    return address;
  }

  release(uid: string): void {
    this.#used.delete(uid);
  }

  #range(): string[] {
    const addresses: string[] = [];
    for (let last = this.#first; last <= this.#last; last++) addresses.push(`${this.#prefix}.${last}`);
    return addresses;
  }

  #contains(address: string): boolean {
    const last = Number(address.split('.')[3]);
    return address.startsWith(`${this.#prefix}.`) && last >= this.#first && last <= this.#last;
  }
}
