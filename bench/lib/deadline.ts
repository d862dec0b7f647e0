// Every wait in a benchmark has a deadline: a benchmark that waits for something that never comes
// (a count the app no longer reaches, a server that stopped answering) must fail and say what it was
// waiting for and what it saw, instead of hanging a CI run or a person's terminal.

export class DeadlineError extends Error {
  override name = 'DeadlineError';
}

/** "1.5 s", "60 s", "250 ms": how long a wait lasted, for error messages. */
export function duration(ms: number): string {
  if (ms < 1000) return `${Math.round(ms)} ms`;
  const s = ms / 1000;
  return `${Number.isInteger(s) ? s : s.toFixed(1)} s`;
}

type Saw = () => string | Promise<string>;

async function describe(saw: Saw | undefined): Promise<string> {
  if (!saw) return '';
  try {
    return `, saw ${await saw()}`;
  } catch (error) {
    return ` (could not read what it saw: ${(error as Error).message.split('\n')[0]})`;
  }
}

export interface Deadlines {
  /**
   * Resolves as `work` does, or rejects with "<bench>: waited <ms> for <what>, saw <saw()>" once `ms`
   * have passed. The work itself is not cancelled: the caller stops what it started (a server, a page).
   */
  within<T>(what: string, ms: number, work: Promise<T>, saw?: Saw): Promise<T>;
  /**
   * Calls `probe` every `intervalMs` until `done` says its value is enough; returns that value. After
   * `ms` it rejects, naming what it waited for and the last value seen (`show`, default String()).
   */
  poll<T>(
    what: string,
    ms: number,
    probe: () => T | Promise<T>,
    done: (value: T) => boolean,
    options?: { intervalMs?: number; show?: (value: T) => string },
  ): Promise<T>;
}

/** The deadline helpers of one benchmark, whose name starts every error they raise. */
export function deadlines(bench: string): Deadlines {
  const message = (what: string, ms: number) => `${bench}: waited ${duration(ms)} for ${what}`;
  const within = <T>(what: string, ms: number, work: Promise<T>, saw?: Saw): Promise<T> => {
    let timer: NodeJS.Timeout | undefined;
    const expired = new Promise<never>((_, reject) => {
      timer = setTimeout(
        () => void describe(saw).then((seen) => reject(new DeadlineError(`${message(what, ms)}${seen}`))),
        ms,
      );
    });
    return Promise.race([work, expired]).finally(() => clearTimeout(timer));
  };
  const poll = async <T>(
    what: string,
    ms: number,
    probe: () => T | Promise<T>,
    done: (value: T) => boolean,
    options: { intervalMs?: number; show?: (value: T) => string } = {},
  ): Promise<T> => {
    const until = Date.now() + ms;
    const show = options.show ?? ((value: T) => String(value));
    let last: { value: T } | undefined;
    for (;;) {
      // A probe that hangs (a page that stopped answering) is held to the same deadline.
      const value = await within(what, Math.max(1000, until - Date.now()), Promise.resolve(probe()), () =>
        last ? show(last.value) : 'nothing yet',
      );
      last = { value };
      if (done(value)) return value;
      if (Date.now() >= until) throw new DeadlineError(`${message(what, ms)}, saw ${show(value)}`);
      await new Promise((resolve) =>
        setTimeout(resolve, Math.min(options.intervalMs ?? 100, Math.max(0, until - Date.now()))),
      );
    }
  };
  return { within, poll };
}
