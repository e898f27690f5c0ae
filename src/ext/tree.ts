// The Connections tree. getChildren reads only in-memory state: no network, no secret reads, no popups.
import * as vscode from 'vscode';
import { describeProblem } from '../engine/config';
import { describeAttach } from '../engine/view';
import { describeClaims } from '../core/jwt';
import { codeSpan, escapeMarkdown } from '../core/markdown';
import { maskToken } from '../core/redact';
import { EXPIRY_REASON_TEXT, isExpired, timeLeftMs } from '../core/session';
import type { ConnectionConfig, HistoryEntry, Session } from '../core/types';
import type { ConnectionStore } from './connections';
import { Commands, SETTING_CONNECTIONS, SETTING_SECTION, VIEW_CONNECTIONS } from './constants';
import type { GatewayService } from './gateway';
import type { SessionService } from './sessions';
import type { Ticker } from './ticker';
import { formatDuration, formatInstant, formatRemaining } from '../core/time';
import { gatewayRoot, trafficChild, trafficChildren, trafficItem, type TrafficNode } from './traffic';
import { oneLineItem, shortCause } from './treeText';
import { ADAPTERS } from '../vendors';
import { Disposable } from '../core/lifecycle';

export type Node =
  | { type: 'connection'; conn: ConnectionConfig }
  | { type: 'invalid'; index: number; where: string; text: string; reason: string; name: string }
  | { type: 'detail'; connId: string; key: string; label: string; description: string; tooltip?: string; icon: string }
  | { type: 'group'; connId: string; key: 'claims' | 'history' | 'refreshClaims'; label: string }
  | { type: 'claim'; connId: string; group: string; name: string; value: string; human: string | null; meaning: string }
  | { type: 'history'; connId: string; index: number; entry: HistoryEntry }
  | TrafficNode;

type ConnectionNode = Extract<Node, { type: 'connection' }>;

export const VENDOR_ICONS: Record<string, string> = {
  cove: 'cloud',
  commvault: 'database',
  ipcortex: 'call-outgoing',
  code42: 'shield',
  datarhei: 'device-camera-video',
};

export function warnThresholdMs(): number {
  const s = vscode.workspace.getConfiguration('authExplorer').get<number>('statusBar.warnSeconds', 60);
  return (typeof s === 'number' && s >= 0 ? s : 60) * 1000;
}

export class ConnectionsTree extends Disposable implements vscode.TreeDataProvider<Node> {
  private readonly changed = new vscode.EventEmitter<Node | Node[] | undefined | void>();
  readonly onDidChangeTreeData = this.changed.event;
  readonly view: vscode.TreeView<Node>;
  private tick: vscode.Disposable | undefined;
  /**
   * One node object per connection row, handed to VS Code every time: VS Code knows tree elements by identity, so a
   * tick can refresh just the rows that count down. Refreshing the whole tree every second re-rendered every row, and
   * no hover tooltip in the tree stayed open.
   */
  private readonly rows = new Map<string, ConnectionNode>();

  constructor(
    private readonly store: ConnectionStore,
    private readonly sessions: SessionService,
    private readonly ticker: Ticker,
    private readonly gateway: GatewayService,
  ) {
    super();
    this.view = vscode.window.createTreeView(VIEW_CONNECTIONS, { treeDataProvider: this, showCollapseAll: true });
    this.register(
      this.view,
      this.changed,
      store.onDidChange(() => this.refresh()),
      sessions.onDidChange(() => this.refresh()),
      gateway.onDidChange(() => this.refresh()),
      this.view.onDidChangeVisibility(() => this.updateTicking()),
    );
    this.updateTicking();
  }

  /** Tick only while the view is visible: the countdown in descriptions is only worth computing when seen. */
  private updateTicking(): void {
    if (this.view.visible && !this.tick) {
      this.tick = this.ticker.onTick(() => this.refreshCountdowns());
    } else if (!this.view.visible && this.tick) {
      this.tick.dispose();
      this.tick = undefined;
    }
  }

  refresh(): void {
    this.changed.fire();
  }

  /** Once a second: the rows of sessions with an expiry (VS Code renders their children again with them). */
  private refreshCountdowns(): void {
    const counting = [...this.rows.values()].filter((row) => {
      const s = this.sessions.get(row.conn.id);
      return s && (s.expiresAt !== null || s.refreshExpiresAt);
    });
    if (counting.length) this.changed.fire(counting);
  }

  /** The row node of `conn`: the same object as last time, with the connection's current settings. */
  private rowOf(conn: ConnectionConfig): ConnectionNode {
    const row = this.rows.get(conn.id);
    if (row) {
      row.conn = conn;
      return row;
    }
    const created: ConnectionNode = { type: 'connection', conn };
    this.rows.set(conn.id, created);
    return created;
  }

