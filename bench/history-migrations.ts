// The schema changes the history bench measures, as PocketBase migrations. The bench applies them by
// dropping these files into a copy of backend/pb_migrations that its server runs with (--migrationsDir),
// so what is measured is exactly what PocketBase makes of this text. Nothing here touches backend/.
// Both changes have since shipped (backend/pb_migrations/1795700005 and 1795700006); the bench keeps
// them to measure the variants before them. SHIPPED_READ_RULE names the rule as it was before 1795700006.

/** Gap recovery across rooms (`updated >= T`, sort `updated,id`) as an index range scan in order. */
export const UPDATED_INDEX_MIGRATION = {
  file: '1795800001_messages_updated_index.js',
  index: 'idx_messages_updated',
  text: `/// <reference path="../pb_data/types.d.ts" />
// Gap recovery asks for every message changed since a moment, across all rooms, oldest change first
// (updated >= T, sort updated,id). Without this index that is a scan and sort of the whole table.
migrate((app) => {
  const messages = app.findCollectionByNameOrId("messages");
  messages.addIndex("idx_messages_updated", false, "updated, id", "");
  app.save(messages);
}, (app) => {
  const messages = app.findCollectionByNameOrId("messages");
  messages.removeIndex("idx_messages_updated");
  app.save(messages);
});
`,
};

export const SHIPPED_READ_RULE =
  '(room.kind = "public" || (@request.auth.id != "" && room.members.id ?= @request.auth.id))';
export const PROPOSED_READ_RULE =
  '(room.kind = "public" || (@request.auth.id != "" && room.members ~ @request.auth.id))';

/**
 * Membership as a LIKE on the room's members column instead of a join through every member. The
 * column is a JSON array of 15-character [a-z0-9] ids, so a 15-character [a-z0-9] substring can only be
 * a whole member id: the match is exact. The signed-in guard stays (an empty id would match any room).
 */
export const READ_RULE_MIGRATION = {
  file: '1795800002_messages_read_rule.js',
  text: `/// <reference path="../pb_data/types.d.ts" />
// Who may read a message, checked without joining the room's members. \`room.members.id ?= X\` makes
// PocketBase join every member of the room to every candidate message row (then DISTINCT them), so a
// page of 50 in a 1000-member room costs 50,000 joined rows. \`room.members ~ X\` is a LIKE on the
// members column (a JSON array of 15-character [a-z0-9] ids, so a match is exactly a member): one
// comparison per row. Keep the signed-in guard: an empty id would match every room.
const shipped = '${SHIPPED_READ_RULE}';
const canReadRoom = '${PROPOSED_READ_RULE}';

migrate((app) => {
  const messages = app.findCollectionByNameOrId("messages");
  messages.listRule = canReadRoom;
  messages.viewRule = canReadRoom;
  app.save(messages);
}, (app) => {
  const messages = app.findCollectionByNameOrId("messages");
  messages.listRule = shipped;
  messages.viewRule = shipped;
  app.save(messages);
});
`,
};
