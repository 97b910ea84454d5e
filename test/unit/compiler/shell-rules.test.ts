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

// The 14 forms an adversarial run got through, and more of the same class: whatever wraps it, a
// shell (or eval, trap, source, script -c, su -c…) that reads code from a value.
describe('a value in text a shell parses again, whatever wraps the shell', () => {
  it.each([
    ['setsid sh -c "echo {{x}}"', 'setsid'],
    ['stdbuf -oL sh -c "echo {{x}}"', 'stdbuf'],
    ['nice -n 10 sh -c "echo {{x}}"', 'nice with a separate value'],
    ['timeout -s KILL 30 sh -c "echo {{x}}"', 'timeout -s'],
    ['env -u HOME sh -c "echo {{x}}"', 'env -u'],
    ['command sh -c "echo {{x}}"', 'command'],
    ['runuser -u app -- sh -c "echo {{x}}"', 'runuser -u'],
    ['flock /tmp/lock sh -c "echo {{x}}"', 'flock'],
    ['sudo -u postgres sh -c "echo {{x}}"', 'sudo -u'],
    ['printf "%s\\n" a b | xargs -n1 sh -c "echo {{x}}"', 'xargs'],
    ['find /tmp -name "*.db" -exec sh -c "echo {{x}}" \\;', 'find -exec'],
    ['script -qec "echo {{x}}" /dev/null', 'script -qec'],
    ['trap "echo {{x}}" EXIT', 'trap'],
    ['source <(echo "export A={{x}}")', 'source of a process substitution'],
    ['. <(printf "%s" {{x}})', 'dot of a process substitution'],
    ['ionice -c3 taskset -c 0 chrt -i 0 unshare -m nsenter -t 1 -m bash -lc "ls {{x}}"', 'a chain of wrappers'],
    ['/usr/bin/env bash -xc "ls {{x}}"', 'env and a path, -xc'],
    ['busybox sh -c "ls {{x}}"', 'busybox sh'],
    ['/bin/dash -ec "ls {{x}}"', 'a path to dash'],
    ['zsh -c "ls {{x}}"', 'zsh'],
    ['ksh -c "ls {{x}}"', 'ksh'],
    ['ash -c "ls {{x}}"', 'ash'],
    ['bash -o pipefail -c "ls {{x}}"', 'an option with a value before -c'],
    ['bash -eo pipefail -c "ls {{x}}"', 'a combined option with a value'],
    ['bash -c -e "ls {{x}}"', '-c before other options'],
    ['bash --norc -c "ls {{x}}"', 'a long option'],
    ['doas sh -c "ls {{x}}"', 'doas'],
    ['docker exec ctr sh -c "ls {{x}}"', 'docker exec'],
    ['kubectl -n etcd exec etcd-0 -- sh -c "etcdctl get {{x}}"', 'kubectl exec with a global flag'],
    ['echo "rm {{x}}" | sh', 'generated text piped into sh'],
    ['printf "ls %s" {{x}} | bash -s', 'bash -s reading a pipe'],
    ['bash <<< "ls {{x}}"', 'a here-string to bash'],
    ['kubectl exec -i etcd-0 -- sh <<EOF\netcdctl get {{x}}\nEOF', 'a heredoc through kubectl exec to sh'],
    ['bash <(echo "ls {{x}}")', 'bash of a process substitution'],
    ['echo "ls {{x}}" | source /dev/stdin', 'source of /dev/stdin'],
    ['source /dev/stdin <<< "ls {{x}}"', 'source of a here-string'],
    ['command eval "ls {{x}}"', 'command eval'],
    ['builtin eval "ls {{x}}"', 'builtin eval'],
    ['time eval "ls {{x}}"', 'time eval'],
    ["trap -- 'rm -f {{x}}' EXIT INT", 'trap --'],
    ['script -c "ls {{x}}" /dev/null', 'script -c'],
    ['script --command "ls {{x}}" /dev/null', 'script --command'],
    ['script --command="ls {{x}}" /dev/null', 'script --command='],
    ['su -c "ls {{x}}" postgres', 'su -c before the user'],
    ['su -lc "ls {{x}}" postgres', 'su -lc'],
    ['su postgres --command="ls {{x}}"', 'su --command='],
    ['sudo su - postgres -c "ls {{x}}"', 'sudo su'],
    ['runuser -l app -c "ls {{x}}"', 'runuser -c'],
    ['flock /tmp/lock -c "ls {{x}}"', 'flock -c'],
    ['timeout 10 ssh admin@node "ls {{x}}"', 'ssh behind timeout'],
    ['sshpass -e ssh -o BatchMode=yes admin@node ls {{x}}', 'ssh behind sshpass'],
    ['ssh -o ProxyCommand="nc {{x}} 22" admin@node uptime', 'an ssh ProxyCommand'],
    ['ssh admin@node <<< "ls {{x}}"', 'a here-string to ssh'],
    ['watch -n 5 kubectl get pod {{x}}', 'watch runs its command through sh -c'],
    ['parallel echo {{x}} ::: a b', 'parallel runs its command through a shell'],
    ['echo "ls {{x}}" | parallel', 'parallel reading commands'],
    ['env -S "sh -c \'ls {{x}}\'"', 'env -S splits a string again'],
    ['nohup sh -c "ls {{x}}" &', 'nohup in the background'],
    ['cmd="ls {{x}}"; sh -c "$cmd"', 'through a variable'],
    ['printf -v cmd "ls %s" {{x}}; eval "$cmd"', 'printf -v'],
    ['read -r cmd <<< {{x}}; sh -c "$cmd"', 'read from a here-string'],
    ['for c in {{x}}; do bash -c "$c"; done', 'a for loop'],
    ['a={{x}}; b="ls $a"; trap "$b" EXIT', 'through two variables'],
    ['"$SHELL" -c "ls {{x}}"', "the user's shell"],
    ['$(command -v bash) -c "ls {{x}}"', 'a shell found at run time'],
    ['echo "rm -rf {{x}}" | at now + 1 minute', 'at reads commands from stdin'],
    ['crontab - <<EOF\n* * * * * ls {{x}}\nEOF', 'a crontab line'],
    ['export CMD="ls {{x}}"\neval "$CMD"', 'through an exported variable'],
  ])('flags `%s` (%s)', async (script) => {
    expect(await codesFor(script)).toContain('double-evaluation');
  });

  it.each([
    'sh -c \'echo "$1"\' _ {{x}}',
    'sudo -u postgres psql -c {{x}}',
    'sudo -u postgres sh -c \'psql -c "$1"\' _ {{x}}',
    'find /tmp -name {{x}} -exec sh -c \'rm -- "$1"\' _ {} \\;',
    'xargs -I{} sh -c \'echo "$1" {}\' _ {{x}}',
    'kubectl -n {{x}} exec etcd-0 -- sh -c \'etcdctl get "$1"\' _ {{x}}',
    'bash ./restore.sh {{x}}',
    'bash -s -- {{x}} <<\'EOF\'\necho "$1"\nEOF',
    "printf '%s' {{x}} | sh -c 'read -r v; echo \"$v\"'",
    'echo {{x}} | grep -c x',
    'source ./env.sh {{x}}',
    'trap \'rm -f "$tmp"\' EXIT\ntmp={{x}}',
    'script -q /dev/null {{x}}',
    'su postgres -s /bin/sh -c \'ls "$1"\' -- _ {{x}}',
    'flock -w 5 /tmp/lock etcdctl get {{x}}',
    'ssh admin@node uptime < {{x}}',
    'watch -x kubectl get pod {{x}}',
    'parallel -q echo {{x}} ::: a b',
    'parallel echo ::: {{x}}',
    'env -u HOME etcdctl get {{x}}',
    'dir={{x}}; sh -c \'ls "$1"\' _ "$dir"',
    'dir={{x}}; V="$dir" sh -c \'ls "$V"\'',
    'for c in {{x}}; do echo "$c"; done',
    'cat <<EOF | kubectl apply -f -\nname: {{x}}\nEOF',
    'systemctl restart ssh',
    'echo {{x}} | grep ssh',
    'echo {{x}} | grep -c bash',
    'echo sh -c {{x}}',
    'etcdctl get {{x}} --prefix --keys-only',
    'at -f ./job.sh now <<< {{x}}',
    'crontab -l',
  ])('accepts `%s`', async (script) => {
    expect(await codesFor(script)).not.toContain('double-evaluation');
  });

  it('points at the reference itself, with a hint to pass the value as an argument', async () => {
    const result = await compileInline(PARAM + stepBlock('echo start\nsetsid bash -c "ls -l {{x}}"'));
    expect(result.ok).toBe(false);
    if (result.ok) return;
    const [diagnostic] = result.diagnostics;
    expect(diagnostic).toMatchObject({ code: 'double-evaluation', file: 'inline.mdx', line: 13, column: 23 });
    expect(diagnostic?.message).toMatch(/\{\{x\}\} is passed through `bash -c`/);
    expect(diagnostic?.hint).toMatch(/bash -c '… "\$1" …' _ \{\{x\}\}/);
  });
});

