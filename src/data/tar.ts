export interface TarEntry {
  path: string;
  /** '0' (or '\0') is a regular file. */
  type: string;
  content: Uint8Array;
}

/** Largest entry read into memory: a review file is kilobytes; anything this big is not one. */
export const MAX_TAR_ENTRY_BYTES = 8 * 1024 * 1024;

function readString(block: Uint8Array, start: number, length: number): string {
  let end = start;
  while (end < start + length && block[end] !== 0) end++;
  return new TextDecoder().decode(block.subarray(start, end));
}

function readNumber(block: Uint8Array, start: number, length: number, field: string): number {
  // GNU base-256 for values too big for octal: high bit set, big-endian binary after it.
  if (block[start] & 0x80) {
    let value = block[start] & 0x7f;
    for (let i = start + 1; i < start + length; i++) value = value * 256 + block[i];
    return value;
  }
  const text = readString(block, start, length).trim();
  if (text === '') return 0;
  if (!/^[0-7]+$/.test(text)) throw new Error(`bad ${field} field "${text}"`);
  return Number.parseInt(text, 8);
}

/** The header's checksum holds: the sum of its bytes with the checksum field read as spaces. */
function checksumHolds(header: Uint8Array): boolean {
  const stored = readNumber(header, 148, 8, 'checksum');
  let unsigned = 0;
  let signed = 0;
  for (let i = 0; i < 512; i++) {
    const b = i >= 148 && i < 156 ? 0x20 : header[i];
    unsigned += b;
    signed += b > 127 ? b - 256 : b;
  }
  // POSIX says unsigned; some old writers summed signed bytes.
  return stored === unsigned || stored === signed;
}

/** A byte queue over a stream's chunks: reads and skips in time linear in the bytes, never re-joining. */
class ByteQueue {
  private chunks: Uint8Array[] = [];
  private head = 0;
  private available = 0;
  private ended = false;
  constructor(private readonly iterator: AsyncIterator<Uint8Array>) {}

  /** True when `n` bytes are buffered (reading more as needed); false when the stream ends first. */
  private async want(n: number): Promise<boolean> {
    while (this.available < n && !this.ended) {
      const next = await this.iterator.next();
      if (next.done) this.ended = true;
      else if (next.value.length > 0) {
        this.chunks.push(next.value);
        this.available += next.value.length;
      }
    }
    return this.available >= n;
  }

  get empty(): boolean {
    return this.available === 0;
  }

  /** The next `n` bytes, or null when the stream ends first. */
  async take(n: number): Promise<Uint8Array | null> {
    if (!(await this.want(n))) return null;
    const first = this.chunks[0];
    if (first && first.length - this.head >= n) {
      const out = first.subarray(this.head, this.head + n);
      this.advance(n);
      return out;
    }
    const out = new Uint8Array(n);
    let at = 0;
    while (at < n) {
      const chunk = this.chunks[0];
      const part = Math.min(n - at, chunk.length - this.head);
      out.set(chunk.subarray(this.head, this.head + part), at);
      at += part;
      this.advance(part);
    }
    return out;
  }

  /** Drops the next `n` bytes without keeping them; false when the stream ends first. */
  async skip(n: number): Promise<boolean> {
    let left = n;
    while (left > 0) {
      if (this.available === 0 && !(await this.want(1))) return false;
      const part = Math.min(left, this.available, this.chunks[0].length - this.head);
      this.advance(part);
      left -= part;
    }
    return true;
  }

  async ready(): Promise<boolean> {
    return this.want(1);
  }

  private advance(n: number): void {
    this.head += n;
    this.available -= n;
    while (this.chunks.length > 0 && this.head >= this.chunks[0].length) {
      this.head -= this.chunks[0].length;
      this.chunks.shift();
    }
  }
}

/**
 * Reads a POSIX (ustar, pax, GNU long-name) tar stream, yielding the regular files that `wanted`
 * asks for, one at a time, without extracting anything to disk. Entries not wanted are skipped
 * without being held in memory; every header's checksum is verified; a wanted entry over
 * `MAX_TAR_ENTRY_BYTES` is an error naming it.
 */
export async function* readTar(
  chunks: AsyncIterable<Uint8Array>,
  wanted: (path: string, type: string) => boolean = () => true,
): AsyncGenerator<TarEntry> {
  const queue = new ByteQueue(chunks[Symbol.asyncIterator]());
  let longName: string | null = null;
  while (true) {
    if (!(await queue.ready())) return;
    const header = await queue.take(512);
    if (header === null) throw new Error('the archive ends inside a header');
    if (header.every((b) => b === 0)) return;
    if (!checksumHolds(header)) throw new Error('a header fails its checksum (a damaged or non-tar file)');
    const size = readNumber(header, 124, 12, 'size');
    const type = String.fromCharCode(header[156] || 0x30);
    const prefix = readString(header, 345, 155);
    const name = readString(header, 0, 100);
    const padding = Math.ceil(size / 512) * 512 - size;
    const path = type === 'L' || type === 'x' ? name : (longName ?? (prefix ? `${prefix}/${name}` : name));
    const keep = type === 'L' || type === 'x' || wanted(path, type);
    if (!keep) {
      longName = null;
      if (!(await queue.skip(size + padding))) throw new Error(`the archive ends inside ${path}`);
      continue;
    }
    if (size > MAX_TAR_ENTRY_BYTES)
      throw new Error(`${path} is ${size} bytes; entries over ${MAX_TAR_ENTRY_BYTES} bytes are not read`);
    const content = await queue.take(size);
    if (content === null || !(await queue.skip(padding))) throw new Error(`the archive ends inside ${path}`);
    if (type === 'L') {
      longName = readString(content, 0, content.length);
      continue;
    }
    if (type === 'x') {
      const match = /(?:^|\n)\d+ path=([^\n]*)\n/.exec(new TextDecoder().decode(content));
      if (match) longName = match[1];
      continue;
    }
    longName = null;
    yield { path, type, content };
  }
}
