import type { IncomingMessage } from 'node:http';
import type { TLSSocket } from 'node:tls';
import type { UserInfo } from '../objects/request-scope.ts';

export const ANONYMOUS: UserInfo = { username: 'system:anonymous', groups: ['system:unauthenticated'] };

// Who sent a request: the verified client certificate's CN is the user and each O a group, as
// kube-apiserver's x509 authenticator reads it (kubeadm's admin.conf is O=system:masters).
export function authenticate(request: IncomingMessage): UserInfo {
  const socket = request.socket as TLSSocket;
  if (!socket.authorized) return ANONYMOUS;
  const certificate = socket.getPeerCertificate();
  const subject = certificate?.subject as Record<string, string | string[]> | undefined;
  const username = subject?.CN;
  if (typeof username !== 'string' || username === '') return ANONYMOUS;
  const organizations = subject?.O === undefined ? [] : Array.isArray(subject.O) ? subject.O : [subject.O];
  return { username, groups: [...organizations, 'system:authenticated'] };
}
