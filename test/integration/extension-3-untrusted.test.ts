// The extension against a hostile datarhei server (runs between parts 3 and 4, see setup.ts): escape sequences and
// line breaks in a user name, claims and an error message never reach a tree item, the status bar or the log raw,
// and time claims that are no dates (exp 1e300, iat 1e17) neither throw nor count as the expiry.
import * as assert from 'assert';
import * as fs from 'fs';
import * as path from 'path';
import * as vscode from 'vscode';
import type { Node } from '../../src/ext/tree';
import { ACCOUNTS } from '../mock-vendors/accounts';
import { setDatarheiOptions } from '../mock-vendors/datarhei';
import { addConnections, api, connOf, descriptionOf, mock, nodeOf, SECRETS, setup, until } from './setup';

const HOSTILE = '\u001b]0;pwned\u0007\u001b[2J\nFAKE LINE';
// eslint-disable-next-line no-control-regex -- finding raw controls is the point
const RAW = /[\u0000-\u001f\u007f-\u009f\u200e\u200f\u202a-\u202e\u2066-\u2069\u2028\u2029]/;

/** No raw control in `text`; a Markdown tooltip may hold its own paragraph breaks (LF), but no line of the server's. */
function assertInert(where: string, text: unknown): void {
  const md = text instanceof vscode.MarkdownString;
  const s = typeof text === 'string' ? text : md ? text.value : JSON.stringify(text ?? '');
  const bare = md ? s.replace(/\n/g, '') : s;
  assert.ok(!RAW.test(bare), `${where} holds a raw control: ${JSON.stringify(s)}`);
  for (const line of s.split('\n')) assert.ok(!line.startsWith('FAKE LINE'), `${where} has a forged line: ${JSON.stringify(s)}`);
}

function assertItemInert(node: Node): vscode.TreeItem {
  // A connection row's tooltip is made on hover (resolveTreeItem), as VS Code asks for it.
  const item = api.tree.resolveTreeItem(api.tree.getTreeItem(node), node);
  const label = typeof item.label === 'string' ? item.label : item.label?.label;
  assertInert(`label of ${node.type}`, label);
  assertInert(`description of ${node.type} ${label}`, item.description);
  assertInert(`tooltip of ${node.type} ${label}`, item.tooltip);
  return item;
}

describe('API Auth Explorer in VS Code: untrusted server text', function () {
  this.timeout(60_000);
  before(setup);
  after(() => setDatarheiOptions(mock.env, { claims: {} }));

  it('a user name and claims with escape sequences, an exp of 1e300: login works, every tree item is inert', async () => {
    await addConnections([{ id: 'dr-hostile', label: 'Hostile Core', vendor: 'datarhei', baseUrl: mock.baseUrl('datarhei'), username: 'admin' }]);
    await api.vault.setSecret(connOf('dr-hostile'), ACCOUNTS.datarhei.password);
    const nbf = Math.floor(Date.now() / 1000) + 300;
    setDatarheiOptions(mock.env, { claims: { sub: HOSTILE, exp: 1e300, iat: 1e17, nbf, note: 'admin\u202etxt.exe\r\nX' } });
    await vscode.commands.executeCommand('authExplorer.login', 'dr-hostile');
    const s = api.sessions.get('dr-hostile');
    assert.ok(s, 'logged in');
    SECRETS.add(s.token);
    if (s.refreshToken) SECRETS.add(s.refreshToken);
    assert.strictEqual(s.expiresBecause, 'fixed-lifetime', 'exp 1e300 is not the expiry; exi is');
    assert.ok(s.expiresAt !== null && Math.abs(s.expiresAt - (Date.now() + 600_000)) < 30_000);

    const row = nodeOf('dr-hostile');
    assert.ok(row);
    assertItemInert(row);
    const children = api.tree.getChildren(row);
    const user = children.find((n) => n.type === 'detail' && n.key === 'user');
    assert.ok(user);
    assert.strictEqual(assertItemInert(user).description, '␛]0;pwned␇␛[2J␊FAKE LINE');
    const group = children.find((n) => n.type === 'group' && n.key === 'claims');
    assert.ok(group);
    const claims = new Map(api.tree.getChildren(group).map((n) => [n.type === 'claim' ? n.name : '', assertItemInert(n)]));
    assert.match(String(claims.get('exp')?.description), /not a date \(1e\+300\); not used for expiry/);
    assert.match(String(claims.get('iat')?.description), /not a date \(100000000000000000\)/);
    assert.match(String(claims.get('nbf')?.description), /not valid yet \(valid from .*, in [45] min/);
    assert.match(String(claims.get('note')?.description), /"admin\\u\{202E\}txt\.exe\\r\\nX"/);
    for (const n of children) assertItemInert(n);

    assertInert('status bar text', api.statusBar.item.text);
    assertInert('status bar tooltip', api.statusBar.item.tooltip);
  });

  it('a refused login whose message carries escape sequences: the error row and the log stay one inert line', async () => {
    await vscode.commands.executeCommand('authExplorer.logout', 'dr-hostile');
    const body = JSON.stringify({ code: 401, message: 'Unauthorized', details: [HOSTILE] });
    mock.setFault('datarhei', { fault: { kind: 'reply', status: 401, contentType: 'application/json', body, path: '/api/login' }, times: 1 });
    await vscode.commands.executeCommand('authExplorer.login', 'dr-hostile'); // guarded: reports, does not throw
    const ui = api.sessions.uiState('dr-hostile');
    assert.ok(ui?.kind === 'error', 'the login failed');
    assert.match(ui.message, /server said: "␛\]0;pwned␇␛\[2J␊FAKE LINE"/);
    assertInert('error message', ui.message);
    assert.match(descriptionOf('dr-hostile') ?? '', /error: wrong username or password/);
    assertItemInert(nodeOf('dr-hostile')!);

    // The log channel's file: every entry one line, no ESC from the server anywhere in it.
    const logRoot = path.resolve(api.context.logUri.fsPath, '..', '..');
    const walk = (dir: string): string[] =>
      fs.existsSync(dir)
        ? fs.readdirSync(dir, { withFileTypes: true }).flatMap((e) => (e.isDirectory() ? walk(path.join(dir, e.name)) : [path.join(dir, e.name)]))
        : [];
    const file = await until('our log file', () => walk(logRoot).find((f) => /API Auth Explorer[^/]*\.log$/.test(f)));
    const text = await until('the refusal in the log', () => {
      const t = fs.readFileSync(file, 'utf8');
      return t.includes('FAKE LINE') ? t : undefined;
    });
    assert.ok(!/[\u001b\u0007\r]/.test(text), 'no raw ESC, BEL or CR in the log'); // eslint-disable-line no-control-regex
    for (const line of text.split('\n')) assert.ok(!line.startsWith('FAKE LINE'), `forged log line: ${line}`);
  });
});
