/// <reference path="../pb_data/types.d.ts" />
// What the room view needs to show a message's files without fetching them: for each stored file name,
// the name it was sent with, its size in bytes, its type as sniffed from its content, and an image's
// width and height so its box is reserved before it loads. Only the server writes it
// (backend/attachment_info.go sets it from the uploads on create and drops removed files on edit), so
// what it says about a file is what the server saw, not what a client claimed.
migrate(
  (app) => {
    const messages = app.findCollectionByNameOrId('messages');
    messages.fields.add(new JSONField({ name: 'attachmentInfo', maxSize: 20000 }));
    app.save(messages);
  },
  (app) => {
    const messages = app.findCollectionByNameOrId('messages');
    messages.fields.removeByName('attachmentInfo');
    app.save(messages);
  },
);
