// The address of a PocketBase server, e.g. "https://chat.example.com" or "http://127.0.0.1:8090/pb":
// the one place that says what a person may type, what main and the web bridge accept and store, and
// which hosts may be named at all. The renderer turns what was typed into an address with
// serverUrlFromInput; main (server:set, settings, PALAVER_SERVER) and the web bridge keep only what
// normalizeServerUrl accepts, written the same way, so both sides compare addresses as equal strings.

/** Longer than any real address; keeps a pasted document out of settings and the CSP. */
export const MAX_SERVER_URL = 2048;

// A DNS name, an IPv4 address or a bracketed IPv6 address. The WHATWG URL parser lets through hosts
// such as "evil;script-src", which would inject a directive into the Content-Security-Policy that
// names the server; CSP host-sources allow only letters, digits, '-' and '.' (IDNs arrive punycoded
// from the parser), so nothing else is accepted.
const HOST = /^(?:[a-z0-9](?:[a-z0-9-]*[a-z0-9])?(?:\.[a-z0-9](?:[a-z0-9-]*[a-z0-9])?)*|\[[0-9a-f:.]+\])$/i;

/** True for a host name as URL's `hostname` gives it that can be written into a CSP and an address. */
export function isServerHost(hostname: string): boolean {
  return HOST.test(hostname);
}

/** True for an absolute http(s) URL without credentials whose host isServerHost accepts. */
export function isServerUrl(value: unknown): value is string {
  if (typeof value !== 'string' || value.length > MAX_SERVER_URL) return false;
  try {
    const url = new URL(value);
    return (
      (url.protocol === 'http:' || url.protocol === 'https:') &&
      !url.username &&
      !url.password &&
      isServerHost(url.hostname)
    );
  } catch {
    return false;
  }
}

/** The one written form of an address: no surrounding spaces, no trailing slashes. */
function written(value: string): string {
  return value.trim().replace(/\/+$/, '');
}

/**
 * What a person typed into the Server field, as an address: surrounding spaces and trailing slashes
 * dropped, and http:// added when no scheme is given. '' for nothing typed. The result is not checked
 * here: main (or the web bridge) refuses what normalizeServerUrl does not accept.
 */
export function serverUrlFromInput(input: string): string {
  const address = written(input);
  if (address === '') return '';
  return /^[a-z][a-z0-9+.-]*:\/\//i.test(address) ? address : `http://${address}`;
}

/**
 * The address as it is stored and compared, or null when it is not one (see isServerUrl). Written as
 * serverUrlFromInput writes it, so an address typed in the renderer comes back from main unchanged.
 */
export function normalizeServerUrl(value: unknown): string | null {
  if (typeof value !== 'string') return null;
  const address = written(value);
  return isServerUrl(address) ? address : null;
}
