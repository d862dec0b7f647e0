// How a person is named wherever someone decides whom to trust: the name they chose, which anyone
// may copy, always with the username nobody else can have (usernames are unique in any letter case).
// A name without a chosen one is the username itself, so a bare name on screen is always unique.

/** The fields that name a person, as the users collection has them. */
export interface PersonNaming {
  username: string;
  name?: string;
}

// Explicit direction marks, embeddings, overrides and isolates. In a name they could turn the
// "(@username)" written after it around or hide it; text shown as elements is isolated with <bdi>
// instead, but a string (a notification title, an accessible name) has no elements to isolate with.
const BIDI_CONTROLS = /[\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]/g;

/** The text without bidirectional formatting characters, for a string shown as one line. */
export function withoutBidiControls(text: string): string {
  return text.replace(BIDI_CONTROLS, '');
}

/** The name a person chose, tidied for one line, or '' when they chose none. */
export function chosenName(person: PersonNaming): string {
  return withoutBidiControls(person.name ?? '')
    .replace(/\s+/g, ' ')
    .trim();
}

/** What to call the person in a sentence or a list: their chosen name, else their username. */
export function displayName(person: PersonNaming): string {
  return chosenName(person) || person.username;
}

/** "Bob (@bob)", or "bob" for someone without a chosen name: never a name that could be anyone's. */
export function personLabel(person: PersonNaming): string {
  const name = chosenName(person);
  return name ? `${name} (@${person.username})` : person.username;
}
