/// <reference path="../pb_data/types.d.ts" />
// Public rooms get real membership, and every room the moment of its newest message.
//
// - `members` of a public room are the people who joined it (POST /api/palaver/rooms/{id}/join,
//   backend/public_rooms.go); joining decides whose sidebar lists the room. Reading and posting stay open
//   to everyone signed in. So that nobody's sidebar changes, every existing account becomes a member of
//   every existing public room; a new account joins `general` on sign-up (public_rooms.go).
// - `lastMessageAt` is set by the server alone from each new message (backend/room_activity.go), so direct
//   conversations sort by their latest message. Create and update through the API may not set it.
// - A direct conversation's invitee sees the room only once it has a message: an empty conversation
//   someone started never appears in the other person's list.
const signedIn = '@request.auth.id != ""';
const before = {
  canSee: `${signedIn} && (kind = "public" || members.id ?= @request.auth.id || invited.id ?= @request.auth.id)`,
  createRule: [
    signedIn,
    'owner = @request.auth.id',
    'members:length = 1',
    'members.id ?= @request.auth.id',
    'closedBy:length = 0',
    '(kind != "direct" || invited:length = 1)',
    '(kind != "public" || invited:length = 0)',
  ].join(' && '),
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
};
const serverSet = '@request.body.lastMessageAt:isset = false';
const after = {
  canSee: `${signedIn} && (kind = "public" || members.id ?= @request.auth.id || (invited.id ?= @request.auth.id && (kind != "direct" || lastMessageAt != "")))`,
  createRule: `${before.createRule} && ${serverSet}`,
  updateRule: `${before.updateRule} && ${serverSet}`,
};
// Public rooms now hold everyone who joined them, which can be more people than a private room.
const MEMBERS_MAX = 100000;
const MEMBERS_MAX_BEFORE = 1000;

function setRules(rooms, rules) {
  rooms.listRule = rules.canSee;
  rooms.viewRule = rules.canSee;
  rooms.createRule = rules.createRule;
  rooms.updateRule = rules.updateRule;
}

migrate(
  (app) => {
    const rooms = app.findCollectionByNameOrId('rooms');
    for (const [key, rule] of Object.entries({
      listRule: before.canSee,
      createRule: before.createRule,
      updateRule: before.updateRule,
    })) {
      if (String(rooms[key]) !== rule) throw new Error(`rooms.${key} is not what this migration expects; update it`);
    }
    rooms.fields.add(new DateField({ name: 'lastMessageAt' }));
    rooms.fields.getByName('members').maxSelect = MEMBERS_MAX;
    setRules(rooms, after);
    rooms.indexes.push('CREATE INDEX idx_rooms_last_message ON rooms (lastMessageAt)');
    app.save(rooms);

    app
      .db()
      .newQuery(
        "UPDATE rooms SET lastMessageAt = COALESCE((SELECT MAX(created) FROM messages WHERE messages.room = rooms.id), '')",
      )
      .execute();

    // Everyone joins every public room, the members they had first (the owner stays the longest-standing).
    const everyone = app.findAllRecords('users').map((user) => user.id);
    for (const room of app.findRecordsByFilter('rooms', 'kind = "public"', '', 0, 0)) {
      const members = room.getStringSlice('members');
      room.set('members', [...members, ...everyone.filter((id) => !members.includes(id))]);
      app.saveNoValidate(room);
    }
  },
  (app) => {
    const rooms = app.findCollectionByNameOrId('rooms');
    // Before, a public room's members were its owner (and people from before invitations): keep only the owner.
    for (const room of app.findRecordsByFilter('rooms', 'kind = "public"', '', 0, 0)) {
      const owner = room.getString('owner');
      room.set('members', owner ? [owner] : []);
      app.saveNoValidate(room);
    }
    rooms.fields.removeByName('lastMessageAt');
    rooms.fields.getByName('members').maxSelect = MEMBERS_MAX_BEFORE;
    rooms.indexes = rooms.indexes.filter((index) => !index.includes('idx_rooms_last_message'));
    setRules(rooms, before);
    app.save(rooms);
  },
);
