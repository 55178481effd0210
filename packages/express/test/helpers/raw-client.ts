import { connect, type Socket } from 'node:net';

/** Opens a raw TCP connection to 127.0.0.1:port, resolved once connected. */
export function openSocket(port: number): Promise<Socket> {
  return new Promise((resolve, reject) => {
    const socket = connect({ host: '127.0.0.1', port }, () => resolve(socket));
    socket.on('error', () => {}); // resets are the point of these tests
    socket.once('error', reject);
  });
}

/** One HTTP/1.1 request as bytes; `body` sets Content-Length. */
export function requestBytes(
  method: string,
  path: string,
  options: { body?: string; headers?: Record<string, string>; declaredLength?: number } = {},
): string {
  const headers: Record<string, string> = { host: '127.0.0.1', ...options.headers };
  if (options.body !== undefined || options.declaredLength !== undefined) {
    headers['content-type'] = 'application/json';
    headers['content-length'] = String(
      options.declaredLength ?? Buffer.byteLength(options.body ?? ''),
    );
  }
  const head = Object.entries(headers)
    .map(([k, v]) => `${k}: ${v}\r\n`)
    .join('');
  return `${method} ${path} HTTP/1.1\r\n${head}\r\n${options.body ?? ''}`;
}

/** Resolves once the server has seen `count` requests (its `request` event). */
export function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
