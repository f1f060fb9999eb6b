export interface TarEntry {
  path: string;
  /** '0' (or '\0') is a regular file. */
  type: string;
  content: Uint8Array;
}

function readString(block: Uint8Array, start: number, length: number): string {
  let end = start;
  while (end < start + length && block[end] !== 0) end++;
  return new TextDecoder().decode(block.subarray(start, end));
}

function readOctal(block: Uint8Array, start: number, length: number): number {
  const text = readString(block, start, length).trim();
  if (text === '') return 0;
  if (!/^[0-7]+$/.test(text)) throw new Error(`bad size field "${text}"`);
  return Number.parseInt(text, 8);
}

/**
 * Reads a POSIX (ustar, pax, GNU long-name) tar stream, yielding regular files one at a time without
 * extracting anything to disk.
 */
export async function* readTar(chunks: AsyncIterable<Uint8Array>): AsyncGenerator<TarEntry> {
  let buffer = new Uint8Array(0);
  let longName: string | null = null;
  const iterator = chunks[Symbol.asyncIterator]();
  let done = false;
  const fill = async (needed: number) => {
    while (buffer.length < needed && !done) {
      const next = await iterator.next();
      if (next.done) {
        done = true;
        break;
      }
      const joined = new Uint8Array(buffer.length + next.value.length);
      joined.set(buffer);
      joined.set(next.value, buffer.length);
      buffer = joined;
    }
    return buffer.length >= needed;
  };
  while (true) {
    if (!(await fill(512))) {
      if (buffer.length === 0) return;
      throw new Error('the archive ends inside a header');
    }
    const header = buffer.subarray(0, 512);
    if (header.every((b) => b === 0)) return;
    const size = readOctal(header, 124, 12);
    const type = String.fromCharCode(header[156] || 0x30);
    const prefix = readString(header, 345, 155);
    const name = readString(header, 0, 100);
    const padded = 512 + Math.ceil(size / 512) * 512;
    if (!(await fill(padded))) throw new Error(`the archive ends inside ${name}`);
    const content = buffer.slice(512, 512 + size);
    buffer = buffer.subarray(padded);
    if (type === 'L') {
      longName = readString(content, 0, content.length);
      continue;
    }
    if (type === 'x') {
      const match = /(?:^|\n)\d+ path=([^\n]*)\n/.exec(new TextDecoder().decode(content));
      if (match) longName = match[1];
      continue;
    }
    const path = longName ?? (prefix ? `${prefix}/${name}` : name);
    longName = null;
    yield { path, type, content };
  }
}
