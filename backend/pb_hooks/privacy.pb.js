/// <reference path="../pb_data/types.d.ts" />
// Keeps account details private beyond what the API rules can say: see privacy.lib.js for why.

// List requests of every collection: no filtering or sorting by private account fields, directly or
// through a relation, except by superusers.
onRecordsListRequest((e) => {
  if (!e.hasSuperuserAuth()) {
    const privacy = require(`${__hooks}/privacy.lib.js`);
    const query = e.requestInfo().query;
    if (privacy.mentionsPrivateField(query['filter']) || privacy.mentionsPrivateField(query['sort'])) {
      privacy.refuse();
    }
  }
  e.next();
});

// The same for realtime subscriptions, whose options carry a filter too.
onRealtimeSubscribeRequest((e) => {
  if (!e.hasSuperuserAuth()) {
    const privacy = require(`${__hooks}/privacy.lib.js`);
    for (const topic of e.subscriptions) {
      if (privacy.topicQuery(topic).some((expr) => privacy.mentionsPrivateField(expr))) {
        privacy.refuse();
      }
    }
  }
  e.next();
});

// Verification state is hidden from everyone but the account's owner by backend/privacy.go: it runs
// once per user record sent, so it is Go, not a JS handler.