  /** Called once, when VS Code first asks for the root rows (the view shown for the first time): a log line. */
  onFirstRows: ((rows: number) => void) | undefined;

  getChildren(node?: Node): Node[] {
    if (!node) {
      const all = this.store.all();
      const first = this.onFirstRows;
      this.onFirstRows = undefined;
      first?.(all.length);
      for (const id of this.rows.keys()) if (!all.some((c) => c.id === id)) this.rows.delete(id);
      const conns: Node[] = all.map((conn) => this.rowOf(conn));
      const invalid: Node[] = this.store.invalid().map((p) => ({
        type: 'invalid',
        index: p.index,
        where: p.where ?? '',
        name: p.label || p.id || `entry ${p.index + 1}`,
        text: describeProblem(p),
        reason: p.problems.join('; '),
      }));
      return [...gatewayRoot(this.gateway), ...conns, ...invalid];
    }
    if (node.type === 'connection') return this.sessionChildren(node.conn);
    if (node.type === 'group') return this.groupChildren(node);
    return node.type === 'traffic' ? trafficChildren(this.gateway, node) : [];
  }

  private sessionChildren(conn: ConnectionConfig): Node[] {
    const s = this.sessions.get(conn.id);
    if (!s) return trafficChild(this.gateway, conn.id);
    const now = Date.now();
    const id = conn.id;
    const out: Node[] = [
      {
        type: 'detail',
        connId: id,
        key: 'token',
        label: 'Token',
        description: maskToken(s.token),
        icon: 'key',
        tooltip: `${s.token.length} characters; sent as ${describeAttach(s.attach)}`,
      },
    ];
    if (s.user?.name) out.push({ type: 'detail', connId: id, key: 'user', label: 'User', description: s.user.name, icon: 'account' });
    out.push({
      type: 'detail',
      connId: id,
      key: 'expires',
      label: 'Expires',
      description:
        s.expiresAt === null
          ? EXPIRY_REASON_TEXT[s.expiresBecause]
          : `${formatInstant(s.expiresAt, 'local')} · ${formatRemaining(timeLeftMs(s, now))}${isExpired(s, now) ? '' : ' left'}`,
      tooltip: `Expiry: ${EXPIRY_REASON_TEXT[s.expiresBecause]}`,
      icon: 'watch',
    });
    if (s.refreshToken) {
      out.push({
        type: 'detail',
        connId: id,
        key: 'refresh',
        label: 'Refresh token',
        description: s.refreshExpiresAt
          ? `${formatInstant(s.refreshExpiresAt, 'local')} · ${formatRemaining(Math.max(0, s.refreshExpiresAt - now))}`
          : 'no expiry known',
        icon: 'sync',
      });
    }
    if (s.jwt) out.push({ type: 'group', connId: id, key: 'claims', label: 'Claims' });
    if (s.refreshJwt) out.push({ type: 'group', connId: id, key: 'refreshClaims', label: 'Refresh token claims' });
    out.push({ type: 'group', connId: id, key: 'history', label: s.vendor === 'cove' ? 'Visa chain' : 'History' });
    return [...out, ...trafficChild(this.gateway, id)];
  }

  private groupChildren(node: Extract<Node, { type: 'group' }>): Node[] {
    const s = this.sessions.get(node.connId);
    if (!s) return [];
    if (node.key === 'history') {
      return s.history.map((entry, index): Node => ({ type: 'history', connId: node.connId, index, entry })).reverse();
    }
    const jwt = node.key === 'claims' ? s.jwt : s.refreshJwt;
    return describeClaims(jwt?.claims ?? {}, Date.now(), s.serverClockOffsetMs).map((r) => ({
      type: 'claim',
      connId: node.connId,
      group: node.key,
      name: r.name,
      value: r.raw,
      human: r.human,
      meaning: r.meaning,
    }));
  }

  getParent(node: Node): Node | undefined {
    if (node.type === 'connection' || node.type === 'invalid' || node.type === 'gateway') return undefined;
    const conn = this.store.get(node.connId);
    if (!conn) return undefined;
    if (node.type === 'claim') return { type: 'group', connId: node.connId, key: node.group as 'claims', label: '' };
    if (node.type === 'history') return { type: 'group', connId: node.connId, key: 'history', label: '' };
    if (node.type === 'trafficEntry') return { type: 'traffic', connId: node.connId };
    return this.rowOf(conn);
  }

