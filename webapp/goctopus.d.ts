// Types of the Goctopus browser client: /goctopus.js (the global `Goctopus`) and
// /goctopus.mjs (the ES module), both served by the push service.

export as namespace Goctopus;

/**
 * connecting: an upgrade is under way; open: messages flow; reconnecting: waiting
 * before the next attempt; unauthorized: the upgrade was refused with 401 or 403, and
 * the client stopped for good; closed: close() was called.
 */
export type State = "connecting" | "open" | "reconnecting" | "unauthorized" | "closed";

/** With "reconnecting": the wait in ms and the attempt's number; with "unauthorized": the refusal. */
export interface StateDetail {
  delay?: number;
  attempt?: number;
  status?: number;
  reason?: string;
}

export interface Options {
  /** The service's websocket, e.g. "wss://push.example.com/"; default: where the script came from. */
  url?: string;
  /**
   * Called once per message (re-deliveries of a handled id are dropped). The message is
   * acknowledged when it returns, or when the promise it returns resolves; if it throws
   * or rejects, the error goes to onError and the message comes again after a reconnect.
   */
  onMessage(payload: unknown, id: string): void | PromiseLike<unknown>;
  onOpen?(): void;
  /** Every close of the connection but the one close() makes. A reconnect follows unless stopped. */
  onClose?(code: number, reason: string): void;
  /** A handler that threw or rejected, a frame that was not JSON, a callback that threw. */
  onError?(error: unknown): void;
  /** The upgrade was refused with 401 or 403 (not logged in, forbidden, foreign Origin): no retry follows. */
  onUnauthorized?(status: number, reason: string): void;
  onStateChange?(state: State, detail?: StateDetail): void;
  /** First reconnect waits up to this, in ms (default 500); each later one up to twice as long. */
  minDelay?: number;
  /** Cap of the reconnect wait in ms (default 30000). */
  maxDelay?: number;
  /** How many handled ids are remembered to drop re-deliveries (default 1000). */
  dedupe?: number;
}

export interface Client {
  readonly state: State;
  readonly url: string;
  /** Closes the connection and stops for good. */
  close(): void;
}

export function connect(options: Options): Client;

/** Where the script was loaded from, which names the default service. */
export let scriptUrl: string | null;
