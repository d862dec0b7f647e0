/// <reference path="../pb_data/types.d.ts" />
// Users: public profiles (username, name, avatar), private emails, sign-in by email or username.
migrate(
  (app) => {
    const users = app.findCollectionByNameOrId('users');

    users.fields.add(
      new TextField({
        name: 'username',
        required: true,
        min: 3,
        max: 32,
        pattern: '^[A-Za-z0-9_.-]+$',
        presentable: true,
      }),
    );
    // NOCASE makes "Alice" and "alice" one name, and makes sign-in by username case-insensitive
    // (PocketBase matches identity fields with the collation of their unique index).
    users.addIndex('idx_users_username', true, 'username COLLATE NOCASE', '');
    users.passwordAuth.identityFields = ['email', 'username'];

    const avatar = users.fields.getByName('avatar');
    // No SVG: an SVG is a document that can carry script, served from the server's own origin.
    avatar.mimeTypes = ['image/jpeg', 'image/png', 'image/gif', 'image/webp'];
    avatar.maxSize = 2 * 1024 * 1024;
    avatar.thumbs = ['80x80', '160x160'];

    const name = users.fields.getByName('name');
    name.max = 64;

    // Profiles are public (as in the seed). Emails stay private: the API hides an email unless
    // emailVisibility is true, and no non-superuser can ever set it to true.
    const emailStaysPrivate = '(@request.body.emailVisibility:isset = false || @request.body.emailVisibility = false)';
    users.listRule = '';
    users.viewRule = '';
    users.createRule = emailStaysPrivate;
    const self = '@request.auth.id != "" && id = @request.auth.id';
    users.updateRule = self + ' && ' + emailStaysPrivate;
    users.deleteRule = self;

    app.save(users);
  },
  (app) => {
    const users = app.findCollectionByNameOrId('users');
    users.passwordAuth.identityFields = ['email'];
    users.removeIndex('idx_users_username');
    users.fields.removeByName('username');
    const owner = 'id = @request.auth.id';
    users.listRule = owner;
    users.viewRule = owner;
    users.createRule = '';
    users.updateRule = owner;
    users.deleteRule = owner;
    app.save(users);
  },
);
