/// <reference path="../pb_data/types.d.ts" />
// How much each room (or direct conversation) may notify each person: `all` messages, `mentions` only, or
// `nothing`. Stored on the server so that every device of theirs obeys it; a room with no row has the
// default of its kind (direct: all; private and public rooms: mentions), which the client applies.
//
// A person lists, sets, changes and removes only their own levels, and sets one only for a room whose
// messages they can read (a public room, or one they are a member of: an invitee cannot). A level never
// moves to another person or room: remove it and set another.
const signedIn = '@request.auth.id != ""';
const own = `${signedIn} && user = @request.auth.id`;
const canRead = '(room.kind = "public" || room.members.id ?= @request.auth.id)';

migrate(
  (app) => {
    const users = app.findCollectionByNameOrId('users');
    const rooms = app.findCollectionByNameOrId('rooms');
    const levels = new Collection({
      type: 'base',
      name: 'notification_levels',
      listRule: own,
      viewRule: own,
      createRule: `${own} && ${canRead}`,
      updateRule: `${own} && ${canRead} && @request.body.user:changed = false && @request.body.room:changed = false`,
      deleteRule: own,
      fields: [
        { type: 'relation', name: 'user', required: true, collectionId: users.id, maxSelect: 1, cascadeDelete: true },
        { type: 'relation', name: 'room', required: true, collectionId: rooms.id, maxSelect: 1, cascadeDelete: true },
        { type: 'select', name: 'level', required: true, maxSelect: 1, values: ['all', 'mentions', 'nothing'] },
        { type: 'autodate', name: 'created', onCreate: true, onUpdate: false },
        { type: 'autodate', name: 'updated', onCreate: true, onUpdate: true },
      ],
      indexes: ['CREATE UNIQUE INDEX idx_notification_levels_user_room ON notification_levels (user, room)'],
    });
    app.save(levels);
  },
  (app) => {
    app.delete(app.findCollectionByNameOrId('notification_levels'));
  },
);
