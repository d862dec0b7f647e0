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
 * Puts the keyboard in the composer when nothing else has it (a dialog closed onto the room already
 * open, whose composer had no reason to take the focus).
 */
export function focusComposerIfLost(doc: Document = document): void {
  const active = doc.activeElement;
  if (active && active !== doc.body) return;
  doc.querySelector<HTMLElement>('form.composer textarea')?.focus();
}
