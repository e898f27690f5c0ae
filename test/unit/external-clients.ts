// Clients nobody here wrote, for the gateway suites: the system `curl` and `python3` (urllib from the standard
// library; `requests` only when it is importable). Each runs as a child process started asynchronously, never with
// spawnSync: the gateway and the mock vendors live in this very process and must keep serving while a client waits.
//
// A missing curl or python3 is a failure with a clear message, not a silent skip: .ci/run installs both.
import { execFile, spawn } from 'node:child_process';

/** One answer as a client saw it: status, headers (names in lower case, repeated ones joined by "\n"), body text. */
export interface ClientAnswer {
  status: number;
  headers: Record<string, string>;
  body: string;
  /** The header block and the body, as one text to search for secrets. */
  raw: string;
}

/** What the clients on this machine can do. */
export interface Clients {
  curlVersion: string;
  /** curl ≥ 7.66 has `--parallel` and `--parallel-max`. */
  curlParallel: boolean;
  pythonVersion: string;
  /**
   * The interpreter `python3` on PATH runs (sys.executable). Run directly: a version-manager shim (pyenv) in front of
   * it costs a second per start.
   */
  pythonPath: string;
  /** The third-party `requests` package is importable (it is not on a fresh machine). */
  pythonRequests: boolean;
}

/** The environment of every client: ours without proxy variables, so nothing but loopback is ever contacted. */
function clientEnv(): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  for (const [k, v] of Object.entries(process.env)) if (!/_proxy$/i.test(k)) env[k] = v;
  return env;
}

interface Run {
  code: number | null;
  stdout: string;
  stderr: string;
}

function run(file: string, args: string[], input?: string, timeoutMs = 20_000): Promise<Run> {
  return new Promise((resolve, reject) => {
    const child = spawn(file, args, { env: clientEnv(), stdio: ['pipe', 'pipe', 'pipe'] });
    const out: Buffer[] = [];
    const err: Buffer[] = [];
    const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
    child.stdout.on('data', (c: Buffer) => out.push(c));
    child.stderr.on('data', (c: Buffer) => err.push(c));
    child.once('error', (e) => {
      clearTimeout(timer);
      reject(e);
    });
    child.once('close', (code) => {
      clearTimeout(timer);
      resolve({ code, stdout: Buffer.concat(out).toString('utf8'), stderr: Buffer.concat(err).toString('utf8') });
    });
    child.stdin.end(input ?? '');
  });
}

/** The first line a program prints for `args`, or null when it cannot be run (not installed). */
function probe(file: string, args: string[]): Promise<string | null> {
  return new Promise((resolve) => {
    execFile(file, args, { env: clientEnv(), timeout: 10_000 }, (err, stdout) => resolve(err ? null : String(stdout).split('\n')[0].trim()));
  });
}

let probed: Promise<Clients> | undefined;

/** Finds curl and python3, or fails saying how to install them. Probed once per run. */
export function requireClients(): Promise<Clients> {
  probed ??= (async () => {
    const [curlVersion, python, requests] = await Promise.all([
      probe('curl', ['--version']),
      probe('python3', ['-c', 'import sys, urllib.request, concurrent.futures; print(sys.version.split()[0], sys.executable)']),
      probe('python3', ['-c', 'import requests; print(requests.__version__)']),
    ]);
    const [pythonVersion, pythonPath] = python ? [python.slice(0, python.indexOf(' ')), python.slice(python.indexOf(' ') + 1)] : ['', ''];
    const missing = [curlVersion ? '' : 'curl', python ? '' : 'python3'].filter(Boolean);
    if (missing.length) {
      throw new Error(
        `${missing.join(' and ')} not found on PATH: the gateway client tests need ${missing.length > 1 ? 'them' : 'it'} (on Debian or Ubuntu: ` +
          `apt-get install -y --no-install-recommends ${missing.join(' ')}; .ci/run does this on a clean machine)`,
      );
    }
    const [major, minor] = (/^curl (\d+)\.(\d+)/.exec(curlVersion ?? '') ?? []).slice(1).map(Number);
    return {
      curlVersion: curlVersion ?? '',
      curlParallel: major > 7 || (major === 7 && minor >= 66),
      pythonVersion,
      pythonPath,
      pythonRequests: requests !== null,
    };
  })();
  return probed;
}

