// Presence hints for the web build (web-bridge.ts): a page cannot see the computer's idle time, so
// "idle" is the time since the last input this page itself received, and a browser tab has no
// do-not-disturb setting of Palaver's own.
import type { PresenceHints } from '../../../src-shared/ipc.ts';

/** Input that shows someone is at this page. Scrolling and moving the mouse over it count. */
export const INPUT_EVENTS = ['keydown', 'pointerdown', 'pointermove', 'wheel', 'touchstart'] as const;

export function webPresenceHints(win: Window, now: () => number = () => Date.now()): () => Promise<PresenceHints> {
  let lastInput = now();
  const seen = () => {
    lastInput = now();
  };
  // Capturing and passive: the page's own handlers (which may stop propagation) and scrolling are untouched.
  // A stand-in window without events (other modules' tests) simply never hears input.
  for (const type of INPUT_EVENTS) win.addEventListener?.(type, seen, { capture: true, passive: true });
  return async () => ({ idleSeconds: Math.max(0, Math.floor((now() - lastInput) / 1000)), doNotDisturb: false });
}
