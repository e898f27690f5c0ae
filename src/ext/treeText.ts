// Text of the Connections tree that does not depend on its state: one-line items and the cause of an error sentence.
import type * as vscode from 'vscode';
import { oneLineText } from '../core/untrusted';

/**
 * `item` with its label, description and plain-text tooltip as one line each: claims, user names and error messages
 * come from servers. Markdown tooltips are neutralised by escapeMarkdown / codeSpan as they are built.
 */
export function oneLineItem(item: vscode.TreeItem): vscode.TreeItem {
  if (typeof item.label === 'string') item.label = oneLineText(item.label);
  else if (item.label) item.label = { ...item.label, label: oneLineText(item.label.label) };
  if (typeof item.description === 'string') item.description = oneLineText(item.description);
  if (typeof item.tooltip === 'string') item.tooltip = oneLineText(item.tooltip);
  return item;
}

/** The cause part of a "Connection "x": cause (server said …); next step." sentence. */
export function shortCause(message: string): string {
  const m = /^Connection "[^"]*": (.*?)(?: \(server said|;)/.exec(message);
  return m ? m[1] : message;
}
