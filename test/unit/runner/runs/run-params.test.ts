import { describe, expect, it } from 'vitest';
import { stepBlock } from '../../../helpers/fixtures.ts';
import { serviceFor } from '../../../helpers/run-service.ts';

const RUNBOOK = `<Param name="dir" label="Backup folder" pattern="^/.+" />
<Param name="note" label="Note" required={false} />

<Manual id="ticket" title="Ticket" value="ticket" pattern="CHG-[0-9]+">
Enter the ticket.
</Manual>

${stepBlock('echo "{{dir}}"', 'id="work" title="Work" risk="read"')}`;

const HOSTILE: [string, string][] = [
  ['a newline', '/backup\nrm -rf ~'],
  ['a carriage return', '/backup\r'],
  ['a tab', '/back\tup'],
  ['an escape character', '/backup\u001b[2J'],
  ['a NUL byte', '/backup\0'],
  ['a DEL character', '/backup\u007f'],
  ['a control character', '/backup\u0085'],
  ['a line separator', '/backup\u2028echo'],
  ['a paragraph separator', '/backup\u2029'],
];

describe('a run param', () => {
  it.each(HOSTILE)('is refused when it contains %s, naming the param', async (name, value) => {
    const { start } = await serviceFor(RUNBOOK);
    const refused = start({ dir: value });
    await expect(refused).rejects.toMatchObject({ code: 'INVALID_VALUE' });
    await expect(refused).rejects.toThrow(`Backup folder (dir) contains ${name}`);
  });

  it('is refused with a control character in an optional param too', async () => {
    const { start } = await serviceFor(RUNBOOK);
    await expect(start({ dir: '/ok', note: 'two\nlines' })).rejects.toThrow(/Note \(note\) contains a newline/);
  });

  it('is matched against its pattern as a whole', async () => {
    const { start } = await serviceFor(`<Param name="name" label="Name" pattern="[a-z]+" />\n\n${stepBlock('true')}`);
    await expect(start({ name: 'etcd; reboot' })).rejects.toThrow(/Name \(name\) must match \/\[a-z\]\+\/ as a whole/);
    await expect(start({ name: 'etcd' })).resolves.toEqual(expect.any(String));
  });

  it('accepts an ordinary value', async () => {
    const { start, service } = await serviceFor(RUNBOOK);
    const runId = await start({ dir: '/var/backups/etcd', note: 'weekly — ü ok' });
    expect(service.get(runId).value('dir')).toBe('/var/backups/etcd');
  });
});

describe("a manual step's value", () => {
  it('is refused with a newline, and matched against its pattern as a whole', async () => {
    const { start, service } = await serviceFor(RUNBOOK);
    const runId = await start({ dir: '/b' });
    await expect(service.acknowledge(runId, 'ticket', 'CHG-1\nrm')).rejects.toThrow(
      /\{\{ticket\}\} contains a newline/,
    );
    await expect(service.acknowledge(runId, 'ticket', 'see CHG-1')).rejects.toThrow(/as a whole/);
    await service.acknowledge(runId, 'ticket', 'CHG-12');
    expect(service.get(runId).value('ticket')).toBe('CHG-12');
  });
});
