/// <reference path="../pb_data/types.d.ts" />
// Reports (issue 18; backend/reports.go): anyone who can read a message reports it with a reason; only
// superusers read and settle reports. The create rule admits signed-in accounts; reports.go checks the
// reporter may read the message (the messages view rule itself) and fills reporter, status, author, room
// and excerpt. Every other rule is null: superusers only, so neither the reported person nor the reporter
// (nor anyone else) lists a report back.
//
// Relations are kept (not cascaded) when the message, its author or the reporter is deleted, so a report
// outlives a purge; `excerpt` keeps what was reported. One open report per person per message: a partial
// unique index, which leaves out reports whose message is gone (its relation emptied).
migrate(
  (app) => {
    const users = app.findCollectionByNameOrId('users');
    const messages = app.findCollectionByNameOrId('messages');
    const reports = new Collection({
      type: 'base',
      name: 'reports',
      listRule: null,
      viewRule: null,
      createRule: '@request.auth.id != "" && @request.auth.collectionName = "users"',
      updateRule: null,
      deleteRule: null,
      fields: [
        { type: 'relation', name: 'message', collectionId: messages.id, maxSelect: 1, cascadeDelete: false },
        { type: 'relation', name: 'reporter', collectionId: users.id, maxSelect: 1, cascadeDelete: false },
        { type: 'text', name: 'reason', required: true, min: 1, max: 1000 },
        { type: 'select', name: 'status', required: true, maxSelect: 1, values: ['open', 'resolved', 'dismissed'] },
        // Filled by the server from the message when the report is made.
        { type: 'relation', name: 'author', collectionId: users.id, maxSelect: 1, cascadeDelete: false },
        { type: 'text', name: 'room', max: 32 },
        { type: 'text', name: 'excerpt', max: 1000 },
        { type: 'autodate', name: 'created', onCreate: true, onUpdate: false },
        { type: 'autodate', name: 'updated', onCreate: true, onUpdate: true },
      ],
      indexes: [
        `CREATE UNIQUE INDEX idx_reports_open_once ON reports (message, reporter) WHERE status = 'open' AND message != '' AND reporter != ''`,
        'CREATE INDEX idx_reports_status_created ON reports (status, created)',
      ],
    });
    app.save(reports);

    // The dashboard's queue: open reports, oldest first, with how many open reports the message has.
    const open = new Collection({
      type: 'view',
      name: 'open_reports',
      listRule: null,
      viewRule: null,
      viewQuery: `SELECT r.id, r.created, r.reason, r.message, r.excerpt, r.author, r.reporter, r.room,
          (SELECT COUNT(*) FROM reports o WHERE o.status = 'open' AND o.message = r.message) AS reportsOfMessage
        FROM reports r
        WHERE r.status = 'open'
        ORDER BY r.created`,
    });
    app.save(open);
  },
  (app) => {
    app.delete(app.findCollectionByNameOrId('open_reports'));
    app.delete(app.findCollectionByNameOrId('reports'));
  },
);
