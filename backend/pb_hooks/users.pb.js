/// <reference path="../pb_data/types.d.ts" />
// A display name is one line of plain text (text.lib.js): no control characters, no bidi controls that
// would reorder the room list or a notification title around it. Bound to the model event so every path
// stores the same shape.
onRecordValidate((e) => {
  const name = e.record.getString('name');
  const cleaned = require(`${__hooks}/text.lib.js`).cleanName(name);
  if (cleaned !== name) {
    e.record.set('name', cleaned);
  }
  e.next();
}, 'users');

// A name sent with characters the cleaning above would drop is refused instead, with an error on the
// name field: the person sees why rather than a different name than they typed. Tabs and line breaks
// (a pasted name) still become spaces. (Each handler runs in its own JS runtime, hence the require.)
onRecordCreateRequest((e) => {
  const problem = require(`${__hooks}/text.lib.js`).nameProblem(e.record.getString('name'));
  if (problem) throw new BadRequestError('The name was not accepted.', { name: problem });
  e.next();
}, 'users');

onRecordUpdateRequest((e) => {
  const problem = require(`${__hooks}/text.lib.js`).nameProblem(e.record.getString('name'));
  if (problem) throw new BadRequestError('The name was not accepted.', { name: problem });
  e.next();
}, 'users');
