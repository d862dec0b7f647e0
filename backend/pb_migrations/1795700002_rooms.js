/// <reference path="../pb_data/types.d.ts" />
// Rooms: public rooms anyone can read, private rooms and direct conversations only their members can.
migrate(
  (app) => {
    const users = app.findCollectionByNameOrId('users');
    const isMember = '(@request.auth.id != "" && members.id ?= @request.auth.id)';

    const rooms = new Collection({
      type: 'base',
      name: 'rooms',
      listRule: 'kind = "public" || ' + isMember,
      viewRule: 'kind = "public" || ' + isMember,
      // The creator must own the room and be in it; a direct conversation has exactly two people.
      createRule: [
        '@request.auth.id != ""',
        'owner = @request.auth.id',
        'members.id ?= @request.auth.id',
        '(kind != "direct" || members:length = 2)',
      ].join(' && '),
      // Only the owner changes a room. Nobody takes over ownership, a room never changes kind (a private
      // room turned public would expose its history), the owner stays a member, and the two people of a
      // direct conversation are fixed.
      updateRule: [
        '@request.auth.id != ""',
        'owner = @request.auth.id',
        '@request.body.owner:changed = false',
        '@request.body.kind:changed = false',
        '(@request.body.members:isset = false || @request.body.members.id ?= @request.auth.id)',
        '(kind != "direct" || @request.body.members:isset = false)',
      ].join(' && '),
      // The auth guard matters: an ownerless room (like "general") has owner "", which equals the
      // signed-out caller's empty @request.auth.id.
      deleteRule: '@request.auth.id != "" && owner = @request.auth.id',
      fields: [
        { type: 'text', name: 'name', max: 64, presentable: true },
        { type: 'select', name: 'kind', required: true, maxSelect: 1, values: ['public', 'private', 'direct'] },
        { type: 'relation', name: 'members', collectionId: users.id, maxSelect: 1000, cascadeDelete: false },
        { type: 'relation', name: 'owner', collectionId: users.id, maxSelect: 1, cascadeDelete: false },
        { type: 'autodate', name: 'created', onCreate: true, onUpdate: false },
        { type: 'autodate', name: 'updated', onCreate: true, onUpdate: true },
      ],
      indexes: [
        'CREATE INDEX idx_rooms_kind ON rooms (kind)',
        // Public room names are unique ("general" and "General" are one room); private names need not be.
        "CREATE UNIQUE INDEX idx_rooms_public_name ON rooms (name COLLATE NOCASE) WHERE kind = 'public'",
      ],
    });
    app.save(rooms);

    const general = new Record(rooms);
    general.set('name', 'general');
    general.set('kind', 'public');
    app.save(general);
  },
  (app) => {
    app.delete(app.findCollectionByNameOrId('rooms'));
  },
);
