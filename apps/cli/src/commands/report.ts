import { CliError } from '../errors.js';

export interface Figure {
  file: string;
  title: string;
  text: string;
}

/** A figure's file, as the report embeds it: a data: URI, so index.html needs nothing beside it. */
export function dataUri(file: string, bytes: Uint8Array): string {
  const type = file.endsWith('.svg')
    ? 'image/svg+xml'
    : file.endsWith('.json')
      ? 'application/json'
      : 'image/png';
  return `data:${type};base64,${Buffer.from(bytes).toString('base64')}`;
}

function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

function pct(x: unknown): string {
  return typeof x === 'number' ? `${(x * 100).toFixed(2)}%` : '–';
}

/** The report page: every figure with its line of explanation, and ours beside the workshop's numbers. */
export function renderReport(input: {
  figures: Figure[];
  metrics: Record<string, unknown>;
  vggText: string;
  /** Each file's contents (figures and metrics.json), embedded so the page opens anywhere. */
  embedded: ReadonlyMap<string, Uint8Array>;
}): string {
  const embed = (file: string) => {
    const bytes = input.embedded.get(file);
    if (!bytes) throw new CliError(`report: ${file} was not written before index.html`);
    return dataUri(file, bytes);
  };
  const m = input.metrics as {
    dense?: { testAccuracy: number };
    cnn?: { testAccuracy: number };
    backend?: { id: string };
    data?: string;
    quick?: boolean;
    seconds?: number;
  };
  const figures = input.figures
    .map(
      (f) => `<figure>
  <img src="${embed(f.file)}" alt="${escapeHtml(f.title)}" data-file="${escapeHtml(f.file)}">
  <figcaption><strong>${escapeHtml(f.title)}</strong><br>${escapeHtml(f.text)}</figcaption>
</figure>`,
    )
    .join('\n');
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<title>cnnlab workshop report</title>
<style>
body { font: 16px/1.5 system-ui, sans-serif; max-width: 60rem; margin: 2rem auto; padding: 0 1rem; }
figure { margin: 2rem 0; }
figure img { max-width: 100%; image-rendering: pixelated; border: 1px solid #ddd; }
table { border-collapse: collapse; } td, th { border: 1px solid #ccc; padding: .3rem .6rem; }
pre { font-size: 12px; overflow: auto; background: #f6f6f6; padding: 1rem; }
</style>
</head>
<body>
<h1>cnnlab: the convolutional networks workshop</h1>
<p>${escapeHtml(m.data ?? '')}. Backend: ${escapeHtml(m.backend?.id ?? '')}.${m.quick ? ' Quick configuration (fewer epochs).' : ''} Ran in ${m.seconds ?? '?'} s.</p>
<table>
<tr><th>network</th><th>test accuracy here (8,000 training digits)</th><th>workshop (full MNIST, 60,000)</th></tr>
<tr><td>dense</td><td>${pct(m.dense?.testAccuracy)}</td><td>≈ 97.9%</td></tr>
<tr><td>CNN</td><td>${pct(m.cnn?.testAccuracy)}</td><td>≈ 99.2%</td></tr>
</table>
${figures}
<h2>VGG16 with its base frozen</h2>
<p>Keras's VGG16 architecture without its top at 150×150×3, every layer frozen, then a new dense head: only the head trains (transfer learning). Weights are random here; nothing was downloaded.</p>
<pre>${escapeHtml(input.vggText)}</pre>
<p>All numbers: <a href="${embed('metrics.json')}" download="metrics.json">metrics.json</a>. This page is self-contained: every figure is inside it, and the folder keeps each one as a file too.</p>
</body>
</html>
`;
}
