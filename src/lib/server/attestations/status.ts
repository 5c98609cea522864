/**
 * Verification status of an award as the proof page shows it: valid, revoked (with its reason category),
 * expired (badge class validity period) or pending coverage. Derived from the award row alone.
 */
// merged with credentials/verificationStatusOf at integration
import { statusOfAward, type AwardStatusFacts, type VerificationStatus } from '../../domain/attestations/proof';
import type { AwardLevel } from '../db/schema';
import { badgeClassOf } from './badge-classes';

export type { VerificationStatus } from '../../domain/attestations/proof';

export function attestationStatus(award: AwardStatusFacts & { level: AwardLevel }, now: Date): VerificationStatus {
	return statusOfAward(award, badgeClassOf(award.level).validityMonths, now);
}
