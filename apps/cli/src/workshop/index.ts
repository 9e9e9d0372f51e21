export type { WorkshopContext, WorkshopOptions } from './context.js';
export { epochsForSteps, WORKSHOP_STEPS } from './numbers.js';
export { workshop } from './run.js';
