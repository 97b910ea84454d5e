import { describe, expect, it } from 'vitest';
import { prepareForUpdate } from '../../../../practice/apiserver/objects/update-defaults.ts';
import { ResourceRegistry } from '../../../../practice/apiserver/resources/resource-registry.ts';
import type { KubeObject, ResourceType } from '../../../../practice/apiserver/resources/resource-type.ts';

const services = new ResourceRegistry().find('', 'v1', 'services') as ResourceType;

const service = (spec: Record<string, unknown>): KubeObject => ({
  apiVersion: 'v1',
  kind: 'Service',
  metadata: { name: 'web', namespace: 'default' },
  spec,
});

describe('prepareForUpdate', () => {
  const current = service({
    type: 'NodePort',
    clusterIP: '10.96.4.5',
    clusterIPs: ['10.96.4.5'],
    ports: [{ port: 80, protocol: 'TCP', nodePort: 30080 }],
  });

  it("keeps a Service's cluster IPs and node ports when the update leaves them out, and defaults the rest", () => {
    const next = service({ type: 'NodePort', ports: [{ port: 80 }] });
    expect(prepareForUpdate(services, current, next)).toEqual([]);
    expect(next.spec).toMatchObject({
      clusterIP: '10.96.4.5',
      clusterIPs: ['10.96.4.5'],
      sessionAffinity: 'None',
      ports: [{ port: 80, protocol: 'TCP', nodePort: 30080, targetPort: 80 }],
    });
  });

  it('refuses to move an allocated cluster IP', () => {
    const next = service({ type: 'NodePort', clusterIP: '10.96.9.9', ports: [{ port: 80 }] });
    expect(prepareForUpdate(services, current, next)).toEqual([
      {
        field: 'spec.clusterIP',
        message: 'Invalid value: "10.96.9.9": field is immutable',
        reason: 'FieldValueInvalid',
      },
    ]);
  });

  it('lets a Service become an ExternalName without a cluster IP', () => {
    const next = service({ type: 'ExternalName', externalName: 'example.com' });
    expect(prepareForUpdate(services, current, next)).toEqual([]);
    expect(next.spec).not.toHaveProperty('clusterIP');
  });
});
