import type { Register } from '../command.js';
import { registerActivations } from './activations.js';
import { registerAugment } from './augment.js';
import { registerBackend } from './backend.js';
import { registerBench } from './bench.js';
import { registerDatasets } from './datasets.js';
import { registerEvaluate } from './evaluate.js';
import { registerExport } from './export.js';
import { registerFilters } from './filters.js';
import { registerImport } from './import.js';
import { registerPredict } from './predict.js';
import { registerSummary } from './summary.js';
import { registerTrain } from './train.js';
import { registerTransfer } from './transfer.js';
import { registerWorkshop } from './workshop.js';

/** Every command, in the order `cnnlab --help` lists them. */
export const COMMANDS: readonly Register[] = [
  registerWorkshop,
  registerTrain,
  registerEvaluate,
  registerPredict,
  registerExport,
  registerImport,
  registerSummary,
  registerFilters,
  registerBackend,
  registerActivations,
  registerTransfer,
  registerAugment,
  registerBench,
  registerDatasets,
];
