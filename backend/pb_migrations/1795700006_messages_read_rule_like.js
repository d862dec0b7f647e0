/// <reference path="../pb_data/types.d.ts" />
// Who may read (and post to) a room's messages, checked without joining the room's members.
// `room.members.id ?= X` makes PocketBase join every member of the room to every candidate message row,
// so a page of 50 in a 1,000-member room is 50,000 joined rows (measured by bench/history.ts: see
// bench/README.md). `room.members ~ X` is a match on the members column, a JSON array of 15-character
// [a-z0-9] ids: a 15-character [a-z0-9] id can only match a whole member id, so it is exact
// and fast. The signed-in guard stays: an empty id would match every room.
const joined = '(room.kind = "public" || (@request.auth.id != "" && room.members.id ?= @request.auth.id))';
const matched = '(room.kind = "public" || (@request.auth.id != "" && room.members ~ @request.auth.id))';

function swap(app, from, to) {
  const messages = app.findCollectionByNameOrId('messages');
  for (const rule of ['listRule', 'viewRule', 'createRule', 'updateRule']) {
    if (messages[rule] === null || !messages[rule].includes(from)) {
      throw new Error(`messages.${rule} does not contain the expected read condition; update this migration`);
    }
    messages[rule] = messages[rule].replace(from, to);
  }
  app.save(messages);
}

migrate(
  (app) => swap(app, joined, matched),
  (app) => swap(app, matched, joined),
);
