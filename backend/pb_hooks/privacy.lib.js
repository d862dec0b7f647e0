/// <reference path="../pb_data/types.d.ts" />

// Account fields that only their owner (and superusers) may see or query. PocketBase already hides
// email unless emailVisibility is true (which our rules never allow), but it still lets anyone *sort*
// by email, through users or through a relation such as messages.user.email: registering accounts
// with chosen emails and watching where they land would reveal other people's emails letter by letter.
const PRIVATE_FIELD = /\b(email|emailVisibility|verified|tokenKey|password)\b/;

/**
 * True when a filter or sort expression refers to a private account field, directly (`email`), through
 * a relation (`user.email`) or another collection (`@collection.users.email`). Quoted literals are
 * ignored, so searching message text for the word "email" is fine, and so is the caller's own
 * `@request.auth.*`.
 */
function mentionsPrivateField(expr) {
  const identifiers = String(expr || '')
    .replace(/"(?:[^"\\]|\\.)*"|'(?:[^'\\]|\\.)*'/g, "''")
    .replace(/@request\.auth\.[\w.:]+/g, '');
  return PRIVATE_FIELD.test(identifiers);
}

/**
 * The filter and sort of a realtime topic such as `users/*?options=%7B%22query%22...`: the options are
 * URI-encoded JSON, as the JS SDK sends them. A topic whose options cannot be read is answered as if it
 * had a private filter, since the server might read what we cannot.
 */
function topicQuery(topic) {
  const at = topic.indexOf('?options=');
  if (at < 0) return [];
  try {
    const options = JSON.parse(decodeURIComponent(topic.slice(at + '?options='.length)));
    const query = (options && options.query) || {};
    return [query.filter, query.sort];
  } catch (_) {
    return ['email'];
  }
}

function refuse() {
  throw new BadRequestError('Filtering or sorting by email, verification or password fields is not allowed.');
}

module.exports = { mentionsPrivateField, topicQuery, refuse };
