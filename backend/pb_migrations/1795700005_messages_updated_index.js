/// <reference path="../pb_data/types.d.ts" />
// Gap recovery asks for every message changed since T across all rooms (`updated >= T`, sorted by
// updated): without an index that is a scan of the whole table. bench/history.ts measured it.
migrate(
  (app) => {
    const messages = app.findCollectionByNameOrId('messages');
    messages.addIndex('idx_messages_updated', false, 'updated, id', '');
    app.save(messages);
  },
  (app) => {
    const messages = app.findCollectionByNameOrId('messages');
    messages.removeIndex('idx_messages_updated');
    app.save(messages);
  },
);
