/// <reference path="../pb_data/types.d.ts" />
// Read markers: where each person has read up to in each room, kept on the server so that every device
// of theirs agrees (issue 16). One row per person and room, its id readMarkerId(user, room)
// (src-shared/read-marker-id.ts), so a client moves its marker by updating that id and creates it on a 404.
// backend/read_markers.go refuses any other id, sets `readAt` from the message (never from the client),
// keeps `message` in the marker's room, counts unread messages (GET /api/palaver/unread) and tells the
// person's other devices on palaver/reads.
//
// Only the owner reads, changes or deletes a marker; one is made only as oneself, in a room one is a member
// of (invitees and readers of a public room they have not joined are not members), and changed only while
// one still is. `members ~ id` is the LIKE match of migration 1795700006: a 15-character [a-z0-9] id only
// matches a whole member id in the column; the signed-in guard stays, as an empty id would match every
// room. Moving a marker backwards is allowed: that is "Mark as unread".
//
// `message` does not cascade: deleting the message a marker points at empties `message` and keeps `readAt`
// (read_markers.go, one UPDATE in the delete's transaction), so the person does not find the room unread
// again.
const signedIn = '@request.auth.id != ""';
const own = 'user = @request.auth.id';
const member = 'room.members ~ @request.auth.id';

migrate(
  (app) => {
    const users = app.findCollectionByNameOrId('users');
    const rooms = app.findCollectionByNameOrId('rooms');
    const messages = app.findCollectionByNameOrId('messages');
    const markers = new Collection({
      type: 'base',
      name: 'read_markers',
      listRule: `${signedIn} && ${own}`,
      viewRule: `${signedIn} && ${own}`,
      createRule: `${signedIn} && ${own} && ${member}`,
      updateRule: [
        signedIn,
        own,
        '@request.body.user:changed = false',
        '@request.body.room:changed = false',
        member,
      ].join(' && '),
      deleteRule: `${signedIn} && ${own}`,
      fields: [
        { type: 'relation', name: 'user', required: true, collectionId: users.id, maxSelect: 1, cascadeDelete: true },
        { type: 'relation', name: 'room', required: true, collectionId: rooms.id, maxSelect: 1, cascadeDelete: true },
        // The newest message of the room's list the person has read; empty: nothing read yet.
        { type: 'relation', name: 'message', collectionId: messages.id, maxSelect: 1, cascadeDelete: false },
        // That message's `created`, set by the server (read_markers.go); '' when there is no message.
        { type: 'date', name: 'readAt' },
      ],
      indexes: [
        // One marker per person and room; also "my markers" for the counts (read_markers.go).
        'CREATE UNIQUE INDEX idx_read_markers_user_room ON read_markers (user, room)',
        // A room's deletion deletes its markers (cascadeDelete), and a message's deletion empties the
        // markers at it: each found by an index, not a scan of everyone's markers.
        'CREATE INDEX idx_read_markers_room ON read_markers (room)',
        'CREATE INDEX idx_read_markers_message ON read_markers (message)',
      ],
    });
    app.save(markers);
  },
  (app) => {
    app.delete(app.findCollectionByNameOrId('read_markers'));
  },
);
