// The Server field's address, spelled once for main, preload and renderer in src-shared/server-address.ts.
// Kept under its old name for session.svelte.ts; new code imports serverUrlFromInput from src-shared.
export { serverUrlFromInput as normalizeServer } from '../../../src-shared/server-address.ts';
