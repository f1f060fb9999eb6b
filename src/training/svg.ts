/** Minimal inline-SVG charts for the offline report: no scripts, no external assets. */

export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

const W = 320;
const H = 240;
const PAD = 36;
const sx = (x: number) => PAD + x * (W - PAD - 10);
const sy = (y: number) => H - PAD - y * (H - PAD - 10);

function frame(title: string, xLabel: string, yLabel: string, body: string): string {
  const ticks = [0, 0.25, 0.5, 0.75, 1]
    .map(
      (t) =>
        `<line x1="${sx(t)}" y1="${sy(0)}" x2="${sx(t)}" y2="${sy(0) + 4}" stroke="#555"/>` +
        `<text x="${sx(t)}" y="${sy(0) + 15}" font-size="10" text-anchor="middle">${t}</text>` +
        `<line x1="${sx(0) - 4}" y1="${sy(t)}" x2="${sx(0)}" y2="${sy(t)}" stroke="#555"/>` +
        `<text x="${sx(0) - 6}" y="${sy(t) + 3}" font-size="10" text-anchor="end">${t}</text>`,
    )
    .join('');
  return `<figure><svg viewBox="0 0 ${W} ${H}" width="${W}" height="${H}" role="img" aria-label="${escapeHtml(title)}">
<rect x="${sx(0)}" y="${sy(1)}" width="${sx(1) - sx(0)}" height="${sy(0) - sy(1)}" fill="#fafafa" stroke="#999"/>
${ticks}${body}
<text x="${(sx(0) + sx(1)) / 2}" y="${H - 4}" font-size="11" text-anchor="middle">${escapeHtml(xLabel)}</text>
<text x="10" y="${(sy(0) + sy(1)) / 2}" font-size="11" text-anchor="middle" transform="rotate(-90 10 ${(sy(0) + sy(1)) / 2})">${escapeHtml(yLabel)}</text>
</svg><figcaption>${escapeHtml(title)}</figcaption></figure>`;
}

/** Thins a curve to at most `max` points, keeping both ends. */
function thin<T>(points: T[], max = 400): T[] {
  if (points.length <= max) return points;
  const step = (points.length - 1) / (max - 1);
  return Array.from({ length: max }, (_, i) => points[Math.round(i * step)]);
}

export function lineChart(
  title: string,
  xLabel: string,
  yLabel: string,
  points: Array<{ x: number; y: number }>,
  options: { diagonal?: boolean; markers?: boolean } = {},
): string {
  const path = thin(points)
    .map((p, i) => `${i === 0 ? 'M' : 'L'}${sx(p.x).toFixed(1)},${sy(p.y).toFixed(1)}`)
    .join('');
  const diagonal = options.diagonal
    ? `<line x1="${sx(0)}" y1="${sy(0)}" x2="${sx(1)}" y2="${sy(1)}" stroke="#bbb" stroke-dasharray="4 3"/>`
    : '';
  const markers = options.markers
    ? points
        .map((p) => `<circle cx="${sx(p.x).toFixed(1)}" cy="${sy(p.y).toFixed(1)}" r="3" fill="#1f6feb"/>`)
        .join('')
    : '';
  return frame(
    title,
    xLabel,
    yLabel,
    `${diagonal}<path d="${path}" fill="none" stroke="#1f6feb" stroke-width="2"/>${markers}`,
  );
}

export function histogram(
  title: string,
  xLabel: string,
  series: Array<{ label: string; color: string; counts: number[] }>,
): string {
  const bins = series[0].counts.length;
  const max = Math.max(1, ...series.flatMap((s) => s.counts));
  const width = (sx(1) - sx(0)) / bins;
  const bars = series
    .map((s, k) =>
      s.counts
        .map((c, b) => {
          const h = (c / max) * (sy(0) - sy(1));
          const x = sx(b / bins) + (k * width) / series.length;
          return `<rect x="${x.toFixed(1)}" y="${(sy(0) - h).toFixed(1)}" width="${(width / series.length).toFixed(1)}" height="${h.toFixed(1)}" fill="${s.color}"><title>${escapeHtml(s.label)}: ${c}</title></rect>`;
        })
        .join(''),
    )
    .join('');
  const legend = series
    .map(
      (s, k) =>
        `<rect x="${sx(0) + 8}" y="${sy(1) + 6 + k * 14}" width="10" height="10" fill="${s.color}"/><text x="${sx(0) + 22}" y="${sy(1) + 15 + k * 14}" font-size="10">${escapeHtml(s.label)}</text>`,
    )
    .join('');
  return frame(title, xLabel, `count (max ${max})`, bars + legend);
}
