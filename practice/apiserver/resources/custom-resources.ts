import { jsonpath } from 'json-p3';
import type { JsonSchema } from '../openapi/json-schema.ts';
import { ageColumn, column, nameColumn } from '../table/columns.ts';
import { ageOf } from '../table/human-duration.ts';
import { ALL_VERBS, type KubeObject, type PrinterColumn, type ResourceType } from './resource-type.ts';

interface CrdVersion {
  name: string;
  served: boolean;
  storage: boolean;
  schema?: { openAPIV3Schema?: JsonSchema };
  subresources?: { status?: object; scale?: object };
  additionalPrinterColumns?: {
    name: string;
    type: string;
    jsonPath: string;
    description?: string;
    priority?: number;
    format?: string;
  }[];
}

interface CrdSpec {
  group: string;
  scope: 'Namespaced' | 'Cluster';
  names: { kind: string; plural: string; singular?: string; shortNames?: string[]; categories?: string[] };
  versions: CrdVersion[];
}

// The kinds one CustomResourceDefinition defines: one per served version, stored under
// /registry/<group>/<plural>/ as kube-apiserver stores custom resources.
export function customResourceTypes(crd: KubeObject): ResourceType[] {
  if (crd.metadata.deletionTimestamp) return [];
  const spec = crd.spec as CrdSpec;
  return spec.versions
    .filter((version) => version.served)
    .map((version) => ({
      group: spec.group,
      version: version.name,
      kind: spec.names.kind,
      plural: spec.names.plural,
      singular: spec.names.singular ?? spec.names.kind.toLowerCase(),
      namespaced: spec.scope === 'Namespaced',
      shortNames: spec.names.shortNames ?? [],
      categories: spec.names.categories ?? [],
      verbs: ALL_VERBS,
      storagePrefix: `${spec.group}/${spec.names.plural}`,
      ...(version.schema?.openAPIV3Schema ? { schema: version.schema.openAPIV3Schema } : {}),
      subresources: { status: Boolean(version.subresources?.status), scale: Boolean(version.subresources?.scale) },
      hasGeneration: true,
      columns: printerColumns(version),
      fieldLabels: {},
    }));
}

function printerColumns(version: CrdVersion): PrinterColumn[] {
  const extra = (version.additionalPrinterColumns ?? []).map((definition) => {
    const path = `$${definition.jsonPath.startsWith('.') ? '' : '.'}${definition.jsonPath}`;
    return column(
      definition.name,
      (object: KubeObject) => {
        const value = jsonpath.query(path, object as unknown as Parameters<typeof jsonpath.query>[1]).values()[0];
        if (definition.type === 'date') return typeof value === 'string' ? ageOf(value) : '<unknown>';
        return value ?? null;
      },
      {
        type: definition.type === 'date' ? 'string' : (definition.type as PrinterColumn['type']),
        priority: definition.priority ?? 0,
        description: definition.description ?? definition.name,
      },
    );
  });
  return extra.some((item) => item.name === 'Age') ? [nameColumn, ...extra] : [nameColumn, ...extra, ageColumn];
}
