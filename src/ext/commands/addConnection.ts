// The Add Connection wizard: vendor, name, URL, login kind and the vendor's own fields, then the settings scope and
// the secret (which goes to secret storage only, never to settings). Bundled as a chunk of its own, dist/guide.js,
// required on first use (index.ts): most windows never add a connection. The adapters are handed in, so that the
// chunk does not carry a second copy of them.
import * as vscode from 'vscode';
import { AuthError } from '../../core/errors';
import { AUTH_KIND_TEXT, AUTH_KINDS, type AuthKind, type ConnectionConfig, type TlsOptions, type VendorId, VENDORS } from '../../core/types';
import { slug } from '../../core/util';
import { baseUrlProblems, validateConnection } from '../../engine/config';
import type { Adapters } from '../../vendors';
import type { Scope } from '../connections';
import { Commands } from '../constants';
import { notStored } from './connections';
import type { CommandDeps } from './deps';
import { ours } from '../../core/wording';

const VENDOR_HINTS: Record<VendorId, { url: string; detail: string }> = {
  cove: { url: 'https://api.backup.management/jsonapi', detail: 'JSON-RPC Login → 15-minute sliding visa' },
  commvault: { url: 'https://commserve.example.com/webconsole/api', detail: 'POST /Login → Authtoken: QSDK …, 30-minute idle expiry' },
  ipcortex: { url: 'https://pabx.example.com', detail: 'Session cookie Red60urne, or an API key' },
  code42: { url: 'https://console.us.code42.com', detail: 'v3 token (with TOTP two-factor) or Basic' },
  datarhei: { url: 'http://127.0.0.1:8080', detail: 'JWT access + refresh tokens, or Auth0' },
};

async function ask(options: vscode.InputBoxOptions): Promise<string> {
  const v = await vscode.window.showInputBox({ ignoreFocusOut: true, ...options });
  if (v === undefined) throw new AuthError('cancelled', 'cancelled');
  return v.trim();
}

async function choose<T extends vscode.QuickPickItem>(items: T[], placeHolder: string, title: string): Promise<T> {
  const v = await vscode.window.showQuickPick(items, { placeHolder, title, ignoreFocusOut: true });
  if (!v) throw new AuthError('cancelled', 'cancelled');
  return v;
}

async function pickFile(title: string, openLabel: string, filters: Record<string, string[]>): Promise<string> {
  const picked = await vscode.window.showOpenDialog({ title, openLabel, canSelectMany: false, filters });
  if (!picked?.[0]) throw new AuthError('cancelled', 'cancelled');
  return picked[0].fsPath;
}

/**
 * How the server's certificate is trusted, and whether a client certificate is presented (mutual TLS). File paths go
 * to settings; a key's passphrase is asked at the first login and kept in secret storage.
 */
async function askTls(title: string): Promise<TlsOptions | undefined> {
  const trust = await choose(
    [
      { label: 'Verify the server certificate', detail: 'Recommended: the system and Node roots', id: 'verify' as const },
      { label: 'Trust a CA certificate file…', detail: "A PEM file with your organisation's CA (in addition to the default roots)", id: 'ca' as const },
      { label: 'Accept a self-signed certificate', detail: 'On-prem servers with their own certificate (this connection only)', id: 'any' as const },
    ],
    'TLS: how is the server certificate trusted?',
    title,
  );
  const tls: TlsOptions = {};
  if (trust.id === 'ca') tls.caFile = await pickFile(title, 'Trust this CA', { 'PEM certificates': ['pem', 'crt', 'cer'], 'All files': ['*'] });
  if (trust.id === 'any') tls.rejectUnauthorized = false;
  const client = await choose(
    [
      { label: 'No client certificate', detail: 'Most servers', id: 'none' as const },
      { label: 'Client certificate and key (PEM)…', detail: 'Mutual TLS: two files', id: 'pem' as const },
      { label: 'Client certificate (PKCS#12 .pfx / .p12)…', detail: 'Mutual TLS: one file', id: 'pfx' as const },
    ],
    'TLS: does the server ask for a client certificate?',
    title,
  );
  if (client.id === 'pem') {
    tls.certFile = await pickFile(title, 'Use this certificate', { 'PEM certificates': ['pem', 'crt', 'cer'], 'All files': ['*'] });
    tls.keyFile = await pickFile(title, 'Use this private key', { 'PEM keys': ['pem', 'key'], 'All files': ['*'] });
  }
  if (client.id === 'pfx') tls.pfxFile = await pickFile(title, 'Use this certificate', { 'PKCS#12': ['pfx', 'p12'], 'All files': ['*'] });
  return Object.keys(tls).length ? tls : undefined;
}

