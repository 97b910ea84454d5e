import https from 'node:https';
import { ApiStatusError } from '../errors.ts';
import { findKubeletTarget } from '../kubelet/kubelet-connection.ts';
import type { ApiContext, ResourceRequest } from './api-context.ts';

const FORWARDED = ['tailLines', 'limitBytes', 'previous', 'follow'];

// pods/log (kubectl logs): the container's log from the kubelet of the pod's node, streamed through.
export async function streamPodLog(context: ApiContext, call: ResourceRequest): Promise<void> {
  const target = await findKubeletTarget(
    context.objects,
    context.kubeletTls,
    call.scope.namespace as string,
    call.scope.name as string,
    call.query.get('container'),
  );
  const query = new URLSearchParams();
  for (const name of FORWARDED) {
    const value = call.query.get(name);
    if (value !== null) query.set(name, value);
  }
  const url = `${target.url}/containerLogs/${target.namespace}/${target.pod}/${target.container}?${query}`;
  await new Promise<void>((resolve, reject) => {
    const upstream = https.get(url, { ...target.tls, agent: false }, (answer) => {
      if (answer.statusCode !== 200) {
        const chunks: Buffer[] = [];
        answer.on('data', (chunk: Buffer) => chunks.push(chunk));
        answer.on('end', () =>
          reject(
            new ApiStatusError(
              'BadRequest',
              Buffer.concat(chunks).toString('utf8').trim() || 'the kubelet refused the log request',
            ),
          ),
        );
        return;
      }
      call.response.writeHead(200, { 'content-type': 'text/plain', 'transfer-encoding': 'chunked' });
      answer.pipe(call.response);
      answer.on('end', resolve);
      answer.on('error', reject);
    });
    upstream.on('error', (error) =>
      reject(new ApiStatusError('InternalError', `the kubelet could not be reached: ${error.message}`)),
    );
    call.response.once('close', () => {
      upstream.destroy();
      resolve();
    });
  });
}