/** Splits `curl -i` output into the final answer's status, headers and body (interim 1xx blocks skipped). */
export function parseCurlInclude(out: string): ClientAnswer {
  let rest = out;
  for (;;) {
    const end = rest.indexOf('\r\n\r\n');
    if (!rest.startsWith('HTTP/') || end < 0) throw new Error(`not an HTTP answer: ${rest.slice(0, 80)}`);
    const block = rest.slice(0, end);
    const body = rest.slice(end + 4);
    const [statusLine, ...lines] = block.split('\r\n');
    const status = Number(statusLine.split(' ')[1]);
    if (status >= 100 && status < 200) {
      rest = body;
      continue;
    }
    const headers: Record<string, string> = {};
    for (const l of lines) {
      const i = l.indexOf(':');
      const name = l.slice(0, i).trim().toLowerCase();
      const value = l.slice(i + 1).trim();
      headers[name] = name in headers ? `${headers[name]}\n${value}` : value;
    }
    return { status, headers, body, raw: out };
  }
}

/** The options every curl run gets: no ~/.curlrc (`-q` must come first), quiet but errors shown, no proxy, bounded. */
const CURL_BASE = ['-q', '-sS', '--noproxy', '*', '--max-time', '15'];

/** Runs curl with `args` (after {@link CURL_BASE}) and `input` on stdin; the exit code, stdout and stderr as they are. */
export function curlRaw(args: string[], input?: string): Promise<Run> {
  return run('curl', [...CURL_BASE, ...args], input);
}

export interface ClientRequest {
  /** Python only: this request's library when not the run's. */
  lib?: 'urllib' | 'requests';
  method: string;
  url: string;
  headers?: Record<string, string>;
  body?: string;
}

/** One request with `curl -i`; fails when curl itself fails (exit code other than 0). */
export async function curl(req: ClientRequest, extra: string[] = []): Promise<ClientAnswer> {
  const args = ['-i', '-X', req.method, '-H', 'Expect:'];
  for (const [k, v] of Object.entries(req.headers ?? {})) args.push('-H', `${k}: ${v}`);
  if (req.body !== undefined) args.push('--data-binary', '@-');
  const r = await run('curl', [...CURL_BASE, ...args, ...extra, req.url], req.body);
  if (r.code !== 0) throw new Error(`curl exited with ${String(r.code)}: ${r.stderr.trim()}`);
  return parseCurlInclude(r.stdout);
}

// The Python client: reads {lib, parallel, requests: [{method, url, headers, body, lib?}]} on stdin, answers one JSON
// object {wallMs, peak, answers: [{status, headers: [[name, value]], body}]} on stdout. `peak` is the most requests
// this client had open at once. urllib raises HTTPError for 4xx/5xx: its status, headers and body are the answer.
const PY_CLIENT = String.raw`
import json, sys, threading, time
import urllib.request, urllib.error
from concurrent.futures import ThreadPoolExecutor

spec = json.load(sys.stdin)
opener = urllib.request.build_opener(urllib.request.ProxyHandler({}))
lock = threading.Lock()
state = {'open': 0, 'peak': 0}

def via_urllib(r):
    data = r['body'].encode('utf-8') if r.get('body') is not None else None
    req = urllib.request.Request(r['url'], data=data, headers=r.get('headers') or {}, method=r['method'])
    try:
        with opener.open(req, timeout=15) as res:
            return res.status, list(res.headers.items()), res.read()
    except urllib.error.HTTPError as e:
        return e.code, list(e.headers.items()), e.read()

def via_requests(r):
    import requests
    s = requests.Session()
    s.trust_env = False
    res = s.request(r['method'], r['url'], headers=r.get('headers') or {}, data=(r['body'].encode('utf-8') if r.get('body') is not None else None), timeout=15, allow_redirects=False)
    return res.status_code, list(res.headers.items()), res.content


def one(r):
    with lock:
        state['open'] += 1
        state['peak'] = max(state['peak'], state['open'])
    try:
        status, headers, body = (via_requests if r.get('lib', spec.get('lib')) == 'requests' else via_urllib)(r)
    finally:
        with lock:
            state['open'] -= 1
    return {'status': status, 'headers': headers, 'body': body.decode('utf-8', 'replace')}

t0 = time.monotonic()
if spec.get('parallel', 1) > 1:
    with ThreadPoolExecutor(max_workers=spec['parallel']) as pool:
        answers = list(pool.map(one, spec['requests']))
else:
    answers = [one(r) for r in spec['requests']]
json.dump({'wallMs': (time.monotonic() - t0) * 1000, 'peak': state['peak'], 'answers': answers}, sys.stdout)
`;

