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
