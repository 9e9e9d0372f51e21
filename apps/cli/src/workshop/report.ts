import { CliError } from '../errors.js';
import { percent } from '../output.js';

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
  return typeof x === 'number' ? percent(x) : '–';
}

const err = (accuracy: number | undefined) =>
  typeof accuracy === 'number' ? pct(1 - accuracy) : '–';

function steps(run: { steps?: number; epochs?: number } | undefined): string {
  if (run?.steps === undefined) return '–';
  return `${run.steps.toLocaleString('en')} (${run.epochs ?? '?'} epoch${run.epochs === 1 ? '' : 's'})`;
}

const workshop = (stepCount: number | undefined, epochs: number, accuracy: number) =>
  `${stepCount?.toLocaleString('en') ?? '–'} (${epochs} epochs), ≈ ${pct(accuracy)}, ≈ ${pct(1 - accuracy)}`;

/** The workshop's message, in this run's numbers. */
function ratioLine(ratio: number | null | undefined, quick: boolean | undefined): string {
  if (typeof ratio !== 'number') return '';
  const said = `The CNN's test error is ${ratio.toFixed(2)}× the dense network's`;
  if (quick)
    return `${said} after a single epoch each (quick mode: the full run gives each network the workshop's number of gradient steps).`;
  return ratio <= 0.6
    ? `${said}: as in the workshop, the convolutions cut the error by about half or more.`
    : `${said}; the workshop's CNN halves it.`;
}

/** What metrics.json's `transfer` holds, as far as the report reads it. */
interface TransferMetrics {
  epochs: number;
  testImages: number;
  base: { testAccuracy: number; trainImages: number; testImages: number; epochs: number };
  results: {
    examplesPerClass: number;
    trainImages: number;
    transferred: { testAccuracy: number; trainableParams: number };
    scratch: { testAccuracy: number; trainableParams: number };
  }[];
}

/** Step 7 on real digits: both accuracies for each number of examples, in a table. */
function transferSection(t: TransferMetrics | undefined): string {
  if (!t) return '';
  const rows = t.results
    .map(
      (r) =>
        `<tr><td>${r.examplesPerClass} (${r.trainImages} images)</td><td>${pct(r.transferred.testAccuracy)}</td><td>${pct(r.scratch.testAccuracy)}</td><td>${r.transferred.trainableParams.toLocaleString('en')} / ${r.scratch.trainableParams.toLocaleString('en')}</td></tr>`,
    )
    .join('\n');
  return `<h2>Transfer learning on real digits</h2>
<p>The workshop CNN learnt digits 0–4 from ${t.base.trainImages.toLocaleString('en')} images in ${t.base.epochs} epoch(s): ${pct(t.base.testAccuracy)} on their ${t.base.testImages.toLocaleString('en')} test digits. Its convolutions, frozen, with a new head (Dense 64 relu, Dense 5 softmax), then learnt digits 5–9 from a few examples each; the same CNN from random weights learnt the same examples for as long (${t.epochs} epoch(s), same seed). Test accuracy on the ${t.testImages.toLocaleString('en')} test digits 5–9:</p>
<table id="transfer">
<tr><th>examples per digit</th><th>transferred</th><th>from scratch</th><th>weights trained (transferred / scratch)</th></tr>
${rows}
</table>
`;
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
    dense?: { testAccuracy: number; steps?: number; workshopSteps?: number; epochs?: number };
    cnn?: {
      testAccuracy: number;
      steps?: number;
      workshopSteps?: number;
      epochs?: number;
      errorRatio?: number | null;
    };
    backend?: { id: string };
    data?: string;
    quick?: boolean;
    seconds?: number;
    transfer?: TransferMetrics;
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
<tr><th>network</th><th>gradient steps here (epochs of 8,000 digits)</th><th>test accuracy here</th><th>test error here</th><th>workshop (full MNIST, 60,000): steps, accuracy, error</th></tr>
<tr><td>dense</td><td>${steps(m.dense)}</td><td>${pct(m.dense?.testAccuracy)}</td><td>${err(m.dense?.testAccuracy)}</td><td>${workshop(m.dense?.workshopSteps, 10, 0.979)}</td></tr>
<tr><td>CNN</td><td>${steps(m.cnn)}</td><td>${pct(m.cnn?.testAccuracy)}</td><td>${err(m.cnn?.testAccuracy)}</td><td>${workshop(m.cnn?.workshopSteps, 2, 0.992)}</td></tr>
</table>
<p>${ratioLine(m.cnn?.errorRatio, m.quick)}</p>
${figures}
${transferSection(m.transfer)}<h2>VGG16 with its base frozen</h2>
<p>Keras's VGG16 architecture without its top at 150×150×3, every layer frozen, then a new dense head: only the head trains (transfer learning). Weights are random here; nothing was downloaded.</p>
<pre>${escapeHtml(input.vggText)}</pre>
<p>All numbers: <a href="${embed('metrics.json')}" download="metrics.json">metrics.json</a>. This page is self-contained: every figure is inside it, and the folder keeps each one as a file too.</p>
</body>
</html>
`;
}
