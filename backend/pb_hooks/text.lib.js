/// <reference path="../pb_data/types.d.ts" />
// What text may contain once stored. Control characters are never something a person meant to write:
// NUL cuts strings short in other programs, and the rest move the cursor or the terminal. Bidirectional
// embeddings and overrides (U+202A–U+202E) force a direction on everything after them, so a message or a
// name could reorder the screen around it ("gnp.exe" shown as "exe.png"); right-to-left text is laid
// out correctly by the bidi algorithm without them. Messages keep the isolates (U+2066–U+2069), which
// right-to-left writers do use to embed a left-to-right word and whose effect ends with the message (the
// client isolates each message's direction); names lose them too, since a name is shown inline in other
// text, in room lists and in notification titles.

const lineBreaks = /\r\n?/g;
const controlsButNewlineAndTab = /[\u0000-\u0008\u000B-\u001F\u007F-\u009F]/g;
const overrides = /[\u202A-\u202E]/g;
const whitespaceControls = /[\t\n\r\u000B\u000C\u0085]/g;
const controls = /[\u0000-\u001F\u007F-\u009F]/g;
const allBidiControls = /[\u202A-\u202E\u2066-\u2069]/g;

/** Message text: newlines and tabs stay (CR LF and CR become LF); other controls and overrides go. */
function cleanText(text) {
  return text.replace(lineBreaks, '\n').replace(controlsButNewlineAndTab, '').replace(overrides, '').trim();
}

/** A name is one line: whitespace controls become spaces, other controls and every bidi control go. */
function cleanName(name) {
  return name.replace(whitespaceControls, ' ').replace(controls, '').replace(allBidiControls, '').trim();
}

// What cleanName would silently drop from a name rather than turn into a space: refused when a person
// sends it, so they see why (a name is typed, and a typed name never holds these by accident).
const nameForbidden = /[\u0000-\u0008\u000E-\u001F\u007F-\u0084\u0086-\u009F\u202A-\u202E\u2066-\u2069]/;

/** A field error for a name with control or direction characters, or null when the name may be stored. */
function nameProblem(name) {
  if (!nameForbidden.test(name)) return null;
  return new ValidationError(
    'validation_name_characters',
    'Names cannot contain control characters or characters that change the text direction.',
  );
}

module.exports = { cleanText, cleanName, nameProblem };
