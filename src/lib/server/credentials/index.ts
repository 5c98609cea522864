/**
 * Badge credentials (Open Badges 3.0): what other features use. Routes and the proof page call these.
 */
export {
	credentialFor,
	verificationStatusOf,
	revokeAward,
	renewCredential,
	statusListCredential,
	didDocument,
	issuerProfile,
	issuerOf,
	verifyWithRecords,
	verifierEnv,
	CredentialError,
	REVOCATION_CATEGORIES,
	type CredentialLookup,
	type VerificationStatus,
	type RevocationCategory,
	type RevokeInput
} from './service';
export { verifyCredential, type Verdict, type VerdictStatus, type VerdictReason } from './verify';
export { bakedPng, bakedSvg, extractCredential, type Extraction } from './baking';
