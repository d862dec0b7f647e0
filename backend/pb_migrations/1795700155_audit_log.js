/// <reference path="../pb_data/types.d.ts" />
// The audit log (issue 18): one entry per moderation action, appended by the server only
// (backend/audit_log.go, appendAudit, in the action's own transaction). Superusers read it in the dashboard;
// nobody changes it: every rule is null (superusers only), and audit_log.go refuses creates, updates and
// deletes through the API even to superusers, so an entry is gone only with the database.
//
// `actor`, `target` and `room` are plain ids, not relations: a relation's cascade or "set empty" would
// rewrite or delete the entry when the person, message or room it names is deleted, which is just when the
// entry is wanted.
migrate(
  (app) => {
    const log = new Collection({
      type: 'base',
      name: 'audit_log',
      listRule: null,
      viewRule: null,
      createRule: null,
      updateRule: null,
      deleteRule: null,
      fields: [
        // Who acted: a users id, or a _superusers id when actorKind is superuser.
        { type: 'text', name: 'actor', required: true, max: 32 },
        { type: 'select', name: 'actorKind', required: true, maxSelect: 1, values: ['user', 'superuser'] },
        {
          type: 'select',
          name: 'action',
          required: true,
          maxSelect: 1,
          values: [
            'message_deleted',
            'member_removed',
            'moderator_added',
            'moderator_removed',
            'account_suspended',
            'account_restored',
            'messages_purged',
            'report_resolved',
          ],
        },
        // The record acted on: its collection ('messages', 'users', 'reports'…) and id.
        { type: 'text', name: 'targetCollection', required: true, max: 64 },
        { type: 'text', name: 'target', required: true, max: 32 },
        // The room it happened in, when there is one.
        { type: 'text', name: 'room', max: 32 },
        // What else a reader needs: the deleted message's author and text, how many were purged, a reason.
        { type: 'json', name: 'detail', maxSize: 20000 },
        { type: 'autodate', name: 'created', onCreate: true, onUpdate: false },
      ],
      indexes: [
        'CREATE INDEX idx_audit_log_created ON audit_log (created)',
        'CREATE INDEX idx_audit_log_target ON audit_log (target)',
        'CREATE INDEX idx_audit_log_actor ON audit_log (actor)',
      ],
    });
    app.save(log);
  },
  (app) => {
    app.delete(app.findCollectionByNameOrId('audit_log'));
  },
);
