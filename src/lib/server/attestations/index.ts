/** Attestations: public proof pages, the holder's controls, member profiles (ADR 013). */
export { getProofPage, forgetProofPage, forgetAllProofPages, ATTESTATION_ID, PROOF_CACHE_TTL_MS, type ProofView } from './proof';
export { getAttestationSettings, saveAttestationSettings, type SettingsView, type SettingsInput } from './settings';
export { myProfile, saveProfile, publicProfile, newProfileId, PROFILE_ID, DISPLAY_NAME_MAX, type MyProfile, type PublicProfile } from './profiles';
export { badgeClassOf, loadBadgeClasses } from './badge-classes';
export { attestationStatus, type VerificationStatus } from './status';
