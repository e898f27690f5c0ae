// The only module that takes VS Code's SecretStorage: activate() hands `context.secrets` to this vault and to
// nothing else. Keys, the binding of every value to its server and account, the checks of stored sessions and the
// guarded storage calls are the engine's SecretVault (src/engine/secretVault.ts); values are never logged.
import type * as vscode from 'vscode';
import { SecretVault } from '../engine/secretVault';

export class Vault extends SecretVault {
  constructor(secrets: vscode.SecretStorage, warn: (msg: string) => void) {
    super(secrets, warn);
  }
}
