/// <reference path="../pb_data/types.d.ts" />
// Message text is trimmed before it is validated, so a text of only spaces counts as empty and the
// 2000-character limit counts what readers see. Bound to the model event so every path (API, dashboard,
// migrations) stores the same shape.
onRecordValidate((e) => {
  const text = e.record.getString('text');
  const trimmed = text.trim();
  if (trimmed !== text) {
    e.record.set('text', trimmed);
  }
  e.next();
}, 'messages');
