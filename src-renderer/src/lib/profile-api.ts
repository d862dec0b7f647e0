// Saving the signed-in person's profile: their display name and picture. Only the owner may change a
// profile (users updateRule); the answer is the stored record, or a problem with field errors named as
// the form names them. Tested against a real PocketBase in profile-api.server.test.ts.
import { ClientResponseError, type default as PocketBase } from 'pocketbase';
import type { UsersRecord } from '../../../src-shared/pocketbase-types.ts';
import { describeError, type ProblemDescription } from './errors.ts';
import { AVATAR_MAX_BYTES, tidyName } from './profile-form.ts';

export interface ProfileChanges {
  name: string;
  /** A new picture to upload, `null` to remove the current one, `undefined` to keep it. */
  avatar?: File | null;
}

export type ProfileSave = { saved: UsersRecord } | { problem: ProblemDescription };

export async function saveProfile(pb: PocketBase, userId: string, changes: ProfileChanges): Promise<ProfileSave> {
  const name = tidyName(changes.name);
  let body: FormData | Record<string, unknown>;
  if (changes.avatar) {
    // A file goes as multipart; the name rides along so both change in one request or neither does.
    body = new FormData();
    body.append('name', name);
    body.append('avatar', changes.avatar, changes.avatar.name);
  } else {
    body = changes.avatar === null ? { name, avatar: null } : { name };
  }
  try {
    // The SDK also refreshes its own copy of the signed-in record when the updated record is that one.
    const saved = await pb.collection('users').update<UsersRecord>(userId, body, { requestKey: null });
    return { saved };
  } catch (error) {
    const problem = describeError(error, { action: 'save your profile' });
    const avatar = changes.avatar ? avatarRefusal(error, changes.avatar.name) : '';
    if (avatar) problem.fields.avatar = avatar;
    return { problem };
  }
}

// The server's own sentences name its renamed copy of the file and sizes in bytes: said here in the
// person's terms. The server reads the file's content, so a renamed document is caught there too.
function avatarRefusal(error: unknown, file: string): string {
  if (!(error instanceof ClientResponseError)) return '';
  const code = (error.response?.data as { avatar?: { code?: string } } | undefined)?.avatar?.code;
  if (code === 'validation_invalid_mime_type') {
    return `“${file}” is not a JPEG, PNG, GIF or WebP picture inside, whatever its name says. Choose another.`;
  }
  if (code === 'validation_file_size_limit') {
    return `“${file}” is larger than the server allows (${AVATAR_MAX_BYTES / (1024 * 1024)} MB). Choose a smaller one.`;
  }
  return '';
}
