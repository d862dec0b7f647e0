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
 * dropped, and a scheme added when none is given: https://, except for a loopback or private-network
 * host (see isLocalNetworkHost), where a development or home server usually has no certificate. ''
 * for nothing typed. The result is not checked here: main (or the web bridge) refuses what
 * normalizeServerUrl does not accept.
 */
export function serverUrlFromInput(input: string): string {
  const address = written(input);
  if (address === '') return '';
  if (/^[a-z][a-z0-9+.-]*:\/\//i.test(address)) return address;
  let hostname = '';
  try {
    hostname = new URL(`http://${address}`).hostname;
  } catch {
    // Not an address at all: https:// is as good a guess as any, and main refuses it either way.
  }
  return `${hostname !== '' && isLocalNetworkHost(hostname) ? 'http' : 'https'}://${address}`;
}

/** The first two numbers of a dotted IPv4 address (all that decides here), or null. */
function ipv4(hostname: string): [number, number] | null {
  const parts = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})$/.exec(hostname);
  if (!parts) return null;
  const bytes = parts.slice(1).map(Number);
  return bytes.every((byte) => byte <= 255) ? [Number(parts[1]), Number(parts[2])] : null;
}

function isLocalIpv4([a, b]: [number, number]): boolean {
  return (
    a === 127 || // loopback
    a === 10 ||
    (a === 172 && b >= 16 && b <= 31) ||
    (a === 192 && b === 168) ||
    (a === 169 && b === 254) // link-local
  );
}

/** The eight 16-bit groups of an IPv6 address as URL writes it (hex groups, `::` compressed), or null. */
function ipv6(address: string): number[] | null {
  const [before = '', after, ...more] = address.split('::');
  if (more.length > 0) return null;
  const groups = (half: string) => (half === '' ? [] : half.split(':'));
  const head = groups(before);
  const tail = after === undefined ? [] : groups(after);
  const missing = 8 - head.length - tail.length;
  if (after === undefined ? missing !== 0 : missing < 1) return null;
  const all = [...head, ...Array<string>(after === undefined ? 0 : missing).fill('0'), ...tail];
  return all.every((group) => /^[0-9a-f]{1,4}$/i.test(group)) ? all.map((group) => parseInt(group, 16)) : null;
}

function isLocalIpv6(groups: number[]): boolean {
  const group = (index: number) => groups[index] ?? 0;
  const zeros = (from: number, to: number) => groups.slice(from, to).every((value) => value === 0);
  if (zeros(0, 7) && group(7) === 1) return true; // ::1, loopback
  // IPv4-mapped: the IPv4 address decides.
  if (zeros(0, 5) && group(5) === 0xffff) return isLocalIpv4([group(6) >> 8, group(6) & 0xff]);
  return (group(0) & 0xfe00) === 0xfc00 || (group(0) & 0xffc0) === 0xfe80; // unique local, link-local
}

/**
 * True for a host that is this computer or on its own network: localhost, loopback, private and
 * link-local IPv4 and IPv6 addresses, and `.local` (multicast DNS) names. Traffic to them does not
 * cross the internet, so plain http:// to them needs no warning; to any other host it could be read
 * on the way.
 */
export function isLocalNetworkHost(hostname: string): boolean {
  const host = hostname.toLowerCase().replace(/\.$/, '');
  if (host === 'localhost' || host.endsWith('.localhost') || host.endsWith('.local')) return true;
  const v4 = ipv4(host);
  if (v4) return isLocalIpv4(v4);
  const v6 = host.startsWith('[') && host.endsWith(']') ? ipv6(host.slice(1, -1)) : null;
  return v6 !== null && isLocalIpv6(v6);
}

/**
 * True when signing in at the address would send the password unencrypted across networks nobody
 * vouches for: plain http:// to a host that is not local (isLocalNetworkHost). The sign-in form sends
 * nothing there until the person has confirmed, for this exact address, that they accept the risk.
 */
export function needsPlainHttpConsent(serverUrl: string): boolean {
  try {
    const url = new URL(serverUrl);
    return url.protocol === 'http:' && !isLocalNetworkHost(url.hostname);
  } catch {
    return false;
  }
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
