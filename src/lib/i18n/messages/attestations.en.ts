import type { frAttestations } from './attestations.fr';

/** English mirror of attestations.fr.ts: the type forces exactly the same keys. */
export const enAttestations: Record<keyof typeof frAttestations, string> = {};
