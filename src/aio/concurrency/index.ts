export { ConcurrencyController, type Change, type ChangeReason, type ControllerOptions, type Sample } from './controller.js';
export { adaptive, debugging, Governor, type AdaptiveOptions, type ConcurrencySummary } from './governor.js';
