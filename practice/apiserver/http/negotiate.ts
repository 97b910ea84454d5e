export type ResponseShape = 'object' | 'table' | 'partial-metadata';

// What the client asked the response to be: kubectl get asks for a meta.k8s.io Table, some clients
// only for metadata; everything else gets the objects themselves, as JSON.
export function responseShape(accept: string | undefined): ResponseShape {
  if (!accept) return 'object';
  for (const part of accept.split(',')) {
    const params = new Map(
      part
        .split(';')
        .slice(1)
        .map((param) => param.trim().split('=') as [string, string]),
    );
    const as = params.get('as');
    if (!as) continue;
    if (params.get('g') !== 'meta.k8s.io') continue;
    if (as === 'Table') return 'table';
    if (as === 'PartialObjectMetadata' || as === 'PartialObjectMetadataList') return 'partial-metadata';
  }
  return 'object';
}

export function mediaTypeOf(contentType: string | undefined): string {
  return (contentType ?? '').split(';')[0]?.trim().toLowerCase() ?? '';
}
