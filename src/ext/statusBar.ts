// The status-bar countdown: the active (or soonest-expiring) session, recomputed from expiresAt − now each tick.
import * as vscode from 'vscode';
import { escapeMarkdown } from '../core/markdown';
import { isExpired, timeLeftMs } from '../core/session';
import type { Session } from '../core/types';
import type { ConnectionStore } from './connections';
import { Commands, STATUS_ITEM_ID } from './constants';
import type { SessionService } from './sessions';
import type { Ticker } from './ticker';
import { VENDOR_ICONS, warnThresholdMs } from './tree';
import { formatRemaining } from '../core/time';
import { ADAPTERS } from '../vendors';
import { Disposable } from '../core/lifecycle';
import { oneLineText } from '../core/untrusted';

/** How many live sessions the status bar's hover lists. */
const TOOLTIP_SESSIONS = 12;

export class StatusBar extends Disposable {
  readonly item: vscode.StatusBarItem;
  private tick: vscode.Disposable | undefined;
  /** Connection shown (for the click menu and tests). */
  shownId: string | undefined;

  constructor(
    private readonly store: ConnectionStore,
    private readonly sessions: SessionService,
    private readonly ticker: Ticker,
  ) {
    super();
    this.item = vscode.window.createStatusBarItem(STATUS_ITEM_ID, vscode.StatusBarAlignment.Left, 50);
    this.item.name = 'API Auth Explorer: token expiry';
    this.item.command = Commands.statusBarMenu;
    this.register(
      this.item,
      sessions.onDidChange(() => this.render()),
      store.onDidChange(() => this.render()),
      vscode.workspace.onDidChangeConfiguration((e) => {
        if (e.affectsConfiguration('authExplorer.statusBar')) this.render();
      }),
    );
    this.render();
  }

  /** Which session to show: the active connection's if it is logged in, else the one expiring soonest. */
  pick(): Session | undefined {
    // Nothing logged in (always so at activation): no need to walk, or even parse, the configured connections.
    if (this.sessions.manager.all().length === 0) return undefined;
    const live = this.store
      .all()
      .map((c) => this.sessions.get(c.id))
      .filter((s): s is Session => s !== undefined);
    const active = this.sessions.activeId();
    const activeSession = live.find((s) => s.connectionId === active);
    if (activeSession) return activeSession;
    return live.sort((a, b) => (a.expiresAt ?? Infinity) - (b.expiresAt ?? Infinity))[0];
  }

  render(): void {
    const s = this.pick();
    // The ticker runs only while a shown session has an expiry still ahead (or just reached).
    const wantTick = !!s && s.expiresAt !== null;
    if (wantTick && !this.tick) {
      this.tick = this.ticker.onTick(() => this.render());
    } else if (!wantTick && this.tick) {
      this.tick.dispose();
      this.tick = undefined;
    }
    this.ticker.update();
    if (!s) {
      this.shownId = undefined;
      this.item.hide();
      return;
    }
    const conn = this.store.get(s.connectionId);
    if (!conn) return;
    this.shownId = conn.id;
    const now = Date.now();
    const left = timeLeftMs(s, now);
    const icon = VENDOR_ICONS[conn.vendor] ?? 'key';
    // One line: a label with a line break or an ESC (a shared settings file) would garble the status bar.
    const label = oneLineText(conn.label || conn.id);
    if (left === null) {
      this.item.text = `$(${icon}) ${label}: logged in`;
      this.item.backgroundColor = undefined;
    } else if (isExpired(s, now)) {
      this.item.text = `$(${icon}) ${label}: expired`;
      this.item.backgroundColor = new vscode.ThemeColor('statusBarItem.errorBackground');
    } else {
      this.item.text = `$(${icon}) ${label}: ${formatRemaining(left)}`;
      this.item.backgroundColor = left <= warnThresholdMs() ? new vscode.ThemeColor('statusBarItem.warningBackground') : undefined;
    }
    this.item.tooltip = this.tooltip(now);
    this.item.accessibilityInformation = {
      label: `${label} token ${left === null ? 'has no expiry' : isExpired(s, now) ? 'expired' : `expires in ${formatRemaining(left)}`}`,
    };
    this.item.show();
  }

  private tooltip(now: number): vscode.MarkdownString {
    const md = new vscode.MarkdownString('**API Auth Explorer** — live sessions\n\n', true);
    // In settings order, at most TOOLTIP_SESSIONS lines: the hover is remade every second, and hundreds of lines
    // (500 sessions in the benchmark) cost most of a tick and read as nothing.
    const live = this.store.all().flatMap((conn) => {
      const s = this.sessions.get(conn.id);
      return s ? [{ conn, s }] : [];
    });
    for (const { conn, s } of live.slice(0, TOOLTIP_SESSIONS)) {
      const left = timeLeftMs(s, now);
      const when = left === null ? 'no expiry' : isExpired(s, now) ? 'expired' : `${formatRemaining(left)} left`;
      md.appendMarkdown(
        `$(${VENDOR_ICONS[conn.vendor] ?? 'key'}) ${escapeMarkdown(conn.label || conn.id)} (${ADAPTERS[conn.vendor].displayName}): ${when}\n\n`,
      );
    }
    if (live.length > TOOLTIP_SESSIONS) md.appendMarkdown(`…and ${live.length - TOOLTIP_SESSIONS} more: the Connections view lists them all.\n\n`);
    md.appendMarkdown('Click for refresh, login, copy and details.');
    return md;
  }

  override dispose(): void {
    this.tick?.dispose();
    super.dispose();
  }
}
