/// <reference path="../pb_data/types.d.ts" />
// Threads: a reply names its thread's first message (the root) in `thread`, in the same room; a reply to a
// reply is stored with the root. Replies stay out of the room's main list unless their author also sent
// them to the room (`alsoInRoom`). The root carries `threadInfo`, a summary only the server writes
// (backend/threads.go: replies, lastReplyAt, repliers, followers), kept in the same transaction as each
// reply's create and delete. Both fields are fixed once a message is sent (threads.go refuses a change).
//
// Deleting a root deletes its replies (cascadeDelete), as Mattermost does: a thread without its first
// message has nothing to hang from, and keeping the replies would turn them into orphans nobody's main list
// shows.
//
// Reading: a thread is `thread = {:root}` by (created, id), a range of the index below. The room's main
// list, `room = {:room} && (thread = '' || alsoInRoom = true)` sorted by -created,-id, stays on the room's
// own index (room, created, id). Measured with EXPLAIN QUERY PLAN on the SQL PocketBase generates (read
// rule and its rooms join included; `thread = ''` becomes `thread = '' OR thread IS NULL`) with 20,000
// messages in the room, every fourth a reply, and 20,000 in another room, without and with ANALYZE
// statistics: `SEARCH messages USING INDEX idx_messages_room_created (room=?)`, then the room (by its
// primary key once there are statistics, as for any messages query), and no `USE TEMP B-TREE FOR ORDER
// BY` (only PocketBase's usual one FOR DISTINCT): the index is read backwards and the thread condition
// checked on each row, so nothing sorts the room. The thread page query is `SEARCH messages USING INDEX
// idx_messages_thread_created (thread=?)` in both cases.
migrate(
  (app) => {
    const messages = app.findCollectionByNameOrId('messages');
    messages.fields.add(
      new RelationField({ name: 'thread', collectionId: messages.id, maxSelect: 1, cascadeDelete: true }),
    );
    messages.fields.add(new BoolField({ name: 'alsoInRoom' }));
    // maxSize bounds nothing stored: threads.go drops a client's value before validation and saves the
    // server's own without it, so followers can outgrow it. It only sizes the request bodies PocketBase
    // accepts (it adds every JSON field's maxSize to a collection's body limit), and no client ever needs
    // to send this field.
    messages.fields.add(new JSONField({ name: 'threadInfo', maxSize: 2000 }));
    messages.addIndex('idx_messages_thread_created', false, 'thread, created, id', '');
    app.save(messages);
  },
  (app) => {
    const messages = app.findCollectionByNameOrId('messages');
    messages.removeIndex('idx_messages_thread_created');
    for (const name of ['threadInfo', 'alsoInRoom', 'thread']) messages.fields.removeByName(name);
    app.save(messages);
  },
);
