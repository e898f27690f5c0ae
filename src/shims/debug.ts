// Stand-in for `debug` (pulled in by https-proxy-agent through axios): a no-op logger factory. Our own logging
// goes through the redacting log channel; a DEBUG=* environment must not print request details elsewhere.
type Logger = ((...args: unknown[]) => void) & { enabled: boolean; extend: () => Logger };
function createDebug(): Logger {
  const log = (() => undefined) as unknown as Logger;
  log.enabled = false;
  log.extend = createDebug;
  return log;
}
export default createDebug;
