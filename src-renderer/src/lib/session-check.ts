// Whether the server still accepts the session. PocketBase treats an expired or revoked token as no
// token, so a refused write may mean "signed out" rather than "not allowed": asking the server settles
// which. Unreachable or failing servers say nothing about the session, so they count as valid.
import type PocketBase from 'pocketbase';
import { describeError } from './errors.ts';

export async function sessionStillValid(pb: PocketBase): Promise<boolean> {
  if (!pb.authStore.isValid) return false;
  try {
    await pb.collection('users').authRefresh({ requestKey: null });
    return true;
  } catch (error) {
    const problem = describeError(error);
    return problem.unreachable || problem.status >= 500;
  }
}
