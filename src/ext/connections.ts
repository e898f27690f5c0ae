// The `authExplorer.connections` setting: read, validated, watched, and edited in the scope that holds an entry.
import * as vscode from 'vscode';
import { type ConfigProblem, describeProblem, parseConnections } from '../core/config';
import type { ConnectionConfig } from '../core/types';
import { SETTING_CONNECTIONS, SETTING_SECTION } from './constants';

export type Scope = 'user' | 'workspace';

export class ConnectionStore implements vscode.Disposable {
  private list: ConnectionConfig[] = [];
  private problems: ConfigProblem[] = [];
  private readonly changed = new vscode.EventEmitter<void>();
  readonly onDidChange = this.changed.event;
  private readonly sub: vscode.Disposable;
  private reportedProblems = new Set<string>();

  constructor(private readonly warn: (msg: string) => void) {
    this.reload();
    this.sub = vscode.workspace.onDidChangeConfiguration((e) => {
      if (e.affectsConfiguration(`${SETTING_SECTION}.${SETTING_CONNECTIONS}`)) {
        this.reload();
        this.changed.fire();
      }
    });
  }

  private reload(): void {
    const raw = vscode.workspace.getConfiguration(SETTING_SECTION).get<unknown>(SETTING_CONNECTIONS, []);
    const parsed = parseConnections(raw);
    this.list = parsed.connections;
    this.problems = parsed.invalid;
    // Report each distinct problem once in the log, never as a crash.
    for (const p of this.problems) {
      const line = describeProblem(p);
      if (!this.reportedProblems.has(line)) {
        this.reportedProblems.add(line);
        this.warn(`settings: ${line}`);
      }
    }
  }

  all(): readonly ConnectionConfig[] {
    return this.list;
  }

  invalid(): readonly ConfigProblem[] {
    return this.problems;
  }

  get(id: string): ConnectionConfig | undefined {
    return this.list.find((c) => c.id === id);
  }

  /** Every id in any scope, valid or not (so a new id never collides). */
  allIds(): Set<string> {
    const ids = new Set(this.list.map((c) => c.id));
    for (const p of this.problems) if (p.id) ids.add(p.id);
    return ids;
  }

  /** Which scope defines a connection (workspace wins, as in the merged value). */
  scopeOf(id: string): Scope | undefined {
    const info = this.inspect();
    if (hasId(info?.workspaceValue, id)) return 'workspace';
    if (hasId(info?.globalValue, id)) return 'user';
    return undefined;
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
      if (hasId(list, id)) await this.write((list as unknown[]).filter((e) => !matchesId(e, id)), scope);
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
