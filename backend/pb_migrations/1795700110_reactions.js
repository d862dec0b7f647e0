/// <reference path="../pb_data/types.d.ts" />
// Reactions: one row per person per emoji per message. Readable where the message is readable; created
// only as yourself where you could post the message yourself; never changed; deleted only by their
// author. backend/reactions.go checks the emoji, allows at most 20 different ones on a message, and keeps
// the message's `reactionInfo` (a summary only the server writes) in the same transaction as each create
// and delete, then sends the message out once as an `update` on palaver/messages.
//
// The read condition is the messages rule one relation further (`message.room.…`), with the same
// `members ~ id` match as migration 1795700006 rather than `members.id ?= id`, which would join every
// member of the room to every reaction row: a 15-character [a-z0-9] id can only match a whole member id
// in the members column. The signed-in guard stays: an empty id would match every room. Measured with
// EXPLAIN QUERY PLAN on the SQL PocketBase builds for `message = {:id}` under this rule: `SEARCH reactions
// USING INDEX idx_reactions_message_user_emoji (message=?)`, then the message and its room each by primary
// key: one room row per reaction, nothing joined per member.
const signedIn = '@request.auth.id != ""';
const canReadMessage = `(message.room.kind = "public" || message.room.members ~ @request.auth.id)`;
const own = 'user = @request.auth.id';

// At most 20 emoji of up to 100 listed people each (ids of 15 characters): about 37 KB. The field is
// validated when the message itself is saved, with the stored value (reactions.go), so it must fit.
const REACTION_INFO_MAX_BYTES = 64000;

migrate(
  (app) => {
    const users = app.findCollectionByNameOrId('users');
    const messages = app.findCollectionByNameOrId('messages');
    const reactions = new Collection({
      type: 'base',
      name: 'reactions',
      listRule: `${signedIn} && ${canReadMessage}`,
      viewRule: `${signedIn} && ${canReadMessage}`,
      createRule: `${signedIn} && ${own} && ${canReadMessage}`,
      updateRule: null,
      deleteRule: `${signedIn} && ${own}`,
      fields: [
        {
          type: 'relation',
          name: 'message',
          required: true,
          collectionId: messages.id,
          maxSelect: 1,
          cascadeDelete: true,
        },
        { type: 'relation', name: 'user', required: true, collectionId: users.id, maxSelect: 1, cascadeDelete: true },
        // reactions.go checks it is one emoji of at most 64 bytes; max here counts characters.
        { type: 'text', name: 'emoji', required: true, max: 64 },
        { type: 'autodate', name: 'created', onCreate: true, onUpdate: false },
      ],
      indexes: [
        'CREATE UNIQUE INDEX idx_reactions_message_user_emoji ON reactions (message, user, emoji)',
        // A message's reactions in the order given, for its summary (reactions.go) and for clients.
        'CREATE INDEX idx_reactions_message_created ON reactions (message, created)',
        // Deleting an account deletes its reactions (cascadeDelete): found by this index, not a scan.
        'CREATE INDEX idx_reactions_user ON reactions (user)',
      ],
    });
    app.save(reactions);

    messages.fields.add(new JSONField({ name: 'reactionInfo', maxSize: REACTION_INFO_MAX_BYTES }));
    app.save(messages);
  },
  (app) => {
    app.delete(app.findCollectionByNameOrId('reactions'));
    const messages = app.findCollectionByNameOrId('messages');
    messages.fields.removeByName('reactionInfo');
    app.save(messages);
  },
);
