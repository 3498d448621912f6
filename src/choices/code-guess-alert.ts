import type { Logger } from '../lib/logger';
import type { Redis } from '../lib/redis';

export interface CodeGuessAlertState {
  /** When failed code entries passed the budget (ISO time). */
  since: string;
  /** The budget: failed code entries from every address together per window (FORM_FAILED_ATTEMPTS_GLOBAL). */
  limit: number;
  windowMinutes: number;
}

/**
 * Raised when failed postcard-code entries from every address together pass their budget in a
 * window: many addresses each under their own limit (a botnet) may be guessing codes. Code entry
 * stays open — refusing everyone would let an attacker lock every household out — and each
 * address keeps its own limits; the operators are told by one error-level log line per window and
 * a banner on the console's dashboard while it lasts (in Redis, so that every web process raises
 * and shows the same alert).
 */
export class CodeGuessAlert {
  constructor(
    private readonly redis: Redis,
    private readonly prefix: string,
    private readonly logger: Logger,
    private readonly budget: { limit: number; windowMinutes: number },
  ) {}

  private get key(): string {
    return `${this.prefix}:alert:code-guesses`;
  }

  /** Never fails: the visitor's code entry goes on whatever Redis answers (a failure is logged). */
  async raise(now = new Date()): Promise<void> {
    const state: CodeGuessAlertState = { since: now.toISOString(), ...this.budget };
    try {
      const first = await this.redis.set(this.key, JSON.stringify(state), 'PX', this.budget.windowMinutes * 60_000, 'NX');
      if (first !== 'OK') return;
      this.logger.error(
        { alert: 'code-guesses', ...state },
        `operator alert: more than ${state.limit} failed postcard-code entries in ${state.windowMinutes} minutes from all addresses together; someone may be guessing codes (code entry stays open, each address keeps its own limits)`,
      );
    } catch (error) {
      this.logger.warn({ err: error, alert: 'code-guesses' }, 'could not record the code-guess alert');
    }
  }

  /** The alert while it lasts; none when Redis does not answer within a moment (a console page must not wait for it). */
  async current(): Promise<CodeGuessAlertState | undefined> {
    const value = await Promise.race([this.redis.get(this.key), new Promise<null>((resolve) => setTimeout(() => resolve(null), 500).unref())]).catch(() => null);
    return value ? (JSON.parse(value) as CodeGuessAlertState) : undefined;
  }
}
