// The `authExplorer.connections` setting: read, validated, watched, and edited in the scope that holds an entry.
import * as vscode from 'vscode';
import { cliOnlyNotes, type ConfigProblem, describeProblem, parseConnections } from '../engine/config';
import type { ConnectionConfig } from '../core/types';
import { ADAPTERS } from '../vendors';
import { SETTING_CONNECTIONS, SETTING_SECTION } from './constants';

export type Scope = 'user' | 'workspace';

export class ConnectionStore implements vscode.Disposable {
  private list: ConnectionConfig[] = [];
  private byId = new Map<string, ConnectionConfig>();
  /** False until the settings are parsed: activation does not pay for validating 2,000 entries (first use does). */
  private loaded = false;
  private scopes = new Map<string, Scope>();
  private problems: ConfigProblem[] = [];
  private readonly changed = new vscode.EventEmitter<void>();
  readonly onDidChange = this.changed.event;
  private readonly sub: vscode.Disposable;
  private reportedProblems = new Set<string>();

  constructor(private readonly warn: (msg: string) => void) {
    // Parsed on first use, or right after activation at the latest, so that problems in the settings are still
    // logged without anyone asking.
    const early = setTimeout(() => this.ensure(), 0);
    this.sub = vscode.Disposable.from(
      { dispose: () => clearTimeout(early) },
      vscode.workspace.onDidChangeConfiguration((e) => {
        if (e.affectsConfiguration(`${SETTING_SECTION}.${SETTING_CONNECTIONS}`)) {
          this.reload();
          this.changed.fire();
        }
      }),
      vscode.workspace.onDidGrantWorkspaceTrust(() => {
        this.reload();
        this.changed.fire();
      }),
    );
  }

  private ensure(): void {
    if (!this.loaded) this.reload();
  }

  /**
   * VS Code does not merge arrays across scopes (a workspace list would hide every user connection), so both lists
   * are read and combined here: the workspace's entries first, then the user's; a workspace entry overrides a user
   * entry with the same id.
   */
  private reload(): void {
    this.loaded = true;
    const info = this.inspect();
    // An untrusted workspace's settings could send the user's secrets to a server of its choosing: ignored
    // until the workspace is trusted (package.json: restrictedConfigurations).
    const workspace = parseConnections(ADAPTERS, vscode.workspace.isTrusted ? info?.workspaceValue : undefined);
    const ignored = !vscode.workspace.isTrusted && Array.isArray(info?.workspaceValue) && info.workspaceValue.length > 0;
    const user = parseConnections(ADAPTERS, info?.globalValue);
    const wsIds = new Set([...workspace.connections.map((c) => c.id), ...workspace.invalid.map((p) => p.id).filter((id) => id !== null)]);
    const shadowed = user.connections.filter((c) => wsIds.has(c.id));
    this.list = [...workspace.connections, ...user.connections.filter((c) => !wsIds.has(c.id))];
    this.byId = new Map();
    for (const c of this.list) if (!this.byId.has(c.id)) this.byId.set(c.id, c); // the first wins, as find() did
    this.scopes = new Map([...user.connections.map((c) => [c.id, 'user'] as const), ...workspace.connections.map((c) => [c.id, 'workspace'] as const)]);
    this.problems = [...workspace.invalid.map((p) => ({ ...p, where: 'workspace settings' })), ...user.invalid.map((p) => ({ ...p, where: 'user settings' }))];
    // Report each distinct problem once in the log, never as a crash.
    const lines = [
      ...(ignored ? ['this workspace is not trusted: the connections in its settings are ignored until you trust it'] : []),
      ...shadowed.map((c) => `the workspace's connection "${c.id}" overrides the user connection with the same id`),
      ...this.problems.map(describeProblem),
      ...cliOnlyNotes(this.list),
    ];
    for (const line of lines) {
      if (this.reportedProblems.has(line)) continue;
      this.reportedProblems.add(line);
      this.warn(`settings: ${line}`);
    }
  }

  all(): readonly ConnectionConfig[] {
    this.ensure();
    return this.list;
  }

  invalid(): readonly ConfigProblem[] {
    this.ensure();
    return this.problems;
  }

  get(id: string): ConnectionConfig | undefined {
    this.ensure();
    return this.byId.get(id);
  }

  /** Every id in any scope, valid or not (so a new id never collides). */
  allIds(): Set<string> {
    this.ensure();
    const ids = new Set(this.list.map((c) => c.id));
    for (const p of this.problems) if (p.id) ids.add(p.id);
    return ids;
  }

  /** Which scope defines a connection (workspace wins, as in the combined list). */
  scopeOf(id: string): Scope | undefined {
    this.ensure();
    return this.scopes.get(id);
  }

  private inspect() {
    return vscode.workspace.getConfiguration(SETTING_SECTION).inspect<unknown[]>(SETTING_CONNECTIONS);
  }

  /** Appends to the chosen scope's own list — the other scope's entries are never copied or overwritten. */
  async add(conn: ConnectionConfig, scope: Scope): Promise<void> {
    const info = this.inspect();
    const current = (scope === 'user' ? info?.globalValue : info?.workspaceValue) ?? [];
    await this.write([...(Array.isArray(current) ? current : []), conn], scope);
  }

  /** Removes the entry from every scope that has it. */
  async remove(id: string): Promise<void> {
    const info = this.inspect();
    for (const scope of ['user', 'workspace'] as const) {
      const list = scope === 'user' ? info?.globalValue : info?.workspaceValue;
      if (hasId(list, id)) {
        await this.write(
          (list as unknown[]).filter((e) => !matchesId(e, id)),
          scope,
        );
      }
    }
  }

  private async write(list: unknown[], scope: Scope): Promise<void> {
    const target = scope === 'user' ? vscode.ConfigurationTarget.Global : vscode.ConfigurationTarget.Workspace;
    await vscode.workspace.getConfiguration(SETTING_SECTION).update(SETTING_CONNECTIONS, list, target);
    this.reload();
    this.changed.fire();
  }

  dispose(): void {
    this.sub.dispose();
    this.changed.dispose();
  }
}

function matchesId(e: unknown, id: string): boolean {
  return typeof e === 'object' && e !== null && (e as { id?: unknown }).id === id;
}

function hasId(list: unknown, id: string): boolean {
  return Array.isArray(list) && list.some((e) => matchesId(e, id));
}
