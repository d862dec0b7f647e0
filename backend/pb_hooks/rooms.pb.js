/// <reference path="../pb_data/types.d.ts" />
// Room input checks that API rules cannot express as field errors a client can show next to a field.
// Who may do what stays in the rules (pb_migrations); these hooks only shape and reject bad input.
// (Each handler runs in its own JS runtime, so shared code lives in a required module.)

onRecordCreateRequest((e) => {
  require(`${__hooks}/rooms.lib.js`).checkRoomInput(e.app, e.record);
  e.next();
}, 'rooms');

onRecordUpdateRequest((e) => {
  require(`${__hooks}/rooms.lib.js`).checkRoomInput(e.app, e.record);
  e.next();
}, 'rooms');
