/** A small SVG line chart of loss and accuracy per batch (no chart library needed). */
const NS = 'http://www.w3.org/2000/svg';

export interface Series {
  name: string;
  color: string;
  values: number[];
}

export function drawChart(svg: SVGSVGElement, series: Series[]): void {
  const width = 320;
  const height = 120;
  const pad = 4;
  svg.replaceChildren();
  const longest = Math.max(2, ...series.map((s) => s.values.length));
  const top = Math.max(1, ...series.flatMap((s) => s.values.filter(Number.isFinite)));
  for (const [index, s] of series.entries()) {
    const points = s.values
      .map((v, i) => {
        const x = pad + (i / (longest - 1)) * (width - 2 * pad);
        const y = height - pad - (Math.min(v, top) / top) * (height - 2 * pad);
        return `${x.toFixed(1)},${y.toFixed(1)}`;
      })
      .join(' ');
    const line = document.createElementNS(NS, 'polyline');
    line.setAttribute('points', points);
    line.setAttribute('fill', 'none');
    line.setAttribute('stroke', s.color);
    line.setAttribute('stroke-width', '1.5');
    svg.append(line);
    const label = document.createElementNS(NS, 'text');
    label.setAttribute('x', String(width - 90));
    label.setAttribute('y', String(14 + index * 14));
    label.setAttribute('fill', s.color);
    label.setAttribute('font-size', '11');
    label.textContent = s.name;
    svg.append(label);
  }
}
