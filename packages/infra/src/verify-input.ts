import { isAscii } from 'node:buffer';
import { closeSync, createReadStream, openSync, readSync, statSync } from 'node:fs';
import { pipeline, Readable } from 'node:stream';
import {
  createRecordSplitter,
  type OversizedSink,
  type RecordSink,
  type RecordSplitter,
} from './input-formats.js';
import { VerifyInputError } from './verify-errors.js';

/** gzip magic bytes (RFC 1952 §2.3.1: ID1 = 0x1f, ID2 = 0x8b). */
const GZIP_MAGIC = [0x1f, 0x8b] as const;

/**
 * How many gzip layers are peeled. Two occur in practice: Firehose compressing
 * (GZIP) records that are themselves CloudWatch's gzip subscription payloads.
 */
export const MAX_GZIP_LAYERS = 3;

/**
 * Largest expansion accepted from one gzip layer, checked once it has given
 * {@link GZIP_EXPANSION_CHECK_BYTES}. Audit lines compress about 3x (chained:
 * the hashes are random) to 15x; deflate's ceiling is about 1032x, reached by
 * runs of one byte, which is what a decompression bomb is made of. A bomb is
 * refused (exit 2) early, in bounded memory and time (issue #13).
 */
export const MAX_GZIP_EXPANSION = 250;
/** Output of a gzip layer after which {@link MAX_GZIP_EXPANSION} applies: small inputs never trip it. */
export const GZIP_EXPANSION_CHECK_BYTES = 64 * 1024 * 1024;

/** Passes `gunzip`'s output on, refusing it once it expands past {@link MAX_GZIP_EXPANSION}. */
async function* limitExpansion(
  gunzip: AsyncIterable<Buffer> & { destroy(): void },
  compressedBytes: () => number,
): AsyncGenerator<Buffer> {
  let out = 0;
  for await (const chunk of gunzip) {
    out += chunk.length;
    if (out > GZIP_EXPANSION_CHECK_BYTES && out > compressedBytes() * MAX_GZIP_EXPANSION) {
      gunzip.destroy();
      throw new VerifyInputError(
        `refused: gzip expands more than ${MAX_GZIP_EXPANSION}x (${out.toLocaleString('en-US')} bytes from ${compressedBytes().toLocaleString('en-US')}); audit logs compress far less, so this is a decompression bomb or not a log. Fix: check the file; gunzip it yourself if it is genuine`,
      );
    }
    yield chunk;
  }
}

/** Peeks at the first bytes and gunzips when they are the gzip magic, recursively. */
async function* gunzipIfNeeded(
  source: AsyncIterable<Buffer>,
  layer: number,
): AsyncGenerator<Buffer> {
  const iterator = source[Symbol.asyncIterator]();
  let head: Buffer = Buffer.alloc(0);
  let done = false;
  while (head.length < GZIP_MAGIC.length) {
    const next = await iterator.next();
    if (next.done) {
      done = true;
      break;
    }
    head = head.length === 0 ? next.value : Buffer.concat([head, next.value]);
  }
  let consumed = head.length;
  async function* rest(): AsyncGenerator<Buffer> {
    if (head.length > 0) yield head;
    if (done) return;
    for (;;) {
      const next = await iterator.next();
      if (next.done) return;
      consumed += next.value.length;
      yield next.value;
    }
  }
  if (head[0] === GZIP_MAGIC[0] && head[1] === GZIP_MAGIC[1] && layer < MAX_GZIP_LAYERS) {
    // Loaded only for gzip input: a plain log never needs zlib (issue #15).
    const { createGunzip } = await import('node:zlib');
    const gunzip = createGunzip();
    // Errors of either side surface through gunzip's iterator (pipeline destroys it).
    pipeline(Readable.from(rest()), gunzip, () => {});
    yield* gunzipIfNeeded(
      limitExpansion(gunzip, () => consumed),
      layer + 1,
    );
  } else {
    yield* rest();
  }
}

/**
 * Bytes read per `readSync` from a regular file, into one reused buffer. As
 * the streams' 64 KiB; 1 MiB stream chunks were slower (bench/README.md).
 */
const FILE_CHUNK_BYTES = 64 * 1024;

/** Text from decoded chunks of one input, for the record splitter. */
interface ChunkDecoder {
  /** The text of `chunk` (which may be reused after the call). */
  write(chunk: Buffer): void;
  /** Flushes a partial character held at the end. */
  end(): void;
}

