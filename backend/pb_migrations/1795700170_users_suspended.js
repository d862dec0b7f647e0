/// <reference path="../pb_data/types.d.ts" />
// Suspended accounts (issue 18; backend/suspension.go): a superuser sets `suspended` in the dashboard and
// the account is refused everywhere (sign-in, old tokens, token refresh, realtime) until it is cleared.
// Only superusers change it (suspension.go refuses it to everyone else). Hidden: nobody else learns that
// an account is suspended; superusers see hidden fields in the dashboard and the API.
migrate(
  (app) => {
    const users = app.findCollectionByNameOrId('users');
    users.fields.add(new BoolField({ name: 'suspended', hidden: true }));
    app.save(users);
  },
  (app) => {
    const users = app.findCollectionByNameOrId('users');
    users.fields.removeByName('suspended');
    app.save(users);
  },
);
