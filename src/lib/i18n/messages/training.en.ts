import type { frTraining } from './training.fr';

/** English mirror of training.fr.ts: the type forces exactly the same keys. */
export const enTraining: Record<keyof typeof frTraining, string> = {};