export async function addConnection(d: CommandDeps, ADAPTERS: Adapters): Promise<void> {
  const title = 'Add API Connection';
  const vendor = (
    await choose(
      VENDORS.map((v) => ({ label: ADAPTERS[v].displayName, detail: VENDOR_HINTS[v].detail, vendor: v })),
      'Which vendor API?',
      `${title} (1/4)`,
    )
  ).vendor;
  const adapter = ADAPTERS[vendor];
  const taken = d.store.allIds();
  const label = await ask({
    title: `${title} (2/4)`,
    prompt: 'A name for this connection',
    value: `${adapter.displayName}`,
    validateInput: (v) => (v.trim() ? undefined : 'A name is needed.'),
  });
  const base = slug(label.toLowerCase()) || vendor;
  let suggested = base;
  for (let i = 2; taken.has(suggested); i++) suggested = `${base}-${i}`;
  const baseUrl = await ask({
    title: `${title} (3/4)`,
    prompt: vendor === 'cove' ? 'JSON-RPC endpoint URL' : vendor === 'commvault' ? 'Web-service root URL' : 'Base URL of the API',
    value: VENDOR_HINTS[vendor].url,
    // The settings' own rule (no password, secret query or fragment in it), so that the entry written is valid.
    validateInput: (v) => baseUrlProblems(v)[0],
  });
  let auth: AuthKind = adapter.authKinds[0];
  if (adapter.authKinds.length > 1) {
    auth = (
      await choose(
        adapter.authKinds.map((k) => ({ label: AUTH_KIND_TEXT[k], auth: k })),
        'How do you log in?',
        `${title} (3/4)`,
      )
    ).auth;
  }
  const conn: ConnectionConfig = { id: suggested, label, vendor, baseUrl };
  if (auth !== adapter.authKinds[0] && (AUTH_KINDS as readonly string[]).includes(auth)) conn.auth = auth;
  if (vendor === 'cove') {
    conn.partner = await ask({
      title: `${title} (3/4)`,
      prompt: 'Partner (customer) name exactly as the console shows it, e.g. "Acme Corp (admin@acme.com)"',
      validateInput: (v) => (v.trim() ? undefined : 'The partner name is needed.'),
    });
  }
  if (auth !== 'apiKey' && auth !== 'auth0') {
    conn.username = await ask({ title: `${title} (3/4)`, prompt: 'Username', validateInput: (v) => (v.trim() ? undefined : 'The username is needed.') });
  }
  if (vendor === 'commvault') {
    // A `DOMAIN\user` username already names its domain (giving both is refused by the adapter's validation).
    if (!conn.username?.includes('\\')) {
      const domain = await ask({ title: `${title} (3/4)`, prompt: 'AD domain (leave empty for a local user; or write the username as DOMAIN\\user)' });
      if (domain) conn.domain = domain;
    }
    conn.format = (
      await choose(
        [
          { label: 'JSON', format: 'json' as const },
          { label: 'XML', format: 'xml' as const },
        ],
        'Wire format',
        `${title} (3/4)`,
      )
    ).format;
  }
  if (baseUrl.startsWith('https:')) {
    const tls = await askTls(`${title} (3/4)`);
    if (tls) conn.tls = tls;
  }
  // The same check as the settings get (common fields, then the vendor's own rules).
  const problems = validateConnection(conn, ADAPTERS);
  if (problems.length) throw new AuthError('config', problems.join('; '));
  let scope: Scope = 'user';
  if (vscode.workspace.workspaceFolders?.length) {
    scope = (
      await choose(
        [
          { label: 'User settings', detail: 'Available in every workspace', scope: 'user' as const },
          { label: 'Workspace settings', detail: 'Only this workspace (.vscode/settings.json)', scope: 'workspace' as const },
        ],
        'Where should the connection be saved? (the secret always goes to secret storage)',
        `${title} (4/4)`,
      )
    ).scope;
  }
  await d.store.add(conn, scope);
  d.log.info('command', ours(`added connection "${conn.id}" (${vendor}) to ${scope} settings`));
  const secretLabel = adapter.secretLabel(auth);
  const secret = await vscode.window.showInputBox({
    title: `${title} (4/4): ${secretLabel}`,
    prompt: `Stored only in VS Code's secret storage. Press Escape to skip: you will be asked at login.`,
    password: true,
    ignoreFocusOut: true,
  });
  if (secret) {
    d.log.remember(secret);
    if (!(await d.vault.setSecret(conn, secret))) notStored(conn, secretLabel);
  }
  const next = await vscode.window.showInformationMessage(`Connection "${label}" added.`, 'Log In Now');
  if (next) await vscode.commands.executeCommand(Commands.login, conn.id);
}
