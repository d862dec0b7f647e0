/// <reference path="../pb_data/types.d.ts" />
// Palaver has no signed-out reading: "anyone on this server" means anyone signed in to it. Profiles,
// public rooms and their messages were readable by anyone who could reach the server (REST and the
// `users/*`, `rooms/*`, `messages/*` realtime topics, which PocketBase checks against these same rules),
// while the app itself reads nothing before sign-in. Every read rule now starts with the signed-in guard.
// Signing up and signing in need no read rule: they still work signed out.
const signedIn = '@request.auth.id != ""';
const readRules = ['listRule', 'viewRule'];
const collections = ['users', 'rooms', 'messages'];

function guarded(rule) {
  return rule.trim() === '' ? signedIn : `${signedIn} && (${rule})`;
}

function unguarded(rule) {
  if (rule === signedIn) return '';
  const prefix = `${signedIn} && (`;
  if (!rule.startsWith(prefix) || !rule.endsWith(')')) {
    throw new Error(`"${rule}" does not start with the signed-in guard this migration added; revert by hand`);
  }
  return rule.slice(prefix.length, -1);
}

function apply(app, change) {
  for (const name of collections) {
    const collection = app.findCollectionByNameOrId(name);
    for (const key of readRules) {
      // null means superusers only: nothing to guard. (A rule comes from Go as a string pointer.)
      const rule = collection[key];
      if (rule !== null && rule !== undefined) collection[key] = change(String(rule));
    }
    app.save(collection);
  }
}

migrate(
  (app) => apply(app, guarded),
  (app) => apply(app, unguarded),
);
