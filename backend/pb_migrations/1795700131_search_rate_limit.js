/// <reference path="../pb_data/types.d.ts" />
// Searches are budgeted per account (backend/search_route.go counts each signed-in account's searches
// against this rule): a search reads up to a thousand matches, far more than a page of messages, so it
// gets a budget of its own below the `/api/` rule. The label is a plain word that PocketBase's own
// limiter never looks up, so the budget is one account's, not one address's (an office behind one
// address shares nothing); the `/api/` rule still bounds each address. Enough for search as you type with
// a short pause between requests.
const RULE = { label: 'palaverSearch', audience: '@auth', duration: 10, maxRequests: 50 };

migrate(
  (app) => {
    const settings = app.settings();
    settings.rateLimits.rules = [...settings.rateLimits.rules, RULE];
    app.save(settings);
  },
  (app) => {
    const settings = app.settings();
    settings.rateLimits.rules = settings.rateLimits.rules.filter(
      (rule) => !(rule.label === RULE.label && rule.audience === RULE.audience),
    );
    app.save(settings);
  },
);
