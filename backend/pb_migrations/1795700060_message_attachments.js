/// <reference path="../pb_data/types.d.ts" />
// Messages carry files: `attachments` is a protected multi-file field, so a file is served only with a
// file token of someone the messages view rule lets read the message (apis/file.go checks that rule on
// every download). A message needs text or at least one file, so text is no longer required by the field:
// backend/attachments.go refuses a message with neither, on the text field, after pb_hooks cleaned it.
// The size limit set here is the default; backend/attachments.go sets it from PALAVER_ATTACHMENT_MAX_MB
// at every start. Thumbnails fit inside their box without cropping or enlarging ("f"): the room view's
// box is a 240x180 CSS box at twice the pixel density, the lightbox's fits a large screen at a fraction
// of a camera photo's bytes.
const MB = 1024 * 1024;

migrate(
  (app) => {
    const messages = app.findCollectionByNameOrId('messages');
    messages.fields.add(
      new FileField({
        name: 'attachments',
        maxSelect: 10,
        maxSize: 25 * MB,
        protected: true,
        thumbs: ['480x360f', '1600x1200f'],
      }),
    );
    const text = messages.fields.getByName('text');
    text.required = false;
    app.save(messages);
  },
  (app) => {
    const messages = app.findCollectionByNameOrId('messages');
    messages.fields.removeByName('attachments');
    messages.fields.getByName('text').required = true;
    app.save(messages);
  },
);
