import { gzipSync } from 'node:zlib';

/** Builds a ustar archive (gzipped) from path -> content, the way `tar czf` lays it out. */
export function makeTarGz(files: Record<string, string>): Buffer {
  const blocks: Buffer[] = [];
  for (const [path, content] of Object.entries(files)) {
    const body = Buffer.from(content, 'utf8');
    const header = Buffer.alloc(512);
    const name = path.length > 100 ? path.slice(path.lastIndexOf('/', path.length - 100) + 1) : path;
    const prefix = path.length > 100 ? path.slice(0, path.length - name.length - 1) : '';
    header.write(name, 0, 100, 'utf8');
    header.write('0000644\0', 100);
    header.write('0000000\0', 108);
    header.write('0000000\0', 116);
    header.write(`${body.length.toString(8).padStart(11, '0')}\0`, 124);
    header.write('00000000000\0', 136);
    header.write('        ', 148);
    header.write('0', 156);
    header.write('ustar\0', 257);
    header.write('00', 263);
    header.write(prefix, 345, 155, 'utf8');
    let sum = 0;
    for (const byte of header) sum += byte;
    header.write(`${sum.toString(8).padStart(6, '0')}\0 `, 148);
    blocks.push(header, body, Buffer.alloc((512 - (body.length % 512)) % 512));
  }
  blocks.push(Buffer.alloc(1024));
  return gzipSync(Buffer.concat(blocks));
}

/** A miniature aclImdb: train and test, pos and neg, plus unsup and files that must be skipped. */
export function miniAclImdb(): Record<string, string> {
  return {
    'aclImdb/README': 'Large Movie Review Dataset v1.0',
    'aclImdb/imdb.vocab': 'the\nand\n',
    'aclImdb/train/pos/0_9.txt': 'A great film, loved it.<br /><br />Superb.',
    'aclImdb/train/pos/1_10.txt': 'Wonderful and moving.',
    'aclImdb/train/neg/0_2.txt': 'Awful, boring film.',
    'aclImdb/train/neg/10_1.txt': 'Terrible acting, hated it.',
    'aclImdb/train/unsup/0_0.txt': 'Unlabelled review, skipped.',
    'aclImdb/train/urls_pos.txt': 'http://www.imdb.com/title/tt0453418/usercomments',
    'aclImdb/test/pos/3_8.txt': 'Loved every minute.',
    'aclImdb/test/neg/4_3.txt': 'A waste of time.',
  };
}
