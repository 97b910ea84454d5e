import { createRequire } from 'node:module';

type ClientNode = typeof import('@kubernetes/client-node');

const require = createRequire(import.meta.url);
let loaded: ClientNode | undefined;

// @kubernetes/client-node, loaded the first time a run touches a cluster: it adds ~80 MB to the
// runner's memory, which a runner whose runs reach no cluster never needs.
export function clientNode(): ClientNode {
  loaded ??= require('@kubernetes/client-node') as ClientNode;
  return loaded;
}
