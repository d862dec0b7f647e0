// Dialogs are not part of the first load: each is fetched the first time it is opened, so the code that
// draws the chat screen arrives first (the guide's budget for the first load). A fetch that fails (the
// server went away mid-update, say) is tried again on the next opening.
import type { Component } from 'svelte';

type Loader<T> = () => Promise<T>;

/** A module's default export, fetched once on first use; a failure is forgotten so the next use retries. */
export function lazy<T>(load: () => Promise<{ default: T }>): Loader<T> {
  let loading: Promise<T> | null = null;
  return () =>
    (loading ??= load().then(
      (module) => module.default,
      (error: unknown) => {
        loading = null;
        throw error;
      },
    ));
}

export const dialogs = {
  newRoom: lazy(() => import('./NewRoomDialog.svelte')),
  direct: lazy(() => import('./DirectDialog.svelte')),
  browse: lazy(() => import('./BrowseRooms.svelte')),
  jump: lazy(() => import('./JumpTo.svelte')),
  blocked: lazy(() => import('./BlockedPeopleDialog.svelte')),
  profile: lazy(() => import('./ProfileDialog.svelte')),
  details: lazy(() => import('./RoomDetails.svelte')),
  leave: lazy(() => import('./LeaveRoomDialog.svelte')),
  block: lazy(() => import('./BlockDialog.svelte')),
} satisfies Record<string, Loader<Component<never>>>;

/** What a dialog that could not be fetched says, in place of the dialog. */
export function loadProblem(error: unknown): string {
  const detail = error instanceof Error ? error.message : String(error);
  return `This part of Palaver could not be loaded (${detail}). Check the connection to the server, then try again or reload.`;
}
