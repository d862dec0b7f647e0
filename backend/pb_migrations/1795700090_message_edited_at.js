/// <reference path="../pb_data/types.d.ts" />
// When the author last changed a message's text or files, kept by the server (backend/message_edits.go):
// the client's "(edited)" mark reads it. `updated` no longer says it, since the server updates messages
// itself to keep thread and reaction summaries. Messages edited before this migration keep their mark:
// their last update was an edit, as nothing else changed messages then.
migrate(
  (app) => {
    const messages = app.findCollectionByNameOrId('messages');
    messages.fields.add(new DateField({ name: 'editedAt' }));
    app.save(messages);
    app.db().newQuery('UPDATE messages SET editedAt = updated WHERE updated > created').execute();
  },
  (app) => {
    const messages = app.findCollectionByNameOrId('messages');
    messages.fields.removeByName('editedAt');
    app.save(messages);
  },
);
