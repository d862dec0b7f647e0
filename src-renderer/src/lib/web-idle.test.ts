import { describe, expect, it } from 'vitest';
import { webPresenceHints } from './web-idle.ts';

describe('webPresenceHints', () => {
  it("counts idle time from the page's last input, never do-not-disturb", async () => {
    const page = new EventTarget();
    let clock = 1_000_000;
    const hints = webPresenceHints(page as unknown as Window, () => clock);
    expect(await hints()).toEqual({ idleSeconds: 0, doNotDisturb: false });

    clock += 601_500;
    expect(await hints()).toEqual({ idleSeconds: 601, doNotDisturb: false });

    page.dispatchEvent(new Event('keydown'));
    clock += 2_000;
    expect((await hints()).idleSeconds).toBe(2);

    clock += 30_000;
    page.dispatchEvent(new Event('pointermove'));
    expect((await hints()).idleSeconds).toBe(0);
  });

  it('ignores events that are not input', async () => {
    const page = new EventTarget();
    let clock = 0;
    const hints = webPresenceHints(page as unknown as Window, () => clock);
    clock = 700_000;
    page.dispatchEvent(new Event('focus'));
    page.dispatchEvent(new Event('visibilitychange'));
    expect((await hints()).idleSeconds).toBe(700);
  });
});
