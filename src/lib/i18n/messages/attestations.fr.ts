/** French messages of the attestations domain (source; keys prefixed "attestations."). */
export const frAttestations = {} as const;
