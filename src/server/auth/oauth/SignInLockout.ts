/** Options of {@link SignInLockout}; defaults in {@link DEFAULT_SIGN_IN_LOCKOUT_OPTIONS}. */
export interface SignInLockoutOptions {
  /** Attempts for one user name without a right password among them before the name is refused. Default 10. */
  maxFailures?: number;
  /** How long a name stays refused, counted from the first of those attempts, seconds. Default 900. */
  lockoutSeconds?: number;
  /** User names tracked at once; past it the oldest are forgotten, so the table stays bounded. Default 10,000. */
  maxNames?: number;
  /** Unix seconds now. Default `Date.now() / 1000`. */
  clock?: () => number;
}

/** Defaults of {@link SignInLockoutOptions}. */
export const DEFAULT_SIGN_IN_LOCKOUT_OPTIONS = {
  maxFailures: 10,
  lockoutSeconds: 900,
  maxNames: 10_000,
  clock: (): number => Date.now() / 1000,
} satisfies Required<SignInLockoutOptions>;

/**
 * Slows password guessing on the authorize page: counts sign-in attempts per user name until one
 * succeeds, and refuses a name for the rest of `lockoutSeconds` (from its first attempt) once it
 * has `maxFailures`. An attempt is counted when it starts, before its password check is awaited,
 * so a concurrent burst of guesses is counted in full too. Per server instance, in memory, at
 * most `maxNames` names. The clock is injected, so the specs can move time.
 *
 * @example
 * ```ts
 * const lockout = new SignInLockout({ maxFailures: 3 });
 * if (lockout.lockedFor('alice') > 0) refuse(); else { lockout.attempt('alice'); if (ok) lockout.succeeded('alice'); }
 * ```
 */
export class SignInLockout {
  private readonly o: Required<SignInLockoutOptions>;
  private readonly attempts = new Map<string, { count: number; since: number }>();

  /** @param options - See {@link SignInLockoutOptions}. */
  constructor(options: SignInLockoutOptions = {}) {
    this.o = { ...DEFAULT_SIGN_IN_LOCKOUT_OPTIONS, ...options };
  }

  /** Seconds (rounded up) before `name` may try again; 0 when it may try now. */
  lockedFor(name: string): number {
    const f = this.attempts.get(name);
    if (!f) return 0;
    const left = f.since + this.o.lockoutSeconds - this.o.clock();
    if (left <= 0) {
      this.attempts.delete(name);
      return 0;
    }
    return f.count >= this.o.maxFailures ? Math.ceil(left) : 0;
  }

  /** Counts one attempt for `name`, before its password is checked. */
  attempt(name: string): void {
    const now = this.o.clock();
    if (this.attempts.size > this.o.maxNames) for (const [k, f] of this.attempts) if (f.since + this.o.lockoutSeconds < now) this.attempts.delete(k);
    // Still full of live entries (many names at once): forget the oldest.
    for (const k of this.attempts.keys()) {
      if (this.attempts.size <= this.o.maxNames) break;
      this.attempts.delete(k);
    }
    const f = this.attempts.get(name);
    if (f) f.count++;
    else this.attempts.set(name, { count: 1, since: now });
  }

  /** A right password for `name`: its count starts again. */
  succeeded(name: string): void {
    this.attempts.delete(name);
  }

  /** User names tracked now. */
  get size(): number {
    return this.attempts.size;
  }
}
