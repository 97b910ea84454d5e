import type { Root } from 'mdast';
import { fromMarkdown } from 'mdast-util-from-markdown';
import { frontmatterFromMarkdown } from 'mdast-util-frontmatter';
import { gfmFromMarkdown } from 'mdast-util-gfm';
import { mdxFromMarkdown } from 'mdast-util-mdx';
import { frontmatter } from 'micromark-extension-frontmatter';
import { gfm } from 'micromark-extension-gfm';
import { mdxjs } from 'micromark-extension-mdxjs';
import type { SourcePosition } from './diagnostics.ts';

export class MdxSyntaxError extends Error {
  readonly code = 'MDX_SYNTAX';
  readonly position: SourcePosition;

  constructor(message: string, position: SourcePosition, options?: { cause: unknown }) {
    super(message, options);
    this.name = 'MdxSyntaxError';
    this.position = position;
  }
}

interface MicromarkError {
  reason?: string;
  message: string;
  line?: number;
  column?: number;
  place?: { line: number; column: number } | { start: { line: number; column: number } };
}

// Parses a runbook with the reference MDX grammar so that every node keeps its line and column.
export function parseMdx(source: string): Root {
  try {
    return fromMarkdown(source, {
      extensions: [mdxjs(), frontmatter(['yaml']), gfm()],
      mdastExtensions: [mdxFromMarkdown(), frontmatterFromMarkdown(['yaml']), gfmFromMarkdown()],
    });
  } catch (error) {
    const failure = error as MicromarkError;
    const reason = failure.reason ?? failure.message;
    const place = failure.place && 'start' in failure.place ? failure.place.start : failure.place;
    // Some messages carry their position only in the text: "Expected a closing tag for `<Step>` (5:1-5:14)".
    const inText = /\((\d+):(\d+)(?:-\d+:\d+)?\)$/.exec(reason);
    throw new MdxSyntaxError(
      reason.replace(/\s*\(\d+:\d+(?:-\d+:\d+)?\)$/, ''),
      {
        line: place?.line ?? failure.line ?? Number(inText?.[1] ?? 1),
        column: place?.column ?? failure.column ?? Number(inText?.[2] ?? 1),
      },
      { cause: error },
    );
  }
}
