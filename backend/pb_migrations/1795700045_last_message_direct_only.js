/// <reference path="../pb_data/types.d.ts" />
// `lastMessageAt` is kept for direct conversations only (backend/room_activity.go says why): the times
// 1795700040 filled in for other rooms would go stale, so they are cleared rather than left to mislead.
migrate(
  (app) => {
    app.db().newQuery("UPDATE rooms SET lastMessageAt = '' WHERE kind != 'direct'").execute();
  },
  (app) => {
    app
      .db()
      .newQuery(
        "UPDATE rooms SET lastMessageAt = COALESCE((SELECT MAX(created) FROM messages WHERE messages.room = rooms.id), '') WHERE kind != 'direct'",
      )
      .execute();
  },
);
