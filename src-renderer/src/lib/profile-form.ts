// What a profile may hold, checked before anything is sent, so a mistake is named next to its field at
// once and a too-large picture is never uploaded. The server checks the same (users migration, and
// pb_hooks/users.pb.js for names); profile-api.server.test.ts holds these limits to the server's.

/** The users collection's `name` max, in characters. */
export const NAME_MAX = 64;
/** The users collection's `avatar` maxSize. */
export const AVATAR_MAX_BYTES = 2 * 1024 * 1024;
/** The users collection's `avatar` mimeTypes: no SVG, which can carry script. */
export const AVATAR_TYPES: readonly string[] = ['image/jpeg', 'image/png', 'image/gif', 'image/webp'];
/** For a file input's `accept`. */
export const AVATAR_ACCEPT = AVATAR_TYPES.join(',');

// Tabs and line breaks in a pasted name become spaces (the server does the same); other control
// characters and direction overrides/isolates are refused, as the server refuses them.
const WHITESPACE_CONTROLS = /[\t\n\r\u000B\u000C\u0085]+/g;
const FORBIDDEN = /[\u0000-\u0008\u000E-\u001F\u007F-\u0084\u0086-\u009F\u202A-\u202E\u2066-\u2069]/;

/** The name as it will be stored: one line, trimmed. */
export function tidyName(input: string): string {
  return input.replace(WHITESPACE_CONTROLS, ' ').trim();
}

/** What is wrong with a display name, or '' when it can be saved. An empty name is fine: the username shows. */
export function nameProblem(input: string): string {
  const name = tidyName(input);
  if (FORBIDDEN.test(name))
    return 'Names cannot contain control characters or characters that change the text direction.';
  const length = [...name].length;
  if (length > NAME_MAX) return `Use at most ${NAME_MAX} characters (this name has ${length}).`;
  return '';
}

function megabytes(bytes: number): string {
  return `${Number((bytes / (1024 * 1024)).toFixed(1))} MB`;
}

/** What is wrong with a chosen picture file, or '' when it may be uploaded. */
export function avatarProblem(file: Pick<File, 'name' | 'type' | 'size'>): string {
  if (!AVATAR_TYPES.includes(file.type)) {
    return `“${file.name}” is not a JPEG, PNG, GIF or WebP picture. Choose one of those.`;
  }
  if (file.size > AVATAR_MAX_BYTES) {
    return `“${file.name}” is ${megabytes(file.size)}; a picture can be at most ${megabytes(AVATAR_MAX_BYTES)}. Choose a smaller one.`;
  }
  return '';
}
