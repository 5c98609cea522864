/** Attestations: public proof pages, the holder's controls, member profiles (ADR 013). */
export { getProofPage, forgetProofPage, forgetAllProofPages, ATTESTATION_ID, PROOF_CACHE_TTL_MS, RENEWED_PARAM, type ProofView } from './proof';
export { getAttestationSettings, saveAttestationSettings, type SettingsView, type SettingsInput } from './settings';
export { myProfile, saveProfile, publicProfile, newProfileId, PROFILE_ID, DISPLAY_NAME_MAX, type MyProfile, type PublicProfile } from './profiles';
export { badgeClassOf, loadBadgeClasses } from './badge-classes';
export type { VerificationStatus } from '../../domain/credentials/status';
