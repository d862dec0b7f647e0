/// <reference path="../pb_data/types.d.ts" />
// The unread counts (backend/read_markers.go) read each of a person's rooms from their marker on, up to a
// thousand counted messages a room, and look at every one of those messages' author, thread, alsoInRoom
// and mentions. From idx_messages_room_created alone each row is a lookup in the table, where one room's
// messages sit among every other room's: at 1M messages that was most of the request (a page read per
// message). This index holds those columns in the same (room, created, id) order, so a room's unread
// messages are read from consecutive index pages and the table is left alone, except for a reply's root
// (its followers). Measured in bench/unread.ts (bench/README.md). Its prefix serves every query the
// (room, created, id) index does; mentions is '[]' in almost every message, so it costs a few bytes a row
// beyond the columns the counts need.
migrate(
  (app) => {
    const messages = app.findCollectionByNameOrId('messages');
    messages.addIndex('idx_messages_room_unread', false, 'room, created, id, user, thread, alsoInRoom, mentions', '');
    app.save(messages);
  },
  (app) => {
    const messages = app.findCollectionByNameOrId('messages');
    messages.removeIndex('idx_messages_room_unread');
    app.save(messages);
  },
);
