import { AsyncLocalStorage } from 'node:async_hooks';
import { AtpAgent } from '@atproto/api';
import { ChannelError } from './channel-error.ts';
import { toChannelError, type HttpOutcome } from './bluesky-errors.ts';

export interface BlueskyOptions {
  /** The PDS (or entryway) to log in to: https://bsky.social, or a local fake. */
  service: string;
  handle: string;
  appPassword: string;
  /** Limit for each step (log in, upload, create, look up, delete), in ms. */
  timeoutMs?: number;
}

/** One step's signal, and the last HTTP answer it saw, shared with the agent's fetch. */
interface StepScope {
  signal: AbortSignal;
  last: HttpOutcome | undefined;
}

interface StepOptions {
  login?: boolean;
  mayCreate?: boolean;
}

/**
 * The session and transport under the Bluesky channel: one AtpAgent, logged in on first use, and
 * every request run as a "step" with the caller's signal, a deadline, and failures mapped to
 * ChannelError with no secret in the message.
 */
export class BlueskyClient {
  readonly agent: AtpAgent;
  private readonly handle: string;
  private readonly appPassword: string;
  /** Limit for each step, in ms. */
  readonly timeoutMs: number;
  /** The service's origin, for messages. */
  private readonly service: string;
  /** Every token the session has held: a PDS may echo one in an error body. */
  private readonly tokens = new Set<string>();
  private readonly scopes = new AsyncLocalStorage<StepScope>();
  private loggingIn: Promise<void> | undefined;

  constructor(options: BlueskyOptions) {
    this.handle = options.handle;
    this.appPassword = options.appPassword;
    this.timeoutMs = options.timeoutMs ?? 20_000;
    this.service = URL.parse(options.service)?.origin ?? options.service;
    this.agent = new AtpAgent({
      service: options.service,
      fetch: (input, init) => this.fetchInStep(input, init),
      persistSession: (_event, session) => {
        if (session) for (const token of [session.accessJwt, session.refreshJwt]) this.tokens.add(token);
      },
    });
  }

  /**
   * Logs in on first use, once per channel; the agent refreshes the session itself. Only if the
   * session is lost (a failed login, a refused refresh) does the next call log in again.
   */
  async logIn(signal: AbortSignal): Promise<void> {
    if (this.agent.hasSession) return;
    this.loggingIn ??= this.step(
      'log in',
      signal,
      async () => {
        await this.agent.login({ identifier: this.handle, password: this.appPassword });
      },
      { login: true },
    ).finally(() => {
      this.loggingIn = undefined;
    });
    await this.loggingIn;
  }

  /** Runs one request under the caller's signal and a deadline, mapping any failure. */
  async step<T>(
    action: string,
    signal: AbortSignal,
    run: (signal: AbortSignal) => Promise<T>,
    options: StepOptions = {},
  ): Promise<T> {
    const scope: StepScope = {
      signal: AbortSignal.any([signal, AbortSignal.timeout(this.timeoutMs)]),
      last: undefined,
    };
    try {
      scope.signal.throwIfAborted();
      return await this.scopes.run(scope, () => run(scope.signal));
    } catch (error) {
      throw toChannelError(error, {
        action,
        service: this.service,
        response: scope.last,
        aborted: scope.signal.aborted,
        timeoutMs: this.timeoutMs,
        login: options.login ?? false,
        mayCreate: options.mayCreate ?? false,
        secrets: [this.appPassword, ...this.tokens],
      });
    }
  }

  /**
   * The agent's fetch. The SDK's login takes no signal, so the step's signal arrives through
   * async context; the step also learns the real HTTP status, which the SDK's errors lose when a
   * body is not JSON.
   */
  private async fetchInStep(input: RequestInfo | URL, init?: RequestInit): Promise<Response> {
    const scope = this.scopes.getStore();
    const signals = [AbortSignal.timeout(this.timeoutMs)];
    if (scope) signals.push(scope.signal);
    const own = init?.signal ?? (input instanceof Request ? input.signal : undefined);
    if (own) signals.push(own);
    const response = await fetch(input, { ...init, signal: AbortSignal.any(signals) });
    if (scope) scope.last = { status: response.status, headers: Object.fromEntries(response.headers) };
    return response;
  }

  did(): string {
    const did = this.agent.session?.did;
    if (!did) throw new ChannelError('bluesky', 'auth', 'Bluesky: not logged in');
    return did;
  }

  /** The handle the PDS knows the account by, for post URLs. */
  accountHandle(): string {
    return this.agent.session?.handle ?? this.handle;
  }
}
