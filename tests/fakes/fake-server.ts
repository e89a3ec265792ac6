import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

/**
 * The base of every fake network: a real HTTP server on 127.0.0.1 that the real client libraries
 * talk to through the base URLs in the environment. It logs every request, and can be told to fail,
 * rate-limit, hang or answer slowly, so tests reproduce what networks do on a bad day.
 */
export interface RecordedRequest {
  method: string;
  path: string;
  query: URLSearchParams;
  headers: IncomingMessage['headers'];
  body: Buffer;
  /** When it arrived (epoch ms) and when its answer was sent, for timing benchmarks. */
  at: number;
  answeredAt?: number;
}

export interface FakeResponse {
  status: number;
  headers?: Record<string, string>;
  /** Sent as JSON unless it is a string or a Buffer. */
  body?: unknown;
}

export type Route = (request: RecordedRequest) => FakeResponse | Promise<FakeResponse>;

/** A fault for the next matching requests. */
export interface Fault {
  /** Only requests whose "METHOD /path" matches; default every request. */
  match?: RegExp;
  /** How many requests it applies to (default 1). */
  times?: number;
  /** How many matching requests to let through untouched first (default 0): "fail the third post". */
  skip?: number;
  /** Answer with this instead of handling the request (the request has no effect). */
  respond?: FakeResponse;
  /** Handle the request (it takes effect), then answer with this instead: a lost success. */
  respondAfterHandling?: FakeResponse;
  /** Never answer; with `afterHandling`, the request takes effect first. */
  hang?: boolean;
  afterHandling?: boolean;
}

export class FakeServer {
  readonly name: string;
  readonly requests: RecordedRequest[] = [];
  /** Added to every answer, in ms. */
  latencyMs = 0;
  private faults: Fault[] = [];
  private server: Server | undefined;
  private readonly route: Route;
  private readonly hanging = new Set<ServerResponse>();

  constructor(name: string, route: Route) {
    this.name = name;
    this.route = route;
  }

  /**
   * Starts listening on 127.0.0.1 and returns the base URL, e.g. http://127.0.0.1:41234. `port`: the
   * one it had before a stop, for a fake that goes down (connections refused) and comes back.
   */
  async start(port = 0): Promise<string> {
    this.server = createServer((req, res) => void this.handle(req, res));
    await new Promise<void>((resolve) => this.server!.listen(port, '127.0.0.1', resolve));
    return this.url;
  }

  get url(): string {
    const address = this.server!.address() as AddressInfo;
    return `http://127.0.0.1:${address.port}`;
  }

  async stop(): Promise<void> {
    for (const res of this.hanging) res.destroy();
    this.hanging.clear();
    this.server?.closeAllConnections();
    await new Promise<void>((resolve) => (this.server ? this.server.close(() => resolve()) : resolve()));
  }

  inject(fault: Fault): void {
    this.faults.push({ times: 1, ...fault });
  }

  clearFaults(): void {
    this.faults = [];
  }

  private takeFault(signature: string): Fault | undefined {
    const fault = this.faults.find((f) => !f.match || f.match.test(signature));
    if (!fault) return undefined;
    if (fault.skip) {
      fault.skip--;
      return undefined;
    }
    fault.times = (fault.times ?? 1) - 1;
    if (fault.times <= 0) this.faults.splice(this.faults.indexOf(fault), 1);
    return fault;
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const url = new URL(req.url ?? '/', 'http://fake');
    const request: RecordedRequest = {
      method: req.method ?? 'GET',
      path: url.pathname,
      query: url.searchParams,
      headers: req.headers,
      body: Buffer.concat(chunks),
      at: Date.now(),
    };
    this.requests.push(request);
    const fault = this.takeFault(`${request.method} ${request.path}`);
    if (this.latencyMs) await new Promise((r) => setTimeout(r, this.latencyMs));

    res.once('finish', () => (request.answeredAt = Date.now()));
    if (fault?.respond) return this.send(res, fault.respond);
    if (fault?.hang && !fault.afterHandling) {
      this.hanging.add(res);
      return;
    }
    let response: FakeResponse;
    try {
      response = await this.route(request);
    } catch (error) {
      response = { status: 500, body: { error: `fake ${this.name} crashed: ${(error as Error).message}` } };
    }
    if (fault?.hang) {
      this.hanging.add(res);
      return;
    }
    this.send(res, fault?.respondAfterHandling ?? response);
  }

  private send(res: ServerResponse, response: FakeResponse): void {
    const isRaw = typeof response.body === 'string' || Buffer.isBuffer(response.body);
    const body =
      response.body === undefined ? '' : isRaw ? (response.body as string | Buffer) : JSON.stringify(response.body);
    res.writeHead(response.status, {
      'content-type': isRaw ? 'text/plain' : 'application/json; charset=utf-8',
      ...response.headers,
    });
    res.end(body);
  }
}

/**
 * A fake network: its state and routes live in the subclass; starting, stopping and its address
 * are its server's.
 */
export abstract class FakeService {
  readonly server: FakeServer;

  constructor(name: string) {
    this.server = new FakeServer(name, (request) => this.route(request));
  }

  protected abstract route(request: RecordedRequest): FakeResponse | Promise<FakeResponse>;

  start(): Promise<string> {
    return this.server.start();
  }

  stop(): Promise<void> {
    return this.server.stop();
  }

  get url(): string {
    return this.server.url;
  }
}

/** Parses a request body as JSON, form or multipart field values (enough for the SDKs' requests). */
export function jsonBody(request: RecordedRequest): Record<string, unknown> {
  const text = request.body.toString('utf8');
  return text ? (JSON.parse(text) as Record<string, unknown>) : {};
}
