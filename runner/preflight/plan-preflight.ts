import type { PermissionRequirement, RunbookSpec, StepTarget } from '../../protocol/index.ts';
import { escapeRegExp } from '../../protocol/regexp.ts';

export interface PlannedItem {
  id: string;
  label: string;
  steps: string[];
}

// Which steps each requirement concerns. A tool: the local steps whose script names it (every
// local step when none does); pod and node steps run it in the pod or on the node, not here. The
// cluster: every step that goes through the API server, so not a node step, which reaches its
// node directly (a restore runs those while the API server is down by design). A permission:
// the steps it lists, or every step that goes through the API server.
export function planPreflight(runbook: RunbookSpec) {
  const commands = runbook.steps.filter((step) => step.kind === 'command');
  const throughApi = commands.filter((step) => reachesApiServer(step.target)).map((step) => step.id);
  const local = commands.filter((step) => step.target.kind === 'local');
  const tools = runbook.meta.tools.map((tool) => {
    const version = 'version' in tool ? tool.version : undefined;
    const named = new RegExp(`(^|[^\\w.-])${escapeRegExp(tool.name)}($|[^\\w.-])`, 'm');
    const naming = commands.filter((step) => named.test(step.script));
    const using = (naming.length > 0 ? naming : local).filter((step) => step.target.kind === 'local');
    return {
      tool: { name: tool.name, ...(version ? { version } : {}) },
      item: {
        id: `tool:${tool.name}`,
        label: version ? `${tool.name} ${version}` : tool.name,
        steps: using.map((step) => step.id),
      },
    };
  });
  const permissions = runbook.meta.permissions.map((permission) => ({
    permission,
    item: {
      id: permissionId(permission),
      label: describePermission(permission),
      steps: permission.steps ?? throughApi,
    },
  }));
  return { tools, permissions, cluster: { id: 'cluster', label: 'the cluster answers /readyz', steps: throughApi } };
}

// A node step reaches its node over SSH (or the practice node shell); only a node selector needs
// the API server, to list the nodes it matches.
function reachesApiServer(target: StepTarget): boolean {
  return target.kind !== 'node' || target.nodeSelector !== undefined;
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
