/// <reference path="../pb_data/types.d.ts" />
// Consent: nobody is put into a private room or a direct conversation by someone else. The creator is
// the room's only member at first; the people they add are `invited` and become members only by
// accepting (POST /api/palaver/rooms/{id}/accept, backend/consent.go). Invitees see the room (so the
// invitation reaches their room list) but none of its messages: the messages rules check `members` only.
// `closedBy` lists who closed a direct conversation; consent.go shows each person only themself in it.
// `blocks` is each person's private list of people they blocked.
//
// Rooms that existed before keep their members: only new rooms go through invitations.
const signedIn = '@request.auth.id != ""';
const canSee = `${signedIn} && (kind = "public" || members.id ?= @request.auth.id || invited.id ?= @request.auth.id)`;

const rules = {
  listRule: canSee,
  viewRule: canSee,
  // Only the creator is a member at creation; a direct conversation invites exactly one other person;
  // public rooms need no invitations (everyone signed in reads them).
  createRule: [
    signedIn,
    'owner = @request.auth.id',
    'members:length = 1',
    'members.id ?= @request.auth.id',
    'closedBy:length = 0',
    '(kind != "direct" || invited:length = 1)',
    '(kind != "public" || invited:length = 0)',
  ].join(' && '),
  // Only the owner changes a room: never its owner or kind (a private room turned public would expose its
  // history), the owner stays a member, the people of a direct conversation are fixed, and `closedBy`
  // changes only through the close route. That members are only ever removed here, never added (people
  // join by accepting), is checked in consent.go, which knows the room as it was.
  updateRule: [
    signedIn,
    'owner = @request.auth.id',
    '@request.body.owner:changed = false',
    '@request.body.kind:changed = false',
    '(@request.body.members:isset = false || @request.body.members.id ?= @request.auth.id)',
    '(kind != "direct" || (@request.body.members:isset = false && @request.body.invited:isset = false))',
    '(kind != "public" || @request.body.invited:isset = false)',
    '@request.body.closedBy:isset = false',
  ].join(' && '),
  deleteRule: `${signedIn} && owner = @request.auth.id`,
};

migrate(
  (app) => {
    const users = app.findCollectionByNameOrId('users');
    const rooms = app.findCollectionByNameOrId('rooms');
    rooms.fields.add(
      new RelationField({ name: 'invited', collectionId: users.id, maxSelect: 1000, cascadeDelete: false }),
    );
    rooms.fields.add(
      new RelationField({ name: 'closedBy', collectionId: users.id, maxSelect: 2, cascadeDelete: false }),
    );
    Object.assign(rooms, rules);
    app.save(rooms);

    const ownOnly = `${signedIn} && user = @request.auth.id`;
    const blocks = new Collection({
      type: 'base',
      name: 'blocks',
      // Nobody but the person who blocked can tell that a block exists: not the blocked person, not others.
      listRule: ownOnly,
      viewRule: ownOnly,
      createRule: `${ownOnly} && blocked != @request.auth.id`,
      updateRule: null,
      deleteRule: ownOnly,
      fields: [
        { type: 'relation', name: 'user', required: true, collectionId: users.id, maxSelect: 1, cascadeDelete: true },
        {
          type: 'relation',
          name: 'blocked',
          required: true,
          collectionId: users.id,
          maxSelect: 1,
          cascadeDelete: true,
        },
        { type: 'autodate', name: 'created', onCreate: true, onUpdate: false },
      ],
      indexes: [
        'CREATE UNIQUE INDEX idx_blocks_user_blocked ON blocks (user, blocked)',
        // "Who blocked this author?": the realtime broadcast asks it once per author (consent.go).
        'CREATE INDEX idx_blocks_blocked ON blocks (blocked)',
      ],
    });
    app.save(blocks);
  },
  (app) => {
    app.delete(app.findCollectionByNameOrId('blocks'));
    const rooms = app.findCollectionByNameOrId('rooms');
    rooms.fields.removeByName('invited');
    rooms.fields.removeByName('closedBy');
    const isMember = '(@request.auth.id != "" && members.id ?= @request.auth.id)';
    rooms.listRule = `${signedIn} && (kind = "public" || ${isMember})`;
    rooms.viewRule = rooms.listRule;
    rooms.createRule = [
      signedIn,
      'owner = @request.auth.id',
      'members.id ?= @request.auth.id',
      '(kind != "direct" || members:length = 2)',
    ].join(' && ');
    rooms.updateRule = [
      signedIn,
      'owner = @request.auth.id',
      '@request.body.owner:changed = false',
      '@request.body.kind:changed = false',
      '(@request.body.members:isset = false || @request.body.members.id ?= @request.auth.id)',
      '(kind != "direct" || @request.body.members:isset = false)',
    ].join(' && ');
    app.save(rooms);
  },
);
