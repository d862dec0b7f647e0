// The server rail's decisions from plain values: which server Ctrl/Cmd+1…9 opens, which server a room
// asked for by a notification or a link belongs to, and the app's badge over every server.
import { findServer, type ServerList } from '../../../src-shared/server-list.ts';
import type { KeyPress } from './keyboard-shortcuts.ts';

/** The position (0…8) Ctrl/Cmd+1…9 asks for, or null for any other key. */
export function serverShortcut(press: KeyPress, apple: boolean): number | null {
  if (press.isComposing || press.altKey || press.shiftKey) return null;
  const command = apple ? press.metaKey && !press.ctrlKey : press.ctrlKey && !press.metaKey;
  if (!command || !/^[1-9]$/.test(press.key)) return null;
  return Number(press.key) - 1;
}

/**
 * The server (its address as added) a room to open belongs to: the one the request named, else the
 * one open now (a link from before several servers). Null: a server not added, so nothing opens.
 */
export function serverOfRoom(asked: string | undefined, list: Pick<ServerList, 'servers' | 'active'>): string | null {
  if (asked === undefined) return list.active;
  return findServer({ servers: list.servers, active: list.active }, asked)?.url ?? null;
}

/** The tray, dock and title count: every server's own badge, summed. */
export function badgeTotal(counts: Iterable<number>): number {
  let total = 0;
  for (const count of counts) total += Number.isFinite(count) && count > 0 ? count : 0;
  return total;
}

/**
 * Two characters that stand for a server on its button: its name's start (chat.example.com: "ch",
 * www.example.com: "ex"), or for an address by number (127.0.0.1:8091, [::1]:8090) or localhost, the
 * end of its port or address, since those all begin alike. The button's name says the whole host.
 */
export function serverInitials(url: string): string {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return '?';
  }
  const host = parsed.hostname;
  const numeric = /^[\d.]+$/.test(host) || host.startsWith('[') || host === 'localhost';
  if (numeric) return (parsed.port || host.replace(/[^\da-f]/gi, '')).slice(-2);
  const labels = host.split('.');
  const first = labels[0] === 'www' && labels.length > 2 ? labels[1]! : labels[0]!;
  return first.slice(0, 2);
}
