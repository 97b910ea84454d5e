import type { PermissionRequirement, RunbookSpec } from '../../protocol/index.ts';
import { escapeRegExp } from '../../protocol/regexp.ts';

export interface PlannedItem {
  id: string;
  label: string;
  steps: string[];
}

// Which steps each requirement concerns: a tool, the steps whose script names it (all command
// steps when none does); the cluster, every command step; a permission, the steps it lists, or all.
export function planPreflight(runbook: RunbookSpec) {
  const commands = runbook.steps.filter((step) => step.kind === 'command');
  const all = commands.map((step) => step.id);
  const tools = runbook.meta.tools.map((tool) => {
    const version = 'version' in tool ? tool.version : undefined;
    const named = new RegExp(`(^|[^\\w.-])${escapeRegExp(tool.name)}($|[^\\w.-])`, 'm');
    const using = commands.filter((step) => named.test(step.script)).map((step) => step.id);
    return {
      tool: { name: tool.name, ...(version ? { version } : {}) },
      item: {
        id: `tool:${tool.name}`,
        label: version ? `${tool.name} ${version}` : tool.name,
        steps: using.length > 0 ? using : all,
      },
    };
  });
  const permissions = runbook.meta.permissions.map((permission) => ({
    permission,
    item: { id: permissionId(permission), label: describePermission(permission), steps: permission.steps ?? all },
  }));
  return { tools, permissions, cluster: { id: 'cluster', label: 'the cluster answers /readyz', steps: all } };
}

function permissionId(permission: PermissionRequirement): string {
  const group = permission.group ? `${permission.group}/` : '';
  const sub = permission.subresource ? `/${permission.subresource}` : '';
  return `permission:${permission.verb}:${group}${permission.resource}${sub}@${permission.namespace ?? ''}`;
}

function describePermission(permission: PermissionRequirement): string {
  const group = permission.group ? `.${permission.group}` : '';
  const sub = permission.subresource ? `/${permission.subresource}` : '';
  const where = permission.namespace ? ` in ${permission.namespace}` : " in the run's namespace";
  return `may ${permission.verb} ${permission.resource}${group}${sub}${where}`;
}
