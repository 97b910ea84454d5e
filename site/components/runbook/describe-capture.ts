import type { CaptureSpec, CheckSpec, StepTarget } from '../../../protocol/index.ts';
import { formatDuration } from '../../../protocol/index.ts';

// Plain-language descriptions of captures, checks and targets for the rendered page.

export function describeCapture(capture: CaptureSpec): string {
  const from = capture.source === 'exitCode' ? 'the exit code' : capture.source;
  const how = (() => {
    switch (capture.extract.kind) {
      case 'regex':
        return `the regex /${capture.extract.pattern}/ (group ${capture.extract.group})`;
      case 'jsonpath':
        return `the JSONPath ${capture.extract.path}`;
      case 'table-column':
        return `the ${capture.extract.column} column${
          capture.extract.where
            ? ` of rows where ${capture.extract.where.column} is ${capture.extract.where.equals}`
            : ''
        }`;
      case 'whole':
        return 'the whole output, trimmed';
    }
  })();
  const transforms = capture.transforms.length > 0 ? `, then ${capture.transforms.join(', ')}` : '';
  const pick = PICK_WORDS[capture.pick];
  return capture.source === 'exitCode' ? `from ${from}` : `from ${from} by ${how}${transforms}; ${pick}`;
}

const PICK_WORDS: Record<CaptureSpec['pick'], string> = {
  operator: 'you choose when several match',
  first: 'the first match is kept',
  last: 'the last match is kept',
  latest: 'the latest (greatest) match is kept',
  only: 'exactly one match is expected',
};

export function describeWait(check: CheckSpec): string | undefined {
  if (!check.wait) return undefined;
  return `repeats the step every ${formatDuration(check.wait.intervalMs)} until this holds, for up to ${formatDuration(check.wait.timeoutMs)}`;
}

export function describeTarget(target: StepTarget): string {
  switch (target.kind) {
    case 'local':
      return "the operator's machine";
    case 'pod':
      return `${target.pod === undefined ? `the pod labelled ${target.podSelector}` : `pod ${target.pod}`}${target.container ? ` (container ${target.container})` : ''} in ${target.namespace}`;
    case 'node': {
      const as = target.user ? ` as ${target.user}` : '';
      const then =
        target.onNodeFailure === 'continue' ? ', going on after a failure' : ', stopping at the first failure';
      if (target.nodes !== undefined) return `each node of ${target.nodes} in turn${as}${then}`;
      if (target.nodeSelector !== undefined) return `each node labelled ${target.nodeSelector} in turn${as}${then}`;
      return `node ${target.user ? `${target.user}@` : ''}${target.host}`;
    }
  }
}