  /** The one place tree text leaves for VS Code: labels, descriptions and plain tooltips are made one line here. */
  getTreeItem(node: Node): vscode.TreeItem {
    return oneLineItem(this.buildItem(node));
  }

  /**
   * A connection row's tooltip, made when it is hovered: VS Code asks for every visible row on each refresh (each
   * second for rows that count down), and the tooltip (dates formatted, Markdown escaped) was most of a row's cost.
   */
  resolveTreeItem(item: vscode.TreeItem, node: Node): vscode.TreeItem {
    if (node.type !== 'connection' || item.tooltip !== undefined) return item;
    const conn = this.store.get(node.conn.id) ?? node.conn;
    const s = this.sessions.get(conn.id);
    item.tooltip = this.tooltip(conn, s, this.rowState(conn, s).tooltipState, this.sessions.uiState(conn.id));
    return item;
  }

  private buildItem(node: Node): vscode.TreeItem {
    switch (node.type) {
      case 'connection':
        return this.connectionItem(node.conn);
      case 'gateway':
      case 'traffic':
      case 'trafficEntry':
        return trafficItem(this.gateway, node);
      case 'invalid': {
        const item = new vscode.TreeItem(node.name, vscode.TreeItemCollapsibleState.None);
        item.id = `invalid:${node.where}:${node.index}`;
        // The reason in view, not only on hover: "error: "keepalive" is not a known field (did you mean …)".
        item.description = `error: ${node.reason}`;
        item.tooltip = new vscode.MarkdownString(
          `**Invalid connection entry**\n\n${escapeMarkdown(node.text)}\n\nFix it in settings (${codeSpan(`${SETTING_SECTION}.${SETTING_CONNECTIONS}`)}).`,
        );
        item.iconPath = new vscode.ThemeIcon('error', new vscode.ThemeColor('errorForeground'));
        item.contextValue = 'invalidConnection';
        item.command = { command: Commands.openSettings, title: 'Open Settings' };
        return item;
      }
      case 'detail': {
        const item = new vscode.TreeItem(node.label, vscode.TreeItemCollapsibleState.None);
        item.id = `${node.connId}/${node.key}`;
        item.description = node.description;
        item.tooltip = node.tooltip;
        item.iconPath = new vscode.ThemeIcon(node.icon);
        if (node.key === 'token') item.command = { command: Commands.showDetails, title: 'Show Token Details', arguments: [node.connId] };
        return item;
      }
      case 'group': {
        const item = new vscode.TreeItem(node.label, vscode.TreeItemCollapsibleState.Collapsed);
        item.id = `${node.connId}/${node.key}`;
        const s = this.sessions.get(node.connId);
        if (node.key === 'history') item.description = `${s?.history.length ?? 0}`;
        item.iconPath = new vscode.ThemeIcon(node.key === 'history' ? 'history' : 'symbol-field');
        return item;
      }
      case 'claim': {
        const item = new vscode.TreeItem(node.name, vscode.TreeItemCollapsibleState.None);
        item.id = `${node.connId}/${node.group}/${node.name}`;
        item.description = node.human ? `${node.value} — ${node.human}` : node.value;
        item.tooltip = new vscode.MarkdownString(
          `${codeSpan(node.name)}: ${escapeMarkdown(node.value)}${node.meaning ? `\n\n${escapeMarkdown(node.meaning)}` : ''}`,
        );
        return item;
      }
      case 'history': {
        const e = node.entry;
        const item = new vscode.TreeItem(`${formatInstant(e.at, 'local')} ${e.method}`, vscode.TreeItemCollapsibleState.None);
        item.id = `${node.connId}/history/${node.index}/${e.at}`;
        item.description = `${e.event} · ${maskToken(e.token)}`;
        item.tooltip = new vscode.MarkdownString(
          `**${escapeMarkdown(e.event)}** by ${codeSpan(e.method)} at ${formatInstant(e.at)}\n\nnew: ${codeSpan(maskToken(e.token))}${e.replaced ? `\n\nreplaced: ${codeSpan(maskToken(e.replaced))}` : ''}`,
        );
        item.iconPath = new vscode.ThemeIcon(e.event === 'login' || e.event === 'relogin' ? 'sign-in' : e.event === 'call' ? 'arrow-swap' : 'sync');
        return item;
      }
    }
  }

  private connectionItem(conn: ConnectionConfig): vscode.TreeItem {
    const s = this.sessions.get(conn.id);
    const vendor = ADAPTERS[conn.vendor].displayName;
    const label = conn.label || conn.id;
    const open = s || this.gateway.traffic.entries(conn.id).length;
    const item = new vscode.TreeItem(label, open ? vscode.TreeItemCollapsibleState.Collapsed : vscode.TreeItemCollapsibleState.None);
    item.id = `conn:${conn.id}`;
    const row = this.rowState(conn, s);
    item.description = `${vendor} · ${row.state}`;
    item.iconPath = row.icon;
    item.contextValue = `${row.flags.join(';')};`;
    // The tooltip comes from resolveTreeItem, on hover.
    return item;
  }

