import type { Manifest } from '../../protocol/index.ts';

export interface CatalogEntry {
  slug: string;
  title: string;
  summary: string;
  system: string;
  product: string | undefined;
  tags: string[];
  stepCount: number;
  searchText: string;
}

// The catalog's view of the manifest: drafts hidden, in reading order, with the text the filter searches.
export function catalogEntries(manifest: Manifest): CatalogEntry[] {
  return (
    manifest.runbooks
      .filter((runbook) => !runbook.meta.draft)
      .map((runbook) => {
        const { title, summary, system, product, tags } = runbook.meta;
        return {
          slug: runbook.slug,
          title,
          summary,
          system,
          product,
          tags,
          stepCount: runbook.steps.length,
          searchText: [title, summary, system, product ?? '', ...tags].join(' ').toLowerCase(),
        };
      })
      // The tutorial first, then the procedures grouped by platform.
      .sort(
        (a, b) =>
          Number(b.tags.includes('tutorial')) - Number(a.tags.includes('tutorial')) ||
          (a.product ?? '').localeCompare(b.product ?? '') ||
          a.title.localeCompare(b.title),
      )
  );
}
