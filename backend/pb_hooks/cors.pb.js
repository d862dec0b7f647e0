/// <reference path="../pb_data/types.d.ts" />
// Lets a client on another origin (the desktop app at app://palaver) read the Date header: it is the
// server's clock, which the client uses to know from when to fill a gap after a reconnect, so the
// user's own clock never decides which messages are fetched.
routerUse((e) => {
  e.response.header().set("Access-Control-Expose-Headers", "Date");
  return e.next();
});
