export { createQueueCi } from './create-queue-ci';
export type { QueueCi, QueueCiOptions, QueueCiResult } from './create-queue-ci';
export { createSimulatedClock } from './create-simulated-clock';
export type { SimulatedClock } from './create-simulated-clock';
export { attachQueueCi } from './attach-queue-ci';
export type { AttachedQueueCi } from './attach-queue-ci';
