import { badRequest, invalid, type StatusCause } from '../errors.ts';
import { apiVersionOf, type KubeObject, type ResourceType } from '../resources/resource-type.ts';
import { validateLabels, validateName } from './names.ts';
import { validateKind } from './validate-kind.ts';
import { validateObjectSchema } from './validate-schema.ts';

// Names, labels, the built-in kinds' rules and a CRD's schema: every cause at once, as a 422.
export function validateObject(type: ResourceType, object: KubeObject, earlier: StatusCause[] = []): void {
  const causes = [
    ...earlier,
    ...validateName(type, object.metadata.name as string),
    ...validateLabels(object.metadata.labels, 'metadata.labels'),
    ...validateKind(
      type.group === '' || type.group.includes('.k8s.io') || ['apps', 'batch'].includes(type.group) ? type.plural : '',
      object,
    ),
    ...(type.schema ? validateObjectSchema(type.schema, object) : []),
  ];
  if (causes.length > 0) throw invalid(type.kind, object.metadata.name ?? '', causes, type.group);
}

// A body's apiVersion and kind must be the resource's own; missing ones are filled in.
export function checkTypeMeta(type: ResourceType, object: KubeObject): void {
  if (!object || typeof object !== 'object' || Array.isArray(object))
    throw badRequest('the body of the request was in an unknown format');
  if (object.kind !== undefined && object.kind !== type.kind) {
    const version = String(object.apiVersion ?? '')
      .split('/')
      .at(-1);
    throw badRequest(
      `${object.kind} in version "${version}" cannot be handled as a ${type.kind}: the kind in the body is not the kind of the resource`,
    );
  }
  if (object.apiVersion !== undefined && object.apiVersion !== apiVersionOf(type)) {
    throw badRequest(
      `the API version in the data (${object.apiVersion}) does not match the expected API version (${apiVersionOf(type)})`,
    );
  }
  object.apiVersion = apiVersionOf(type);
  object.kind = type.kind;
}
