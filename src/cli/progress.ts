/**
 * A progress reporter: a redrawn bar on a terminal, a plain line every 10% otherwise (logs, CI).
 */
export function progressReporter(label: string, stream: NodeJS.WriteStream = process.stderr) {
  let lastDecile = -1;
  let lastDraw = 0;
  return {
    /** `unit` 'MB' shows bytes as megabytes; anything else shows plain counts. */
    update(done: number, total: number | null, unit = 'MB') {
      const fraction = total ? Math.min(1, done / total) : null;
      const scale = unit === 'MB' ? 1e6 : 1;
      const digits = unit === 'MB' ? 1 : 0;
      const amount = `${(done / scale).toFixed(digits)}${total ? `/${(total / scale).toFixed(digits)}` : ''} ${unit}`;
      if (stream.isTTY) {
        const now = Date.now();
        if (now - lastDraw < 100 && fraction !== 1) return;
        lastDraw = now;
        const width = 30;
        const bar =
          fraction === null
            ? ''
            : `[${'#'.repeat(Math.round(fraction * width)).padEnd(width, '.')}] ${(fraction * 100).toFixed(0)}% `;
        stream.write(`\r${label} ${bar}${amount}`);
        return;
      }
      const decile = fraction === null ? Math.floor(done / (10 * scale)) : Math.floor(fraction * 10);
      if (decile === lastDecile) return;
      lastDecile = decile;
      stream.write(`${label} ${fraction === null ? '' : `${(fraction * 100).toFixed(0)}% `}${amount}\n`);
    },
    done() {
      if (stream.isTTY) stream.write('\n');
    },
  };
}
