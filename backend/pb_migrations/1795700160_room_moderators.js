/// <reference path="../pb_data/types.d.ts" />
// Moderators (issue 18): `rooms.moderators` are members the owner appointed to keep the room tidy. They
// delete any message in the room and remove members of a private room (never the owner or another
// moderator: POST /api/palaver/rooms/{id}/remove, backend/moderators.go); the owner does both too.
//
// - Only the owner changes the field: the rooms update rule already lets nobody else change a room.
//   That moderators are members and never the owner, that a direct conversation has none, and that leaving
//   or being removed ends the role are kept by moderators.go, which knows the room as it was.
// - Messages: the author deletes their own, as before; the room's owner and moderators delete anyone's,
//   except in a direct conversation, whose "owner" is only whoever wrote first and where nobody moderates
//   the other person. Each such delete leaves an audit entry (backend/audit_log.go).
const signedIn = '@request.auth.id != ""';
const deleteBefore = `${signedIn} && user = @request.auth.id`;
const deleteAfter =
  `${signedIn} && (user = @request.auth.id || ` +
  '(room.kind != "direct" && (room.owner = @request.auth.id || room.moderators.id ?= @request.auth.id)))';
// Enough for any room a person can oversee; a bound keeps every room record (sent with every room list
// and event, expanded) small.
const MODERATORS_MAX = 50;

migrate(
  (app) => {
    const users = app.findCollectionByNameOrId('users');
    const rooms = app.findCollectionByNameOrId('rooms');
    rooms.fields.add(
      new RelationField({
        name: 'moderators',
        collectionId: users.id,
        maxSelect: MODERATORS_MAX,
        cascadeDelete: false,
      }),
    );
    app.save(rooms);

    const messages = app.findCollectionByNameOrId('messages');
    if (String(messages.deleteRule) !== deleteBefore) {
      throw new Error('messages.deleteRule is not what this migration expects; update it');
    }
    messages.deleteRule = deleteAfter;
    app.save(messages);
  },
  (app) => {
    const messages = app.findCollectionByNameOrId('messages');
    messages.deleteRule = deleteBefore;
    app.save(messages);
    const rooms = app.findCollectionByNameOrId('rooms');
    rooms.fields.removeByName('moderators');
    app.save(rooms);
  },
);