describe('kubectl global flags before the subcommand', () => {
  it.each([
    'kubectl -n etcd exec -it etcd-0 -- sh',
    'kubectl --context prod get pods -w',
    'kubectl --kubeconfig /etc/k.conf -n x logs -f etcd-0',
    'kubectl --namespace etcd --request-timeout 5s get pods --watch',
    'kubectl -s https://api:6443 --token t --user u attach etcd-0',
    'kubectl --as admin --as-group g --cluster c port-forward svc/etcd 2379',
    'kubectl -v 6 edit deploy/etcd',
    'kubectl --v=6 --vmodule x=2 exec -ti etcd-0 -- sh',
    'kubectl --insecure-skip-tls-verify -n etcd exec -it etcd-0 -- sh',
    'oc -n openshift-etcd rsh etcd-0',
    'oc --context c -n x debug node/master-0',
    'd8 k -n d8-system logs -f deploy/x',
  ])('flags `%s`', async (script) => {
    expect(await codesFor(script)).toContain('interactive-command');
  });

  it.each([
    'kubectl -n etcd exec etcd-0 -- etcdctl member list',
    'kubectl --context prod get pods -o wide',
    'kubectl --kubeconfig /etc/k.conf -n x logs --tail=100 etcd-0',
    'kubectl -n watch get pods',
    'kubectl --insecure-skip-tls-verify get pods',
    'oc -n openshift-etcd debug node/master-0 -- chroot /host ls',
  ])('accepts `%s`', async (script) => {
    expect(await codesFor(script)).toEqual([]);
  });
});
