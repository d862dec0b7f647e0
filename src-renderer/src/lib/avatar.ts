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

/** Initials and hue together, as a face without a picture shows them. */
export interface Face {
  initials: string;
  hue: number;
}

const faces = new Map<string, Face>();
const FACES_KEPT = 2_000;

/**
 * A person's face, worked out once: a page of messages draws one for nearly every message and five for
 * every thread summary, mostly of the same few people, in code the engine has not compiled yet when a
 * room is opened after a reload.
 */
export function faceOf(id: string, name: string, username: string): Face {
  const key = `${id}\n${name}\n${username}`;
  let face = faces.get(key);
  if (!face) {
    if (faces.size >= FACES_KEPT) faces.clear();
    face = { initials: initials(name, username), hue: hue(id) };
    faces.set(key, face);
  }
  return face;
}
