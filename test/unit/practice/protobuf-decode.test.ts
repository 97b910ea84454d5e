import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { gunzipSync } from 'node:zlib';
import protobuf from 'protobufjs';
import { describe, expect, it } from 'vitest';
import { ApiStatusError } from '../../../practice/apiserver/errors.ts';
import { decodeKubernetesProtobuf } from '../../../practice/apiserver/protobuf/decode-object.ts';
import { formatGoDuration } from '../../../practice/apiserver/protobuf/go-json-values.ts';

const FIXTURES = path.resolve('test/fixtures/protobuf');
const fixtureNames = (suffix: string) =>
  readdirSync(FIXTURES)
    .filter((name) => name.endsWith(suffix))
    .map((name) => name.slice(0, -suffix.length));
const body = (name: string) => readFileSync(path.join(FIXTURES, `${name}.bin`));
const json = (file: string, reviver?: (key: string, value: unknown) => unknown) =>
  JSON.parse(readFileSync(path.join(FIXTURES, file), 'utf8'), reviver);
// kubectl 1.32 writes a zero creationTimestamp as null; Go omits it since 1.33, and so does the decoder.
const withoutNullCreationTimestamp = (key: string, value: unknown) =>
  key === 'creationTimestamp' && value === null ? undefined : value;

// A "k8s\0" body around message bytes, as client-go writes it.
function envelope(apiVersion: string, kind: string, raw: Uint8Array): Buffer {
  const typeMeta = protobuf.Writer.create().uint32(0x0a).string(apiVersion).uint32(0x12).string(kind).finish();
  const unknown = protobuf.Writer.create().uint32(0x0a).bytes(typeMeta).uint32(0x12).bytes(raw).finish();
  return Buffer.concat([Buffer.from('k8s\0'), unknown]);
}

function decodeFailure(raw: Buffer): ApiStatusError {
  try {
    decodeKubernetesProtobuf(raw);
  } catch (error) {
    if (error instanceof ApiStatusError) return error;
    throw error;
  }
  throw new Error('decoded without an error');
}

describe('decoding the protobuf bodies of kubectl and helm', () => {
  it.each(fixtureNames('.bin').filter((name) => fixtureNames('.json').includes(name)))(
    '%s decodes into the JSON of the same command with --dry-run=client -o json',
    (name) => {
      expect(decodeKubernetesProtobuf(body(name))).toEqual(json(`${name}.json`, withoutNullCreationTimestamp));
    },
  );

  it.each(fixtureNames('.expected.json'))('%s decodes into the JSON the Go types write', (name) => {
    expect(decodeKubernetesProtobuf(body(name))).toEqual(json(`${name}.expected.json`));
  });

  it('keeps zero values of pointers, drops omitempty zeros and inlines embedded structs (a full pod spec)', () => {
    const job = decodeKubernetesProtobuf(body('kubectl132-create-job-from-cronjob')) as {
      spec: { backoffLimit: number; template: { spec: Record<string, unknown> } };
    };
    const pod = job.spec.template.spec as {
      terminationGracePeriodSeconds: number;
      automountServiceAccountToken: boolean;
      tolerations: Record<string, unknown>[];
      volumes: Record<string, unknown>[];
      containers: Record<string, unknown>[];
    };
    expect(job.spec.backoffLimit).toBe(0);
    expect(pod.terminationGracePeriodSeconds).toBe(0);
    expect(pod.automountServiceAccountToken).toBe(false);
    expect(pod.tolerations[0]).toEqual({
      key: 'k',
      operator: 'Equal',
      value: 'v',
      effect: 'NoExecute',
      tolerationSeconds: 0,
    });
    expect(pod.volumes[0]).toMatchObject({ name: 'cm', configMap: { name: 'proto-cm', defaultMode: 420 } });
    expect(pod.containers[0]?.env).toContainEqual({ name: 'EMPTY' });
    expect(pod.containers[0]?.readinessProbe).toEqual({ tcpSocket: { port: 'http' }, timeoutSeconds: 2 });
    expect(pod.containers[0]?.livenessProbe).toMatchObject({ httpGet: { port: 80 }, initialDelaySeconds: 5 });
  });

  it.each(['helm3-install-release-secret', 'helm4-install-release-secret'])(
    '%s: helm’s release Secret keeps its labels, type and gzipped release',
    (name) => {
      const secret = decodeKubernetesProtobuf(body(name)) as {
        metadata: { name: string; labels: Record<string, string> };
        data: { release: string };
      };
      expect(Object.keys(secret).sort()).toEqual(['apiVersion', 'data', 'kind', 'metadata', 'type']);
      expect(secret).toMatchObject({ apiVersion: 'v1', kind: 'Secret', type: 'helm.sh/release.v1' });
      expect(secret.metadata.labels).toMatchObject({ owner: 'helm', version: '1' });
      const releaseText = Buffer.from(secret.data.release, 'base64').toString('utf8');
      const release = JSON.parse(gunzipSync(Buffer.from(releaseText, 'base64')).toString('utf8'));
      expect(`sh.helm.release.v1.${release.name}.v${release.version}`).toBe(secret.metadata.name);
    },
  );
});

