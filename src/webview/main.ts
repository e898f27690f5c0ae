// The Token Details page (bundled to media/webview.js, runs inside the webview). It only renders what the extension
// posts (render.ts); live parts (live.ts) are recomputed from absolute times every second, using the extension's
// clock (`now` of the last message) so a skewed page clock does not matter.
import { parseToPage } from '../shared/protocol';
import { notice, showToken, syncBusy } from './actions';
import { render } from './render';
import { page, vscode } from './state';

window.addEventListener('message', (event: MessageEvent<unknown>) => {
  const msg = parseToPage(event.data);
  if (!msg) return;
  switch (msg.type) {
    case 'session': {
      const previous = page.view;
      page.skew = msg.now - Date.now();
      page.view = msg.view;
      page.busy = null;
      // A different token (or none) hides a revealed one.
      if (previous?.token?.masked !== msg.view?.token?.masked || previous?.connectionId !== msg.view?.connectionId) page.revealed = null;
      if (msg.view) vscode.setState({ connectionId: msg.view.connectionId });
      render();
      return;
    }
    case 'revealed':
      page.revealed = msg.token;
      showToken();
      return;
    case 'notice':
      page.busy = null;
      syncBusy();
      notice(msg.text);
      return;
  }
});

vscode.postMessage({ type: 'ready' });
