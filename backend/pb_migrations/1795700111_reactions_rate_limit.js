/// <reference path="../pb_data/types.d.ts" />
// Reactions are budgeted per account like messages (backend/reactions.go counts them against the
// `*:create` rule, in a window of their own so reacting never eats into the budget for writing). Without
// this rule PocketBase's limiter would count signed-in reactions per address against `*:create` (20 in
// 10 s), shared by everyone in an office behind one address. As for messages (migration 1795700049),
// this is a ceiling for a whole address that only stops one address signing up accounts to multiply
// its budget.
const CEILING = { label: 'reactions:create', audience: '@auth', duration: 10, maxRequests: 1000 };

migrate(
  (app) => {
    const settings = app.settings();
    // PocketBase tries a request's most specific label first (`reactions:create` before `*:create`).
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
