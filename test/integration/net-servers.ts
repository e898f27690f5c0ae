// A plain Node child process that hosts the loopback servers of the network suite (extension-5-network.test.ts):
// mock vendors on 127.0.0.2 and the logging forward proxy. They must NOT run inside the extension host, because
// VS Code patches `http`/`https` there (@vscode/proxy-agent): with `http.proxy` set, the proxy's own upstream request
// for a plain-http call would be sent to the proxy again (a loop), and a server process is not what the suite tests.
// Started with child_process.fork by network.ts; one JSON message per command over the IPC channel:
//   → {id, cmd: 'vendors', opts}   ← {id, ok, value: {url, httpsUrl}}
//   → {id, cmd: 'proxy', opts}     ← {id, ok, value: {key, url}}
//   → {id, cmd: 'log', key}        ← {id, ok, value: string[]}  (the proxy's log so far)
//   → {id, cmd: 'close'}           ← {id, ok}, then the process exits
// It exits on its own when the IPC channel closes (the extension host went away).
import { type MockVendorsOptions, startMockVendors } from '../mock-vendors/server';
import { startTestProxy, type TestProxy, type TestProxyOptions } from '../mock-vendors/proxy';

export type NetCommand =
  | { id: number; cmd: 'vendors'; opts: MockVendorsOptions }
  | { id: number; cmd: 'proxy'; opts: TestProxyOptions }
  | { id: number; cmd: 'log'; key: string }
  | { id: number; cmd: 'close' };

export interface NetAnswer {
  id: number;
  ok: boolean;
  value?: unknown;
  error?: string;
}

const closers: (() => Promise<void>)[] = [];
const proxies = new Map<string, TestProxy>();

async function perform(msg: NetCommand): Promise<unknown> {
  switch (msg.cmd) {
    case 'vendors': {
      const mock = await startMockVendors(msg.opts);
      closers.push(() => mock.close());
      return { url: mock.url, httpsUrl: mock.httpsUrl };
    }
    case 'proxy': {
      const proxy = await startTestProxy(msg.opts);
      const key = String(proxies.size + 1);
      proxies.set(key, proxy);
      closers.push(() => proxy.close());
      return { key, url: proxy.url };
    }
    case 'log': {
      const proxy = proxies.get(msg.key);
      if (!proxy) throw new Error(`no proxy ${msg.key}`);
      return [...proxy.log];
    }
    case 'close':
      await Promise.all(closers.splice(0).map((c) => c()));
      return undefined;
  }
}

if (require.main === module) {
  process.on('message', (msg: NetCommand) => {
    void perform(msg).then(
      (value) => {
        process.send?.({ id: msg.id, ok: true, value } satisfies NetAnswer);
        if (msg.cmd === 'close') process.disconnect();
      },
      (e: unknown) => process.send?.({ id: msg.id, ok: false, error: e instanceof Error ? e.message : String(e) } satisfies NetAnswer),
    );
  });
  process.on('disconnect', () => {
    void Promise.all(closers.splice(0).map((c) => c())).finally(() => process.exit(0));
  });
}
