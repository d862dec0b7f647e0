// PocketBase's default record id: exactly 15 characters of a-z0-9 (every collection here uses it). The
// one place that checks and makes them: main checks ids that arrive by IPC and palaver:// links, the
// renderer chooses message ids before the first send attempt, so a retried send after a lost answer
// cannot create a second copy (the server answers "not unique" for an id it already stored).

export const RECORD_ID_LENGTH = 15;
const ALPHABET = 'abcdefghijklmnopqrstuvwxyz0123456789';
const RECORD_ID = new RegExp(`^[a-z0-9]{${RECORD_ID_LENGTH}}$`);

/** True for a PocketBase record id in the default format, nothing else. */
export function isRecordId(value: unknown): value is string {
  return typeof value === 'string' && RECORD_ID.test(value);
}

export function newRecordId(
  random: (bytes: Uint8Array<ArrayBuffer>) => Uint8Array = (b) => crypto.getRandomValues(b),
): string {
  // 252 is the largest multiple of 36 below 256: rejecting bytes above it keeps every character equally likely.
  let id = '';
  while (id.length < RECORD_ID_LENGTH) {
    for (const byte of random(new Uint8Array(32))) {
      if (byte < 252 && id.length < RECORD_ID_LENGTH) id += ALPHABET[byte % 36];
    }
  }
  return id;
}
