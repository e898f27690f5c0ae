// The Connections tree's gateway row and Traffic nodes: what went through, per connection, newest first. Built from
// the TrafficLog (memory only, bounded, redacted by construction: method, path without query values, status, timing).
import * as vscode from 'vscode';
import { formatInstant } from '../core/time';
import type { RenewalNote, TrafficEntry } from '../engine/traffic';
import { Commands } from './constants';
import type { GatewayService } from './gateway';

export type TrafficNode =
  | { type: 'gateway' }
  | { type: 'traffic'; connId: string }
  | { type: 'trafficEntry'; connId: string; index: number; entry: TrafficEntry };

const DONE: Record<RenewalNote['how'], string> = { refresh: 'refreshed', renew: 'renewed', login: 'logged in', relogin: 'logged in again' };

/** `refreshed (expired)`, `logged in again (rejected, joined)`. */
export function renewalText(r: RenewalNote): string {
  return `${DONE[r.how] ?? r.how} (${r.why}${r.joined ? ', joined' : ''})`;
}

/** The Gateway row while it runs (first in the tree), else nothing. */
export function gatewayRoot(gw: GatewayService): TrafficNode[] {
  return gw.running ? [{ type: 'gateway' }] : [];
}

/** A connection's Traffic child, when it has traffic. */
export function trafficChild(gw: GatewayService, connId: string): TrafficNode[] {
  return gw.traffic.entries(connId).length ? [{ type: 'traffic', connId }] : [];
}

export function trafficChildren(gw: GatewayService, node: Extract<TrafficNode, { type: 'traffic' }>): TrafficNode[] {
  return gw.traffic
    .entries(node.connId)
    .map((entry, index): TrafficNode => ({ type: 'trafficEntry', connId: node.connId, index, entry }))
    .reverse();
}

export function trafficItem(gw: GatewayService, node: TrafficNode): vscode.TreeItem {
  const item = new vscode.TreeItem('Gateway');
  if (node.type === 'gateway') {
    const r = gw.running;
    item.id = 'gateway';
    if (r) item.description = `127.0.0.1:${r.port} · ${r.exposed().length} exposed · ${r.requests} ${r.requests === 1 ? 'request' : 'requests'}`;
    item.iconPath = new vscode.ThemeIcon('radio-tower');
    item.command = { command: Commands.gatewayMenu, title: 'Gateway…' };
  } else if (node.type === 'traffic') {
    item.label = 'Traffic';
    item.collapsibleState = vscode.TreeItemCollapsibleState.Collapsed;
    item.id = `${node.connId}/traffic`;
    item.description = `${gw.traffic.entries(node.connId).length}`;
    item.iconPath = new vscode.ThemeIcon('pulse');
  } else {
    const e = node.entry;
    const how = e.error ? `error: ${e.error}` : e.renewal && renewalText(e.renewal);
    item.label = `${e.method} ${e.path} → ${e.status || '—'}`;
    item.id = `${node.connId}/traffic/${e.at}/${node.index}`;
    item.description = [`${e.durationMs} ms`, how, e.source].filter(Boolean).join(' · ');
    item.tooltip = `${formatInstant(e.at, 'local')} · ${item.description}`;
    item.iconPath = new vscode.ThemeIcon(e.error || !(e.status < 400) ? 'warning' : e.renewal ? 'sync' : 'arrow-swap');
  }
  return item;
}
