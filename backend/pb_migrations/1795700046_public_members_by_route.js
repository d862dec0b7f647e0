/// <reference path="../pb_data/types.d.ts" />
// A public room's members change only through the join and leave routes (backend/public_rooms.go,
// consent.go). Its owner could send `members` in an update, and since everyone but a superuser sees a
// public room's members as just themself (public_room_members.go), one careless client writing the
// record back, or one owner, would empty the room for everyone who joined it. Private rooms keep the
// owner's power to remove members.
const guard = '(kind != "public" || @request.body.members:isset = false)';

migrate(
  (app) => {
    const rooms = app.findCollectionByNameOrId('rooms');
    if (String(rooms.updateRule).includes(guard)) return;
    rooms.updateRule = `${rooms.updateRule} && ${guard}`;
    app.save(rooms);
  },
  (app) => {
    const rooms = app.findCollectionByNameOrId('rooms');
    rooms.updateRule = String(rooms.updateRule).replace(` && ${guard}`, '');
    app.save(rooms);
  },
);
