// The server's stdout reader, in its own process as a log driver would be: it
// must not share an event loop with autocannon, or a busy load generator would
// stall the pipe and throttle the synchronous writers unfairly.
let lines = 0;
process.stdin.on('data', (chunk: Buffer) => {
  let at = chunk.indexOf(0x0a);
  while (at !== -1) {
    lines++;
    at = chunk.indexOf(0x0a, at + 1);
  }
});
process.on('message', (message: { type: string }) => {
  if (message.type === 'count') process.send?.({ type: 'count', lines });
  if (message.type === 'stop') {
    process.stdin.destroy();
    process.disconnect?.();
  }
});