describe('the special encodings', () => {
  it('writes MicroTime, int64 pointers and an absent pointer as Go does (a Lease)', () => {
    const microTime = protobuf.Writer.create()
      .uint32(0x08)
      .int64(1_700_000_000)
      .uint32(0x10)
      .int32(123_456_000)
      .finish();
    const spec = protobuf.Writer.create()
      .uint32(0x0a)
      .string('')
      .uint32(0x10)
      .int32(0)
      .uint32(0x22)
      .bytes(microTime)
      .finish();
    const lease = protobuf.Writer.create().uint32(0x12).bytes(spec).finish();
    expect(decodeKubernetesProtobuf(envelope('coordination.k8s.io/v1', 'Lease', lease))).toEqual({
      apiVersion: 'coordination.k8s.io/v1',
      kind: 'Lease',
      spec: { holderIdentity: '', leaseDurationSeconds: 0, renewTime: '2023-11-14T22:13:20.123456Z' },
    });
  });

  it('writes FieldsV1 as its JSON, Time as RFC 3339 and a RawExtension as its object', () => {
    const time = protobuf.Writer.create().uint32(0x08).int64(86_400).finish();
    const fields = protobuf.Writer.create().uint32(0x0a).bytes(Buffer.from('{"f:data":{}}')).finish();
    const entry = protobuf.Writer.create()
      .uint32(0x0a)
      .string('kubectl')
      .uint32(0x22)
      .bytes(time)
      .uint32(0x3a)
      .bytes(fields)
      .finish();
    const metadata = protobuf.Writer.create()
      .uint32(0x0a)
      .string('rev')
      .uint32((17 << 3) | 2)
      .bytes(entry)
      .finish();
    const data = protobuf.Writer.create().uint32(0x0a).bytes(Buffer.from('{"spec":{"a":1}}')).finish();
    const revision = protobuf.Writer.create()
      .uint32(0x0a)
      .bytes(metadata)
      .uint32(0x12)
      .bytes(data)
      .uint32(0x18)
      .int64(9_007_199_254_740_991)
      .finish();
    expect(decodeKubernetesProtobuf(envelope('apps/v1', 'ControllerRevision', revision))).toEqual({
      apiVersion: 'apps/v1',
      kind: 'ControllerRevision',
      metadata: {
        name: 'rev',
        managedFields: [{ manager: 'kubectl', time: '1970-01-02T00:00:00Z', fieldsV1: { 'f:data': {} } }],
      },
      data: { spec: { a: 1 } },
      revision: 9_007_199_254_740_991,
    });
  });

  it('formats durations as Go’s time.Duration.String()', () => {
    const second = 1_000_000_000n;
    expect(formatGoDuration(0n)).toBe('0s');
    expect(formatGoDuration(1500n)).toBe('1.5µs');
    expect(formatGoDuration(300_000_000n)).toBe('300ms');
    expect(formatGoDuration(1_500_000_000n)).toBe('1.5s');
    expect(formatGoDuration(90n * second)).toBe('1m30s');
    expect(formatGoDuration(3600n * second)).toBe('1h0m0s');
    expect(formatGoDuration(-(3661n * second))).toBe('-1h1m1s');
  });
});

describe('bodies the decoder refuses', () => {
  it('answers 415 naming the kind when the schema does not declare it', () => {
    const error = decodeFailure(envelope('networking.k8s.io/v1', 'Ingress', new Uint8Array()));
    expect(error.code).toBe(415);
    expect(error.message).toContain('networking.k8s.io/v1/Ingress');
  });

  it('answers 415 naming the field when a known kind carries a field the schema lacks', () => {
    const namespace = protobuf.Writer.create()
      .uint32((99 << 3) | 2)
      .string('x')
      .finish();
    const error = decodeFailure(envelope('v1', 'Namespace', namespace));
    expect(error.code).toBe(415);
    expect(error.message).toContain('field 99 of Namespace');
  });

  it('answers 400 without the "k8s\\0" prefix', () => {
    expect(decodeFailure(Buffer.from('{"kind":"Namespace"}')).code).toBe(400);
  });

  it('answers 400 or 415, never anything else, for every truncation of real bodies', () => {
    for (const name of ['kubectl132-create-job-from-cronjob', 'kubectl132-create-secret-generic']) {
      const raw = body(name);
      for (let length = 0; length < raw.length; length++) {
        let outcome = 'decoded';
        try {
          decodeKubernetesProtobuf(raw.subarray(0, length));
        } catch (error) {
          outcome = error instanceof ApiStatusError ? String(error.code) : `threw ${String(error)}`;
        }
        expect(['decoded', '400', '415'], `${name} cut at ${length}`).toContain(outcome);
      }
    }
  });

  it('answers 400 or 415 for garbled bytes', () => {
    const raw = body('kubectl132-create-deployment');
    let seed = 7;
    const random = () => {
      seed = (seed * 1_103_515_245 + 12_345) % 2_147_483_648;
      return seed;
    };
    for (let round = 0; round < 300; round++) {
      const garbled = Buffer.from(raw);
      for (let flips = 0; flips < 1 + (round % 5); flips++) garbled[4 + (random() % (raw.length - 4))] = random() % 256;
      let outcome = 'decoded';
      try {
        decodeKubernetesProtobuf(garbled);
      } catch (error) {
        outcome = error instanceof ApiStatusError ? String(error.code) : `threw ${String(error)}`;
      }
      expect(['decoded', '400', '415'], `round ${round}`).toContain(outcome);
    }
  });
});