export interface PythonRun {
  answers: ClientAnswer[];
  /** The client's own wall time for all its requests, interpreter start excluded. */
  wallMs: number;
  /** The most requests the client had open at once. */
  peak: number;
}

/** Sends `requests` with python3 (`urllib`, or `requests` when asked), in order or with `parallel` threads. */
export async function python(requests: ClientRequest[], opts: { lib?: 'urllib' | 'requests'; parallel?: number } = {}): Promise<PythonRun> {
  const r = await run(
    (await requireClients()).pythonPath,
    ['-c', PY_CLIENT],
    JSON.stringify({ lib: opts.lib ?? 'urllib', parallel: opts.parallel ?? 1, requests }),
  );
  if (r.code !== 0) throw new Error(`python3 exited with ${String(r.code)}: ${r.stderr.trim().split('\n').slice(-3).join(' | ')}`);
  const out = JSON.parse(r.stdout) as { wallMs: number; peak: number; answers: { status: number; headers: [string, string][]; body: string }[] };
  const answers = out.answers.map((a) => {
    const headers: Record<string, string> = {};
    for (const [k, v] of a.headers) {
      const name = k.toLowerCase();
      headers[name] = name in headers ? `${headers[name]}\n${v}` : v;
    }
    const raw = `${a.headers.map(([k, v]) => `${k}: ${v}`).join('\r\n')}\r\n\r\n${a.body}`;
    return { status: a.status, headers, body: a.body, raw };
  });
  return { answers, wallMs: out.wallMs, peak: out.peak };
}

/** A gateway as the clients see it: its base URLs and key. */
export interface GatewayUrls {
  key: string;
  baseUrl(id: string): string;
  keyedBaseUrl(id: string): string;
}

/**
 * The same request through every client and both ways of giving the key: curl and python3 urllib with the
 * `X-Api-Auth-Key` header and with the `/~KEY/<id>/` URL, and python3 `requests` when it is importable.
 * `rest` is the path after the connection's base URL (no leading slash). Each answer is labelled with its client.
 */
export async function viaEveryClient(
  gw: GatewayUrls,
  id: string,
  req: { method: string; rest: string; headers?: Record<string, string>; body?: string },
): Promise<[string, ClientAnswer][]> {
  const clients = await requireClients();
  const keyed: ClientRequest = { method: req.method, url: gw.baseUrl(id) + req.rest, headers: { ...req.headers, 'X-Api-Auth-Key': gw.key }, body: req.body };
  const inUrl: ClientRequest = { method: req.method, url: gw.keyedBaseUrl(id) + req.rest, headers: req.headers, body: req.body };
  const out: [string, ClientAnswer][] = [
    ['curl, key header', await curl(keyed)],
    ['curl, ~KEY URL', await curl(inUrl)],
  ];
  // One interpreter start for all Python variants: starting python3 is the slow part.
  const py = await python(clients.pythonRequests ? [keyed, inUrl, { ...keyed, lib: 'requests' }] : [keyed, inUrl]);
  out.push(['python3 urllib, key header', py.answers[0]], ['python3 urllib, ~KEY URL', py.answers[1]]);
  if (clients.pythonRequests) out.push(['python3 requests, key header', py.answers[2]]);
  return out;
}
