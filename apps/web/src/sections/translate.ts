// 3. Translation: test digit 0 moved by the two sliders, beside the original.
import { translate } from '@cnnlab/augment';
import { originalAndTranslated } from '@cnnlab/viz';
import { byId } from '../canvas';
import { showFigure } from '../figures';
import { digit, state } from '../state';

/** "Moved 4 px right and 4 px up", in the words a student would use. */
function shiftTitle(dx: number, dy: number): string {
  const parts = [
    dx !== 0 ? `${Math.abs(dx)} px ${dx > 0 ? 'right' : 'left'}` : '',
    dy !== 0 ? `${Math.abs(dy)} px ${dy > 0 ? 'down' : 'up'}` : '',
  ].filter(Boolean);
  return parts.length > 0 ? `Moved ${parts.join(' and ')}` : 'Not moved (both sliders at 0)';
}

function updateTranslation(): void {
  if (!state.mnist) return;
  const original = digit(0);
  const dx = Number(byId<HTMLInputElement>('shift-x').value);
  const dy = Number(byId<HTMLInputElement>('shift-y').value);
  const moved = translate(original, dx, dy);
  const container = byId('translated');
  showFigure(
    container,
    originalAndTranslated(original, moved, {
      range: [0, 255],
      title: shiftTitle(dx, dy),
    }),
  );
}

/** Once the digits are loaded: the figure, redrawn as either slider moves. */
export function initTranslation(): void {
  updateTranslation();
  for (const id of ['shift-x', 'shift-y']) byId(id).addEventListener('input', updateTranslation);
}
