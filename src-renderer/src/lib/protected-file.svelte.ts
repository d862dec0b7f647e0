// The URL of one protected file for an <img>, <video> or <audio>: made once when the element mounts (or
// comes near the screen),
// with the session's file token, and kept when the token turns (the bytes are already loaded: nothing
// reloads); made once more, with a newer token, when loading fails. A second failure in a row is final.
import type { FileTokens } from './file-tokens.ts';

export class ProtectedFile {
  private token = $state<string | null>(null);
  private retried = false;
  /** Loading failed with a fresh token too, or no token could be had. */
  failed = $state(false);
  /**
   * Which try this is: the element is made anew for the retry (keyed on this), so it loads again even
   * when the server answered with the same token (two tokens made within one second are the same).
   */
  attempt = $state(0);

  private started = false;

  /** With `deferred`, no URL is made until `start()`: an image far off screen asks when it comes near. */
  constructor(
    private readonly tokens: Pick<FileTokens, 'current' | 'get' | 'renew'>,
    private readonly urlOf: (token: string) => string,
    options: { deferred?: boolean } = {},
  ) {
    if (!options.deferred) this.start();
  }

  /** Makes the URL with the token held now (a newer one when it is near its end). */
  start(): void {
    if (this.started) return;
    this.started = true;
    this.token = this.tokens.current();
    if (this.token === null)
      this.tokens.get().then(
        (token) => (this.token = token),
        () => (this.failed = true),
      );
  }

  /** The element loaded: a later failure (a long video played past its token's life) may retry again. */
  loaded(): void {
    this.retried = false;
  }

  /** The URL to load, empty until a token is here. */
  get url(): string {
    return this.token === null ? '' : this.urlOf(this.token);
  }

  /** The element could not load its URL: once, a newer token; then it stays failed. */
  loadFailed(): void {
    const token = this.token;
    if (this.retried || token === null) {
      this.failed = true;
      return;
    }
    this.retried = true;
    this.tokens.renew(token).then(
      (next) => {
        this.token = next;
        this.attempt += 1;
      },
      () => (this.failed = true),
    );
  }
}
