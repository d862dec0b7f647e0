// Where the chat screen stops showing the room list beside the conversation and shows one or the other
// (with a way back). In CSS pixels, so zoom counts: a 1280-wide window at 200 % zoom is 640 CSS pixels
// and falls below it, as does a phone-sized window. Above it the sidebar and a conversation wide enough
// for a line of text fit side by side. Dialog.svelte's style repeats the width (CSS cannot import it).
export const NARROW_LAYOUT = '(max-width: 720px)';

/** Which part a narrow window shows: the room list, or the open conversation. */
export type Pane = 'rooms' | 'conversation';
