// The search results panel is not part of the first load: it is fetched the first time a search is
// made (the field, small, is drawn with the chat screen), as the dialogs are (lazy-dialogs.ts).
import { lazy } from './lazy-dialogs.ts';

export const searchResults = lazy(() => import('./SearchResults.svelte'));
