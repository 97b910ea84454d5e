import { describe, expect, it } from 'vitest';
import { compileInline, stepBlock } from '../../helpers/fixtures.ts';

const PARAM = '<Param name="x" label="X" default="v" />\n\n';

async function codesFor(script: string): Promise<string[]> {
  const result = await compileInline(PARAM + stepBlock(script));
  return result.ok ? [] : result.diagnostics.map((diagnostic) => diagnostic.code);
}

describe('commands that cannot run unattended', () => {
  it.each([
    ['kubectl get pods --watch', 'watch flag'],
    ['kubectl get pods -o wide -w', 'short watch flag'],
    ['oc get pods --watch-only', 'oc watch-only'],
    ['d8 k get pods -w', 'Deckhouse kubectl wrapper'],
    ['kubectl rollout status deploy/x -w', 'rollout watch'],
    ['kubectl exec -ti pod -- sh', 'exec with a tty'],
    ['kubectl exec -i pod -- sh', 'exec waiting for stdin nobody feeds'],
    ['echo x | kubectl exec -it pod -- sh', 'a tty even when stdin is fed'],
    ['kubectl exec --stdin --tty pod -- sh', 'long tty flags'],
    ['kubectl run debug --rm -i --tty --image=busybox', 'run with a tty'],
    ['kubectl logs -f etcd-0', 'following logs'],
    ['kubectl edit deploy/etcd', 'editor'],
    ['kubectl port-forward svc/etcd 2379', 'port-forward'],
    ['oc debug node/master-0', 'oc debug without a command'],
    ['crictl exec -it abc sh', 'crictl tty'],
    ['tail -f /var/log/etcd.log', 'tail -f'],
    ['journalctl -u kubelet -f', 'journalctl follow'],
    ['watch kubectl get pods', 'watch'],
    ['vi /etc/kubernetes/manifests/etcd.yaml', 'editor'],
    ['less /var/log/syslog', 'pager'],
    ['etcdctl watch /registry --prefix', 'etcdctl watch'],
    ['while true; do read line; done', 'read in a loop'],
    ['echo "$(read -r v)"', 'read inside a substitution'],
    ['ssh admin@node', 'interactive ssh'],
    ['ssh -t admin@node uptime', 'ssh with a tty'],
    ['sudo -i', 'interactive sudo'],
    ['bash', 'a shell waiting for input'],
  ])('flags `%s` (%s)', async (script) => {
    expect(await codesFor(script)).toContain('interactive-command');
  });

  it.each([
    'kubectl get pods -o wide',
    'kubectl wait --for=condition=Ready pod -l app=etcd --timeout=120s',
    'kubectl logs --tail=200 etcd-0',
    'kubectl exec etcd-0 -n etcd -- etcdctl member list -w table',
    'oc debug node/master-0 -- chroot /host /usr/local/bin/cluster-backup.sh /home/core/backup',
    'tail -n 50 /var/log/etcd.log',
    'ssh -i key admin@node uptime',
    'ssh -p 2222 admin@node -- systemctl status kubelet',
    'sudo crictl ps',
    'bash -c \'echo "$1"\' bash {{x}}',
    'sh ./restore.sh {{x}}',
    'etcdctl --write-out=table endpoint status',
    'echo "read the docs"',
    'grep -w etcd /etc/hosts',
    "printf '%s' {{x}} | kubectl exec -i etcd-0 -- sh -c 'read -r p; echo \"$p\"'",
    'kubectl exec -i etcd-0 -- etcdctl put k < value.txt',
    'read -r -a nodes <<< {{x}}',
    'while read -r line; do echo "$line"; done < list.txt',
    'ls | while read -r name; do echo "$name"; done',
    "sudo -n sed -i 's/a/b/' /etc/file",
    'sudo -i kubectl get pods',
  ])('accepts `%s`', async (script) => {
    expect(await codesFor(script)).toEqual([]);
  });
});

describe('values a shell would evaluate twice', () => {
  it.each([
    ['sh -c "echo {{x}}"', 'sh -c'],
    ["bash -ec 'rm -rf {{x}}'", 'combined -ec flags'],
    ['sudo sh -c "echo {{x}} > /etc/file"', 'behind sudo'],
    ['kubectl exec pod -- sh -c "etcdctl get {{x}}"', 'inside kubectl exec'],
    ['oc debug node/n -- chroot /host bash -c "ls {{x}}"', 'through oc debug and chroot'],
    ['timeout 30 bash -c "echo {{x}}"', 'behind timeout'],
    ['eval "echo {{x}}"', 'eval'],
    ['ssh admin@node "ls {{x}}"', 'ssh remote command'],
    ['ssh admin@node ls {{x}}', 'ssh remote words'],
    ['echo $(sh -c "cat {{x}}")', 'inside a command substitution'],
    ['ssh admin@node <<EOF\nrm {{x}}\nEOF', 'heredoc to ssh'],
    ['bash <<EOF\nrm {{x}}\nEOF', 'heredoc to bash'],
    ['su - postgres -c "psql {{x}}"', 'su -c'],
  ])('flags `%s` (%s)', async (script) => {
    expect(await codesFor(script)).toContain('double-evaluation');
  });

  it.each([
    'echo {{x}}',
    'sh -c \'printf "%s\\n" "$1"\' sh {{x}}',
    'kubectl exec pod -- etcdctl get {{x}}',
    'cat <<EOF > values.yaml\nname: {{x}}\nEOF',
    'ssh admin@node uptime',
  ])('accepts `%s`', async (script) => {
    expect(await codesFor(script)).toEqual([]);
  });
});
