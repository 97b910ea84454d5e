import { createRequire } from 'node:module';
import { Language, type Node, Parser, type Tree } from 'web-tree-sitter';

let parserPromise: Promise<Parser> | undefined;

// tree-sitter's bash grammar (WASM), loaded once: a real parser for the structure of a script.
function loadParser(): Promise<Parser> {
  parserPromise ??= (async () => {
    await Parser.init();
    const require = createRequire(import.meta.url);
    const language = await Language.load(require.resolve('tree-sitter-bash/tree-sitter-bash.wasm'));
    const parser = new Parser();
    parser.setLanguage(language);
    return parser;
  })();
  return parserPromise;
}

// Parses a script and hands the tree to `use`, freeing the tree's WASM memory afterwards.
export async function withBashTree<T>(script: string, use: (tree: Tree) => T): Promise<T> {
  const parser = await loadParser();
  const tree = parser.parse(script);
  if (!tree) throw new Error('tree-sitter returned no tree for the script');
  try {
    return use(tree);
  } finally {
    tree.delete();
  }
}

export function ancestorsOf(node: Node): Node[] {
  const chain: Node[] = [];
  for (let current: Node | null = node; current; current = current.parent) chain.push(current);
  return chain;
}

export type { Node, Tree };
