/// <reference path="../pb_data/types.d.ts" />
// Who a message mentions: the room's members named as `@username` in its text outside code. Only the
// server writes it (backend/mentions.go works it out on create and on every edit and replaces whatever a
// client sent), so a mention, and the notification it brings, cannot be forged. Carried in realtime events
// like every other field.
migrate(
  (app) => {
    const users = app.findCollectionByNameOrId('users');
    const messages = app.findCollectionByNameOrId('messages');
    // maxSelect matches maxMentions in mentions.go; someone deleted drops out of the list.
    messages.fields.add(
      new RelationField({ name: 'mentions', collectionId: users.id, maxSelect: 100, cascadeDelete: false }),
    );
    app.save(messages);
  },
  (app) => {
    const messages = app.findCollectionByNameOrId('messages');
    messages.fields.removeByName('mentions');
    app.save(messages);
  },
);
