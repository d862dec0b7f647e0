// Record ids chosen by the client before the first send attempt, in PocketBase's default id format
// (15 characters of a-z0-9), so a retried send after a lost response cannot create a second copy: the
// server answers "not unique" for an id it already stored.
const ALPHABET = 'abcdefghijklmnopqrstuvwxyz0123456789';

export function newRecordId(random: (bytes: Uint8Array<ArrayBuffer>) => Uint8Array = (b) => crypto.getRandomValues(b)): string {
  // 252 is the largest multiple of 36 below 256: rejecting bytes above it keeps every character equally likely.
  let id = '';
  while (id.length < 15) {
    for (const byte of random(new Uint8Array(32))) {
      if (byte < 252 && id.length < 15) id += ALPHABET[byte % 36];
    }
  }
  return id;
}