  /**
   * A row's state words, icon and contextValue flags (`connection;loggedIn;busy;active;`: only flags a `when` clause
   * of package.json's menus reads), and the state its tooltip shows: without the seconds, as a hover whose text
   * changed every second would flicker.
   */
  private rowState(conn: ConnectionConfig, s: Session | undefined): { state: string; tooltipState: string; icon: vscode.ThemeIcon; flags: string[] } {
    const ui = this.sessions.uiState(conn.id);
    const now = Date.now();
    const flags = ['connection'];
    let state: string;
    let tooltipState: string | undefined;
    let icon: vscode.ThemeIcon;
    if (ui?.kind === 'loggingIn' && !s) {
      state = 'logging in…';
      icon = new vscode.ThemeIcon('loading~spin');
      flags.push('busy');
    } else if (s && (ui?.kind === 'loggingIn' || this.sessions.manager.isRenewing(conn.id))) {
      // A refresh, renew or re-login (by command, by a request, by keep-alive): the session stays usable meanwhile.
      state = 'renewing…';
      icon = new vscode.ThemeIcon('sync~spin');
      flags.push('loggedIn', 'busy');
    } else if (ui?.kind === 'error' && !s) {
      state = `error: ${shortCause(ui.message)}`;
      icon = new vscode.ThemeIcon('error', new vscode.ThemeColor('errorForeground'));
    } else if (!s) {
      state = 'not logged in';
      icon = new vscode.ThemeIcon('circle-outline');
    } else if (isExpired(s, now)) {
      state = 'expired';
      icon = new vscode.ThemeIcon('warning', new vscode.ThemeColor('list.errorForeground'));
      flags.push('loggedIn');
    } else {
      const left = timeLeftMs(s, now);
      flags.push('loggedIn');
      if (left === null) {
        state = s.expiresBecause === 'per-request' ? 'credentials on each request' : 'logged in (session)';
        icon = new vscode.ThemeIcon('pass-filled', new vscode.ThemeColor('testing.iconPassed'));
      } else {
        state = `${formatRemaining(left)} left`;
        const expiring = left <= warnThresholdMs();
        tooltipState = expiring ? 'logged in, expiring soon' : 'logged in';
        icon = expiring
          ? new vscode.ThemeIcon('watch', new vscode.ThemeColor('list.warningForeground'))
          : new vscode.ThemeIcon('pass-filled', new vscode.ThemeColor('testing.iconPassed'));
      }
    }
    if (this.sessions.activeId() === conn.id) flags.push('active');
    return { state, tooltipState: tooltipState ?? state, icon, flags };
  }

  private tooltip(conn: ConnectionConfig, s: Session | undefined, state: string, ui: ReturnType<SessionService['uiState']>): vscode.MarkdownString {
    const md = new vscode.MarkdownString(undefined, true);
    md.appendMarkdown(`**$(${VENDOR_ICONS[conn.vendor] ?? 'plug'}) ${escapeMarkdown(conn.label || conn.id)}**\n\n`);
    md.appendMarkdown(`${escapeMarkdown(ADAPTERS[conn.vendor].displayName)} · ${codeSpan(conn.baseUrl)}\n\n`);
    if (conn.username) md.appendMarkdown(`User: ${escapeMarkdown(conn.username)}${conn.partner ? ` · partner: ${escapeMarkdown(conn.partner)}` : ''}\n\n`);
    md.appendMarkdown(`State: ${escapeMarkdown(state)}\n\n`);
    if (s) {
      if (s.expiresAt !== null) md.appendMarkdown(`Expires: ${formatInstant(s.expiresAt, 'local')} (${EXPIRY_REASON_TEXT[s.expiresBecause]})\n\n`);
      if (s.slidingWindowMs) md.appendMarkdown(`Idle window: ${formatDuration(s.slidingWindowMs)}, renewed by every call\n\n`);
      md.appendMarkdown(`Token: ${codeSpan(maskToken(s.token))} · sent as ${escapeMarkdown(describeAttach(s.attach))}\n\n`);
    }
    if (ui?.kind === 'error') md.appendMarkdown(`$(error) ${escapeMarkdown(ui.message)}\n\n`);
    return md;
  }

  override dispose(): void {
    this.tick?.dispose();
    super.dispose();
  }
}
