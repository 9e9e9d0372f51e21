import { TrainError } from './errors.js';

export type MonitorMode = 'min' | 'max' | 'auto';

/** Whether a monitored value improves upwards: Keras's 'auto' guesses it from the name. */
export function improvesUp(monitor: string, mode: MonitorMode): boolean {
  if (mode !== 'min' && mode !== 'max' && mode !== 'auto') {
    throw new TrainError(
      `mode is ${JSON.stringify(mode)}; expected 'min', 'max' or 'auto'`,
      'mode',
    );
  }
  if (mode !== 'auto') return mode === 'max';
  return /acc|auc|precision|recall/.test(monitor);
}
