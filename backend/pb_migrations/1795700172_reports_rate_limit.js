/// <reference path="../pb_data/types.d.ts" />
// Reports are budgeted per account (backend/reports.go counts each account's reports against this rule):
// reporting is rare, so a small budget stops one account flooding the administrators' queue. A plain
// label that PocketBase's own limiter never looks up, so the budget is one account's, not one address's;
// PocketBase's `*:create` rule still bounds each address.
const RULE = { label: 'palaverReports', audience: '@auth', duration: 600, maxRequests: 10 };

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
