// 6. Activations of the CNN: what each of the trained CNN's convolutions computes for a test
// digit, one map a filter.
import { activations } from '@cnnlab/trainer';
import { activationFigure } from '@cnnlab/viz';
import { byId } from '../canvas';
import { showFigure } from '../figures';
import { digit, onTrained, state } from '../state';
import { explainOnClick, setupExplain } from './explain';

async function showActivations(): Promise<void> {
  const container = byId<HTMLDivElement>('act-grids');
  container.replaceChildren();
  byId('act-explain').hidden = true;
  const { model, modelKind, mnist } = state;
  if (!model || modelKind !== 'cnn' || !mnist) {
    byId('act-note').textContent = 'Train the CNN first (pick "CNN" above).';
    return;
  }
  const index = Math.max(0, Math.min(1999, Number(byId<HTMLInputElement>('act-index').value) || 0));
  const convs = model.layers
    .filter((layer) => layer.getClassName() === 'Conv2D')
    .map((layer) => layer.name);
  // Bytes, as the test split holds them: activations scales them by 1/255, as predict does.
  const outputs = await activations(model, { data: digit(index).data, shape: [1, 28, 28] }, convs);
  byId('act-note').textContent = `Test digit ${index}, label ${mnist.test.labels[index]}.`;
  const figures = outputs.map(({ layer, activation }, i) => {
    const figure = document.createElement('figure');
    figure.className = 'svg-figure';
    const body = document.createElement('div');
    body.dataset.layer = layer;
    const [, h, w, c] = activation.shape;
    showFigure(body, activationFigure(activation, { layer }));
    explainOnClick(body, layer, c ?? 0, [h ?? 0, w ?? 0], () => index);
    const caption = document.createElement('figcaption');
    caption.textContent =
      `What ${layer}'s ${c} filters see: one ${h}×${w} map each, bright yellow where a filter ` +
      `responds strongly, dark purple where it does not.` +
      (i > 0 ? ' Deeper layers see a smaller, coarser picture after each pooling.' : '');
    figure.append(body, caption);
    return figure;
  });
  // Replaced, not appended: a second click while the first is computing shows one set.
  container.replaceChildren(...figures);
}

/** Once the digits are loaded: the show button, and the note each training run leaves. */
export function initActivations(): void {
  byId('act-show').addEventListener('click', () => void showActivations());
  setupExplain(() =>
    Math.max(0, Math.min(1999, Number(byId<HTMLInputElement>('act-index').value) || 0)),
  );
  onTrained((kind) => {
    byId('act-note').textContent =
      kind === 'cnn'
        ? 'Pick a test digit and show what the three convolutions see.'
        : 'Train the CNN first.';
  });
}
