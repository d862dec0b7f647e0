// Where focus goes when a screen opens or a form is refused, so the keyboard is always where the next
// thing to do is, never on the page itself.

/**
 * The form field to focus: the first with an error (the person fixes what was refused), else the first
 * still empty (the next thing to type), else none. `fields` in the order the form shows them.
 */
export function fieldToFocus(
  fields: readonly string[],
  values: Readonly<Record<string, string>>,
  errors: Readonly<Record<string, string>> = {},
): string | null {
  return fields.find((id) => errors[id]) ?? fields.find((id) => (values[id] ?? '') === '') ?? null;
}

/**
 * Puts the keyboard in the room now open when nothing else has it: its composer, else (a public room
 * read without joining, with a Join bar instead) its heading. For a dialog closed onto the room already
 * open, whose composer had no reason to take the focus, and for a room that went away (deleted, left):
 * never a button of a header that has meanwhile come to show another room.
 */
export function focusOpenRoomIfLost(doc: Document = document): void {
  const active = doc.activeElement;
  if (active && active !== doc.body) return;
  const composer = doc.querySelector<HTMLElement>('form.composer textarea');
  if (composer) return composer.focus();
  const heading = doc.querySelector<HTMLElement>('.room-header h1');
  if (!heading) return;
  heading.tabIndex = -1;
  heading.focus();
}
