/// <reference path="../pb_data/types.d.ts" />
// Signed-in message creates are budgeted per account (backend/account_rate_limit.go counts them against
// the `*:create` rule), so an office behind one address no longer shares one budget. PocketBase's own
// limiter still counts per address; for signed-in message creates it now meets this rule first: a
// ceiling for a whole address, wide enough for an office writing at full speed, that only stops one
// address signing up accounts to multiply its budget. Signed-out requests keep their per-address rules.
const CEILING = { label: 'messages:create', audience: '@auth', duration: 10, maxRequests: 1000 };

migrate(
  (app) => {
    const settings = app.settings();
    // PocketBase tries a request's most specific label first (`messages:create` before `*:create`), so
    // this rule is the one its limiter applies to signed-in message creates.
    settings.rateLimits.rules = [CEILING, ...settings.rateLimits.rules];
    app.save(settings);
  },
  (app) => {
    const settings = app.settings();
    settings.rateLimits.rules = settings.rateLimits.rules.filter(
      (rule) => !(rule.label === CEILING.label && rule.audience === CEILING.audience),
    );
    app.save(settings);
  },
);
