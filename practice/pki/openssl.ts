import { chmod, mkdir } from 'node:fs/promises';
import path from 'node:path';
import { execa } from 'execa';
import { PracticeError } from '../errors.ts';

const VALIDITY_DAYS = '3650';
const NEW_KEY = ['-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-noenc'];

export interface KeyPair {
  cert: string;
  key: string;
}

export interface CertificateRequest {
  out: KeyPair;
  issuer: KeyPair;
  commonName: string;
  organization?: string;
  usage: 'server' | 'client' | 'server-and-client';
  dnsNames?: string[];
  ipAddresses?: string[];
}

// A self-signed certificate authority with an ECDSA P-256 key (fast to make, accepted by etcd,
// Node and kubectl alike).
export async function createAuthority(out: KeyPair, commonName: string): Promise<void> {
  await runOpenssl(out, [
    'req',
    '-x509',
    ...NEW_KEY,
    '-keyout',
    out.key,
    '-out',
    out.cert,
    '-days',
    VALIDITY_DAYS,
    '-subj',
    `/CN=${commonName}`,
    '-addext',
    'basicConstraints=critical,CA:TRUE',
    '-addext',
    'keyUsage=critical,digitalSignature,keyEncipherment,keyCertSign',
  ]);
}

// A key and a certificate signed by the issuer, in one openssl call.
export async function issueCertificate(request: CertificateRequest): Promise<void> {
  const subject = `/CN=${request.commonName}${request.organization ? `/O=${request.organization}` : ''}`;
  const alternativeNames = [
    ...(request.dnsNames ?? []).map((name) => `DNS:${name}`),
    ...(request.ipAddresses ?? []).map((address) => `IP:${address}`),
  ];
  const extendedUsage = { server: 'serverAuth', client: 'clientAuth', 'server-and-client': 'serverAuth,clientAuth' };
  await runOpenssl(request.out, [
    'req',
    '-x509',
    ...NEW_KEY,
    '-keyout',
    request.out.key,
    '-out',
    request.out.cert,
    '-days',
    VALIDITY_DAYS,
    '-subj',
    subject,
    '-CA',
    request.issuer.cert,
    '-CAkey',
    request.issuer.key,
    '-addext',
    'basicConstraints=critical,CA:FALSE',
    '-addext',
    'keyUsage=critical,digitalSignature,keyEncipherment',
    '-addext',
    `extendedKeyUsage=${extendedUsage[request.usage]}`,
    ...(alternativeNames.length > 0 ? ['-addext', `subjectAltName=${alternativeNames.join(',')}`] : []),
  ]);
}

// The service-account signing key pair (sa.key, sa.pub) as kubeadm keeps it.
export async function createSigningKey(privateKey: string, publicKey: string): Promise<void> {
  await mkdir(path.dirname(privateKey), { recursive: true });
  await openssl(['genpkey', '-algorithm', 'EC', '-pkeyopt', 'ec_paramgen_curve:P-256', '-out', privateKey]);
  await chmod(privateKey, 0o600);
  await openssl(['pkey', '-in', privateKey, '-pubout', '-out', publicKey]);
}

async function runOpenssl(out: KeyPair, args: string[]): Promise<void> {
  await mkdir(path.dirname(out.key), { recursive: true });
  await mkdir(path.dirname(out.cert), { recursive: true });
  await openssl(args);
  await chmod(out.key, 0o600);
}

async function openssl(args: string[]): Promise<void> {
  const result = await execa('openssl', args, { reject: false, stdin: 'ignore' });
  if (result.failed) {
    throw new PracticeError('COMMAND_FAILED', `openssl ${args[0]} failed: ${result.stderr || result.message}`, {
      cause: result,
    });
  }
}
