// Avatars drawn locally: the user's own upload as a PocketBase thumbnail, else initials on a colour
// derived from the user id. Never a third-party avatar service.

export function initials(name: string, username: string): string {
  const source = name.trim() || username;
  const words = source.split(/[\s._-]+/).filter(Boolean);
  const letters = words.length >= 2 ? [words[0]!, words[1]!].map((w) => [...w][0]) : [...(words[0] ?? '?')].slice(0, 2);
  return letters.join('').toUpperCase();
}

/** A stable hue per user, so the same person always has the same colour. */
export function hue(id: string): number {
  let hash = 0;
  for (const char of id) hash = (hash * 31 + char.charCodeAt(0)) >>> 0;
  return hash % 360;
}
