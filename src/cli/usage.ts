// The text of `api-auth --help` (also printed, to standard error, when no command is given).
import { HTTP_METHODS } from '../core/http';

const METHODS = `${HTTP_METHODS.slice(0, -1).join(', ')} or ${HTTP_METHODS[HTTP_METHODS.length - 1]}`;

export const USAGE = `api-auth — log in to vendor APIs (Cove, Commvault, IPCortex, Code42, datarhei Core)

Usage:
  api-auth list                              list the connections in the config file
  api-auth login ID [--json]                 log in and print the session
  api-auth request ID METHOD PATH [--data JSON] [--json] [--raw]
                                             log in, send one REST request, print the answer
  api-auth rpc ID METHOD [--params JSON] [--json] [--raw]
                                             log in, send one JSON-RPC call (Cove), print the answer
  api-auth token ID [--header]               print a fresh token (or the header line Name: value) and
                                             nothing else: curl -H "Authorization: Bearer $(api-auth token ID)"
  api-auth gateway [ID…] [--port N] [--allow-origin ORIGIN]… [--env]
                                             run the loopback auth gateway for these connections (default:
                                             all); prints each base URL and the key, logs one line per
                                             request, Ctrl+C stops it
  api-auth decode TOKEN|- [--json]           decode a JWT (header, claims, human times, exi)
  api-auth help                              this text

  METHOD is ${METHODS}; PATH (e.g. /api/v3/process) is joined to the
  connection's baseUrl. A path that would leave that server or climb above the baseUrl path (a full
  URL to another host, //host, \\\\host, ..) is refused: the credentials go only to the configured server.

  In a VS Code terminal of a window whose auth gateway runs ($API_AUTH_GATEWAY and
  $API_AUTH_GATEWAY_KEY are set), token, request and rpc use the window's session for the
  connections it exposes: no login, no prompt. Otherwise (or with --no-gateway) they log in here.

  The gateway: plain HTTP on 127.0.0.1 only. Each request needs the key (header X-Api-Auth-Key, or
  /~KEY/ as the first path segment); Host must be 127.0.0.1:PORT or localhost:PORT; a browser
  Origin is refused unless --allow-origin names it. Each exposed connection is logged in at the
  start; one whose login is refused stays exposed and answers 401 (loginNeeded); when none can
  be logged in the gateway does not start. --secret-stdin reads one line per exposed connection,
  in order; $API_AUTH_SECRET is used for all; else a prompt asks for each.

Options:
  --config FILE     connections file {"connections":[…]} (default ./api-auth.json)
  --secret-stdin    read the password / API key / Auth0 token from standard input
                    (else $API_AUTH_SECRET, else a prompt without echo on a terminal)
  --totp CODE       two-factor code (Code42); without it a terminal asks, else the login exits 4
  --proxy URL       send through this HTTP proxy, http://[user:password@]host:port (password
                    percent-encoded); --proxy none: connect directly. Without it: the connection's
                    "proxy" (a URL, or false for direct), else $HTTPS_PROXY (https:// servers) or
                    $HTTP_PROXY (http://), else $ALL_PROXY, unless $NO_PROXY lists the host
  --port N          gateway: listen on this port (default: one the system picks)
  --allow-origin O  gateway: let this browser origin through (exact, e.g. http://localhost:5173)
  --env             gateway: print export API_AUTH_GATEWAY=… lines (with the key) instead
  --header          token: print the header line (Authorization: Bearer …, Cookie: …) instead
  --no-gateway      token / request / rpc: ignore the terminal's gateway and log in here
  --json            print one JSON object
  --raw             print the answer of request / rpc as it came: without it, the values of
                    secret-named fields (password, secret, token, key, passphrase, credentials…,
                    in JSON and XML, at any depth) are printed as ‹masked›
  -h, --help        this text

Client certificates (tls.certFile + tls.keyFile, or tls.pfxFile, in the config file):
  the passphrase of an encrypted key comes from $API_AUTH_TLS_PASSPHRASE, else a prompt
  without echo on a terminal

Exit codes: 0 ok
            2 usage or config error (also: no secret entered at the prompt)
            3 credentials rejected (wrong password / API key, account locked, session no longer accepted)
            4 two-factor code required or rejected (pass --totp CODE)
            5 network / TLS / timeout
            6 unexpected response: an HTTP error status, a JSON-RPC error, a call the account is not
              allowed to make (authenticated but forbidden, e.g. Cove 13501), an answer that is not JSON
            130 interrupted with Ctrl+C at a prompt`;
