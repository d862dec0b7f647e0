/// <reference path="../pb_data/types.d.ts" />
// Messages: readable where their room is readable, written only by their author, in rooms the author
// may write to.
migrate(
  (app) => {
    const users = app.findCollectionByNameOrId('users');
    const rooms = app.findCollectionByNameOrId('rooms');
    const canReadRoom = '(room.kind = "public" || (@request.auth.id != "" && room.members.id ?= @request.auth.id))';

    const messages = new Collection({
      type: 'base',
      name: 'messages',
      listRule: canReadRoom,
      viewRule: canReadRoom,
      createRule: '@request.auth.id != "" && user = @request.auth.id && ' + canReadRoom,
      // The author edits the text only: author and room are fixed once posted, and an author who has
      // left a private room can no longer change what they said there.
      updateRule: [
        '@request.auth.id != ""',
        'user = @request.auth.id',
        '@request.body.user:changed = false',
        '@request.body.room:changed = false',
        canReadRoom,
      ].join(' && '),
      deleteRule: '@request.auth.id != "" && user = @request.auth.id',
      fields: [
        // Trimmed by pb_hooks/messages.pb.js before validation, so min/max count what is shown.
        { type: 'text', name: 'text', required: true, min: 1, max: 2000 },
        { type: 'relation', name: 'user', required: true, collectionId: users.id, maxSelect: 1, cascadeDelete: true },
        { type: 'relation', name: 'room', required: true, collectionId: rooms.id, maxSelect: 1, cascadeDelete: true },
        { type: 'autodate', name: 'created', onCreate: true, onUpdate: false },
        { type: 'autodate', name: 'updated', onCreate: true, onUpdate: true },
      ],
      indexes: [
        // "Newest N of a room" and "after T in a room" (gap recovery) are range scans of this index;
        // id breaks ties between messages created in the same millisecond so paging is stable.
        'CREATE INDEX idx_messages_room_created ON messages (room, created, id)',
        'CREATE INDEX idx_messages_user ON messages (user)',
      ],
    });
    app.save(messages);
  },
  (app) => {
    app.delete(app.findCollectionByNameOrId('messages'));
  },
);
