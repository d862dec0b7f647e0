/// <reference path="../pb_data/types.d.ts" />
// An account's email is set only when its owner confirms it from the mail sent to it (backend/
// email_claims.go), so a new account starts without one and signs in with its username until then.
migrate(
  (app) => {
    const users = app.findCollectionByNameOrId('users');
    users.fields.getByName('email').required = false;
    app.save(users);
  },
  (app) => {
    const users = app.findCollectionByNameOrId('users');
    users.fields.getByName('email').required = true;
    app.save(users);
  },
);
