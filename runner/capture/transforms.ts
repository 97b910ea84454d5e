import type { CaptureTransform } from '../../protocol/index.ts';

export class TransformError extends Error {
  readonly code = 'TRANSFORM_FAILED';
}

const BASE64 = /^[A-Za-z0-9+/_-]*={0,2}$/;

export function applyTransforms(value: string, transforms: readonly CaptureTransform[]): string {
  return transforms.reduce(applyTransform, value);
}

function applyTransform(value: string, transform: CaptureTransform): string {
  switch (transform) {
    case 'trim':
      return value.trim();
    case 'base64-decode': {
      const compact = value.replace(/\s+/g, '');
      if (!BASE64.test(compact)) throw new TransformError('the value is not base64');
      const bytes = Buffer.from(compact.replace(/-/g, '+').replace(/_/g, '/'), 'base64');
      const decoded = new TextDecoder('utf-8', { fatal: false }).decode(bytes);
      return decoded;
    }
    case 'base64-encode':
      return Buffer.from(value, 'utf8').toString('base64');
    case 'first-line':
      return value.split(/\r?\n/)[0] ?? '';
    case 'last-line':
      return (
        value
          .replace(/\r?\n$/, '')
          .split(/\r?\n/)
          .at(-1) ?? ''
      );
    case 'lowercase':
      return value.toLowerCase();
    case 'uppercase':
      return value.toUpperCase();
  }
}
