import { request as httpRequest, type IncomingHttpHeaders } from 'node:http';

/** One request of the traffic script. */
export interface TrafficRequest {
  readonly method: 'GET' | 'POST' | 'DELETE';
  readonly path: string;
  readonly token?: string;
  /** The address an ALB would append to `X-Forwarded-For` (the app trusts one hop). */
  readonly clientIp?: string;
  readonly body?: unknown;
  readonly headers?: Readonly<Record<string, string>>;
  /** Destroy the socket as soon as the response headers arrive (SPEC §5.6). */
  readonly abortAfterHeaders?: boolean;
}

/** What came back. `body` is parsed JSON, or undefined when empty or aborted. */
export interface TrafficResponse {
  readonly status: number;
  readonly headers: IncomingHttpHeaders;
  readonly body: unknown;
  readonly aborted: boolean;
}

/**
 * Sends one HTTP/1.1 request with `node:http`, which gives the abort case the
 * socket itself to destroy. No keep-alive, so the server drains at once on SIGTERM.
 *
 * @example
 * ```ts
 * const res = await send('http://127.0.0.1:3000', { method: 'GET', path: '/health' });
 * res.status; // 200
 * ```
 */
export function send(baseUrl: string, req: TrafficRequest): Promise<TrafficResponse> {
  const payload = req.body === undefined ? undefined : JSON.stringify(req.body);
  const headers: Record<string, string> = { 'user-agent': 'auditline-demo/1.0', ...req.headers };
  if (payload !== undefined) headers['content-type'] = 'application/json';
  if (req.token !== undefined) headers.authorization = `Bearer ${req.token}`;
  if (req.clientIp !== undefined) headers['x-forwarded-for'] = req.clientIp;
  return new Promise((resolve, reject) => {
    const outgoing = httpRequest(
      new URL(req.path, baseUrl),
      { method: req.method, headers, agent: false },
      (res) => {
        if (req.abortAfterHeaders) {
          outgoing.destroy();
          res.resume();
          resolve({
            status: res.statusCode ?? 0,
            headers: res.headers,
            body: undefined,
            aborted: true,
          });
          return;
        }
        const chunks: Buffer[] = [];
        res.on('data', (chunk: Buffer) => chunks.push(chunk));
        res.on('error', reject);
        res.on('end', () => {
          const text = Buffer.concat(chunks).toString('utf8');
          let body: unknown;
          try {
            body = text === '' ? undefined : JSON.parse(text);
          } catch {
            body = text;
          }
          resolve({ status: res.statusCode ?? 0, headers: res.headers, body, aborted: false });
        });
      },
    );
    outgoing.on('error', (error) => {
      if (!req.abortAfterHeaders) reject(error);
    });
    outgoing.end(payload);
  });
}
