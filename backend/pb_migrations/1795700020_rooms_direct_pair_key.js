/// <reference path="../pb_data/types.d.ts" />
// One direct conversation per pair of people, enforced by the database: `pairKey` holds the two people's
// ids, sorted and joined (set on every save by backend/direct_pairs.go), and a unique index over it for
// direct rooms makes the second of two racing creates fail instead of trusting a check-then-insert.
// A direct room that is no longer between two people (one of them deleted their account) has no key.
//
// Direct rooms that already exist get their key here. Where a race already made two or more rooms for
// one pair, the oldest is kept and the others' messages are moved into it before they are deleted, so
// no message is lost and each pair ends with one conversation.
migrate(
  (app) => {
    const rooms = app.findCollectionByNameOrId('rooms');
    rooms.fields.add(new TextField({ name: 'pairKey', hidden: true, max: 64 }));
    app.save(rooms);

    const byKey = new Map();
    const direct = app.findRecordsByFilter('rooms', 'kind = "direct"', 'created,id', 0, 0);
    for (const room of direct) {
      const people = [...new Set(room.getStringSlice('members'))].sort();
      const key = people.length === 2 ? people.join('|') : '';
      const kept = key === '' ? undefined : byKey.get(key);
      if (kept) {
        app
          .db()
          .newQuery('UPDATE messages SET room = {:kept} WHERE room = {:duplicate}')
          .bind({ kept: kept.id, duplicate: room.id })
          .execute();
        app.delete(room);
        continue;
      }
      byKey.set(key, room);
      room.set('pairKey', key);
      app.saveNoValidate(room);
    }

    rooms.addIndex('idx_rooms_direct_pair', true, 'pairKey', "kind = 'direct' AND pairKey != ''");
    app.save(rooms);
  },
  (app) => {
    const rooms = app.findCollectionByNameOrId('rooms');
    rooms.removeIndex('idx_rooms_direct_pair');
    rooms.fields.removeByName('pairKey');
    app.save(rooms);
  },
);