function chunkDecoder(splitter: RecordSplitter): ChunkDecoder {
  // Invalid UTF-8 becomes U+FFFD; the HMAC then fails on that line, as it should.
  // `ignoreBOM`: ASCII chunks bypass the decoder, so its first bytes may lie
  // deep in the input, where a stripped EF BB BF would be three bytes of a line
  // its HMAC never saw, reported CLEAN. Kept, U+FEFF is part of the line; a
  // mark at the very start still goes, as whitespace the splitter trims.
  const decoder = new TextDecoder('utf-8', { ignoreBOM: true });
  // Whether the decoder holds no partial character: true until a non-ASCII
  // chunk ends in a byte >= 0x80 (an ASCII byte ends any sequence).
  let settled = true;
  return {
    write(chunk: Buffer): void {
      // An ASCII chunk decodes to the same text as Latin-1, which is a plain
      // copy: 8.7% of a verify profile went to TextDecoder on such chunks (issue #6).
      if (settled && isAscii(chunk)) {
        // With the chunk: records whole inside it are hashed from these bytes (issue #15).
        splitter.write(chunk.toString('latin1'), chunk);
      } else {
        splitter.write(decoder.decode(chunk, { stream: true }));
        // An empty chunk changes nothing: the decoder may still hold a partial character.
        if (chunk.length > 0) settled = (chunk[chunk.length - 1] as number) < 0x80;
      }
    },
    end(): void {
      if (!settled) splitter.write(decoder.decode());
    },
  };
}

/**
 * Reads a regular file that is not gzip with `readSync` into one reused
 * buffer, and returns true; false (nothing read) for anything else, which
 * takes the stream path. The stream path spent 25% of a verify profile in
 * reads and idle waiting on them, a fresh 64 KiB buffer per chunk (issue #15).
 */
function readPlainFile(name: string, decode: ChunkDecoder): boolean {
  // Checked before opening: opening a FIFO waits for its writer, and closing
  // it again would drop what the writer wrote.
  if (!statSync(name).isFile()) return false;
  const fd = openSync(name, 'r');
  try {
    const buffer = Buffer.allocUnsafe(FILE_CHUNK_BYTES);
    let n = readSync(fd, buffer, 0, FILE_CHUNK_BYTES, 0);
    if (n >= GZIP_MAGIC.length && buffer[0] === GZIP_MAGIC[0] && buffer[1] === GZIP_MAGIC[1]) {
      return false;
    }
    let position = n;
    while (n > 0) {
      decode.write(buffer.subarray(0, n));
      n = readSync(fd, buffer, 0, FILE_CHUNK_BYTES, position);
      position += n;
    }
    decode.end();
    return true;
  } finally {
    closeSync(fd);
  }
}

/**
 * Reads one input (a file path, or `-` for stdin), gunzips it when it starts
 * with the gzip magic, decodes UTF-8 and emits audit-line candidates.
 * Throws {@link VerifyInputError} when the input cannot be read.
 *
 * @example
 * ```ts
 * await readRecords('audit.ndjson.gz', (record) => verifier.push(record));
 * ```
 */
export async function readRecords(
  name: string,
  emit: RecordSink,
  stdin?: AsyncIterable<Buffer>,
  oversized?: OversizedSink,
): Promise<void> {
  const splitter = createRecordSplitter(emit, oversized);
  const decode = chunkDecoder(splitter);
  try {
    if (name === '-' || !readPlainFile(name, decode)) {
      // process.stdin is built on first read, so only for `-` (issue #15).
      const source: AsyncIterable<Buffer> =
        name === '-' ? (stdin ?? process.stdin) : createReadStream(name);
      for await (const chunk of gunzipIfNeeded(source, 0)) decode.write(chunk);
      decode.end();
    }
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    const what = name === '-' ? 'stdin' : name;
    const reason =
      code === 'ENOENT'
        ? 'no such file'
        : code === 'EISDIR'
          ? 'is a directory'
          : code === 'EACCES'
            ? 'permission denied'
            : code?.startsWith('Z_')
              ? `not valid gzip (${(error as Error).message})`
              : (error as Error).message;
    throw new VerifyInputError(`${what}: cannot read input: ${reason}`, { cause: error });
  }
  splitter.end();
}
