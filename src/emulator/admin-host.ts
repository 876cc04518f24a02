/**
 * The `Host` check of the admin endpoints. A page on `attacker.example` whose DNS answer turns into
 * 127.0.0.1 (DNS rebinding) talks to the emulator from loopback and same-origin, so the peer address
 * and CORS cannot tell it apart; only the name the browser thinks it is talking to can.
 */

/** The hostname of a `Host` header (`[::1]:8080` → `[::1]`), lower case; undefined if unparseable. */
function hostname(host: string | undefined): string | undefined {
  if (host === undefined || host === '') return undefined;
  try {
    const url = new URL(`http://${host}/`);
    // `user@host` or a path smuggled into the header is not a host name.
    return url.username === '' && url.pathname === '/' && url.search === '' ? url.hostname.toLowerCase() : undefined;
  } catch {
    return undefined;
  }
}

/**
 * Whether an admin request's `Host` header names this machine: `localhost` (and `*.localhost`,
 * which browsers never resolve through DNS), an IPv4 loopback literal, `[::1]`, or one of
 * `allowedHosts` (compared without the port, case-insensitively).
 *
 * @example
 * ```ts
 * isAdminHost('127.0.0.1:8080', []); // true
 * isAdminHost('attacker.example', []); // false
 * isAdminHost('emulator.test:8080', ['emulator.test']); // true
 * ```
 */
export function isAdminHost(host: string | undefined, allowedHosts: readonly string[]): boolean {
  const name = hostname(host);
  if (name === undefined) return false;
  if (name === 'localhost' || name.endsWith('.localhost') || name === '[::1]') return true;
  if (/^127\.\d{1,3}\.\d{1,3}\.\d{1,3}$/.test(name)) return true;
  return allowedHosts.some((allowed) => allowed.toLowerCase() === name);
}
