/**
 * A progress reporter: a redrawn bar on a terminal, a plain line every 10% otherwise (logs, CI).
 */
export function progressReporter(label: string, stream: NodeJS.WriteStream = process.stderr) {
  let lastDecile = -1;
  let lastDraw = 0;
  return {
    /** `unit` 'MB' shows bytes as megabytes; anything else shows plain counts. */
    update(done: number, total: number | null, unit = 'MB', suffix = '') {
      const fraction = total ? Math.min(1, done / total) : null;
      const scale = unit === 'MB' ? 1e6 : 1;
      const digits = unit === 'MB' ? 1 : 0;
      // '%' is the bar's own unit: nothing to add beside it.
      const amount =
        unit === '%'
          ? ''
          : `${(done / scale).toFixed(digits)}${total ? `/${(total / scale).toFixed(digits)}` : ''} ${unit}`;
      if (stream.isTTY) {
        const now = Date.now();
        if (now - lastDraw < 100 && fraction !== 1) return;
        lastDraw = now;
        const width = 30;
        const bar =
          fraction === null
            ? ''
            : `[${'#'.repeat(Math.round(fraction * width)).padEnd(width, '.')}] ${(fraction * 100).toFixed(0)}% `;
        stream.write(`\r${label} ${bar}${amount}${suffix}\x1b[K`);
        return;
      }
      const decile = fraction === null ? Math.floor(done / (10 * scale)) : Math.floor(fraction * 10);
      if (decile === lastDecile) return;
      lastDecile = decile;
      stream.write(
        `${label} ${fraction === null ? '' : `${(fraction * 100).toFixed(0)}% `}${amount}${suffix}\n`,
      );
    },
    done() {
      if (stream.isTTY) stream.write('\n');
    },
  };
}

/** "1m 05s" or "12s": a duration for an ETA. */
export function formatDuration(seconds: number): string {
  const s = Math.max(0, Math.round(seconds));
  return s >= 60 ? `${Math.floor(s / 60)}m ${String(s % 60).padStart(2, '0')}s` : `${s}s`;
}

/** The rate and time left of a job `fraction` done after `elapsed` seconds, as a progress suffix. */
export function rateAndEta(rows: number, fraction: number, elapsed: number): string {
  const rate = elapsed > 0 ? Math.round(rows / elapsed) : 0;
  const eta =
    fraction > 0.001 && fraction < 1 ? `, ${formatDuration((elapsed * (1 - fraction)) / fraction)} left` : '';
  return ` · ${rows.toLocaleString('en-US')} reviews, ${rate.toLocaleString('en-US')}/s${eta}`;
}
