/// <reference path="../pb_data/types.d.ts" />
// Production settings that can be code. Deployment-specific values (appURL, SMTP, backups, S3) are set
// by backend/deploy, not here.
migrate(
  (app) => {
    const settings = app.settings();

    settings.meta.appName = 'Palaver';
    // The schema lives in pb_migrations; hide the dashboard's collection editing controls so nobody
    // changes production by clicking.
    settings.meta.hideControls = true;

    settings.batch.enabled = false;
    settings.logs.maxDays = 7;

    // Limits per client IP. Sign-in and sign-up are tight against password guessing and account spam;
    // creates (messages, rooms) allow a fast typist's bursts; everything else is generous enough for
    // paging through history. Superusers are never limited.
    settings.rateLimits.enabled = true;
    settings.rateLimits.rules = [
      { label: '*:auth', audience: '', duration: 60, maxRequests: 10 },
      { label: 'users:create', audience: '', duration: 60, maxRequests: 5 },
      { label: '*:requestPasswordReset', audience: '', duration: 60, maxRequests: 3 },
      { label: '*:requestVerification', audience: '', duration: 60, maxRequests: 3 },
      { label: '*:requestEmailChange', audience: '', duration: 60, maxRequests: 3 },
      { label: '*:requestOTP', audience: '', duration: 60, maxRequests: 3 },
      { label: '*:create', audience: '', duration: 10, maxRequests: 20 },
      { label: '/api/batch', audience: '', duration: 1, maxRequests: 3 },
      { label: '/api/', audience: '', duration: 10, maxRequests: 300 },
    ];

    app.save(settings);
  },
  (app) => {
    const settings = app.settings();
    settings.rateLimits.enabled = false;
    settings.meta.hideControls = false;
    app.save(settings);
  },
);
