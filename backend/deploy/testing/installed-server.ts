// What the deploy rehearsals ask of a server they installed and started themselves (rehearsal.test.ts,
// litestream.test.ts): is it up, has it settled after a restart, and a superuser client of it.
import PocketBase, { BaseAuthStore } from 'pocketbase';

/** `url` is asked each time: the rehearsals learn their port in a beforeAll. */
export function installedServer(url: () => string, admin: { email: string; password: string }) {
  const healthy = async () => (await fetch(`${url()}/api/health`).catch(() => null))?.ok === true;
  return {
    healthy,
    /**
     * After a restart, this process's pooled keep-alive connections point at the old server process and
     * fail once each: use them up until the new server answers a few times in a row.
     */
    async settle(): Promise<boolean> {
      let inRow = 0;
      for (const deadline = Date.now() + 15_000; inRow < 3 && Date.now() < deadline;) {
        inRow = (await healthy()) ? inRow + 1 : 0;
        if (inRow === 0) await new Promise((r) => setTimeout(r, 100));
      }
      return inRow >= 3;
    },
    async superuser(): Promise<PocketBase> {
      const pb = new PocketBase(url(), new BaseAuthStore());
      await pb.collection('_superusers').authWithPassword(admin.email, admin.password);
      return pb;
    },
  };
}
