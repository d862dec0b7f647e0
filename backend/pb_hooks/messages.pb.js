/// <reference path="../pb_data/types.d.ts" />
// Message text is cleaned (text.lib.js: no control characters but newline and tab, no bidi overrides) and
// trimmed before it is validated, so a text of only spaces or controls counts as empty and the
// 2000-character limit counts what readers see. Bound to the model event so every path (API, dashboard,
// migrations) stores the same shape.
onRecordValidate((e) => {
  const text = e.record.getString('text');
  const cleaned = require(`${__hooks}/text.lib.js`).cleanText(text);
  if (cleaned !== text) {
    e.record.set('text', cleaned);
  }
  e.next();
}, 'messages');
