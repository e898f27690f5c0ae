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
  api-auth decode TOKEN|- [--json]           decode a JWT (header, claims, human times, exi)
  api-auth help                              this text

  METHOD is ${METHODS}; PATH (e.g. /api/v3/process) is joined to the
  connection's baseUrl. A path that would leave that server or climb above the baseUrl path (a full
  URL to another host, //host, \\\\host, ..) is refused: the credentials go only to the configured server.

Options:
  --config FILE     connections file {"connections":[…]} (default ./api-auth.json)
  --secret-stdin    read the password / API key / Auth0 token from standard input
                    (else $API_AUTH_SECRET, else a prompt without echo on a terminal)
  --totp CODE       two-factor code (Code42); without it a terminal asks, else the login exits 4
  --proxy URL       send through this HTTP proxy, http://[user:password@]host:port (password
                    percent-encoded); --proxy none: connect directly. Without it: the connection's
                    "proxy" (a URL, or false for direct), else $HTTPS_PROXY (https:// servers) or
                    $HTTP_PROXY (http://), else $ALL_PROXY, unless $NO_PROXY lists the host
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
