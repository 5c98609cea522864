/**
 * Who may do what to an incident (the case file of the kit). Rules in words:
 * - School side: the responder who opened it or is assigned to it, and the principal of its school.
 * - Police side: the police liaison of the police service serving the school, and a DPCP prosecutor of its
 *   territory — only once the case has been handed off to the police.
 * - Nobody else: not the coordinator (aggregates only), not the platform admin, not the privacy officer
 *   (who reads the audit log, not case content).
 * - A closed case is read-only; corrections are addenda.
 */
import type { Actor, Place } from './actor';
import { hasRoleAt } from './predicates';

export interface IncidentAccess extends Place {
	schoolId: string;
	policeServiceId: string;
	territoryId: string;
	openedBy: string;
	assignedTo: string | null;
	handedOff: boolean;
	closed: boolean;
}

/** The responder who opened the case or is assigned to it, still a responder at that school. */
export function isCaseResponder(actor: Actor, incident: IncidentAccess): boolean {
	return (incident.openedBy === actor.userId || incident.assignedTo === actor.userId) && hasRoleAt(actor, ['responder'], incident);
}

export function isSchoolPrincipal(actor: Actor, incident: Place): boolean {
	return hasRoleAt(actor, ['principal'], incident);
}

/** Police liaison of the serving police service or DPCP prosecutor of the territory, after hand-off. */
export function isPoliceSide(actor: Actor, incident: IncidentAccess): boolean {
	if (!incident.handedOff) return false;
	return hasRoleAt(actor, ['police_liaison'], { policeServiceId: incident.policeServiceId }) || hasRoleAt(actor, ['dpcp_prosecutor'], { territoryId: incident.territoryId });
}

const schoolSide = (actor: Actor, i: IncidentAccess) => isCaseResponder(actor, i) || isSchoolPrincipal(actor, i);

export const incidentRules = {
	/** Open a new case in this school (the service also requires the school to be covered). */
	'incident:open': (actor: Actor, school: Place) => hasRoleAt(actor, ['responder', 'principal'], school),
	'incident:read': (actor: Actor, i: IncidentAccess) => schoolSide(actor, i) || isPoliceSide(actor, i),
	/** Kit steps, students, devices, police call, school follow-up. */
	'incident:edit': (actor: Actor, i: IncidentAccess) => !i.closed && schoolSide(actor, i),
	'incident:assign': (actor: Actor, i: IncidentAccess) => !i.closed && isSchoolPrincipal(actor, i),
	'incident:notify_parents': (actor: Actor, i: IncidentAccess) => !i.closed && isSchoolPrincipal(actor, i),
	'incident:close': (actor: Actor, i: IncidentAccess) => !i.closed && isSchoolPrincipal(actor, i),
	/** The DPCP decision is entered by the police side only: the app never decides. */
	'incident:decide': (actor: Actor, i: IncidentAccess) => !i.closed && isPoliceSide(actor, i),
	'incident:police_followup': (actor: Actor, i: IncidentAccess) => !i.closed && isPoliceSide(actor, i),
	'incident:addendum': (actor: Actor, i: IncidentAccess) => i.closed && (schoolSide(actor, i) || isPoliceSide(actor, i)),
	/** The school's list (all cases of the school). */
	'incident:list_school': (actor: Actor, school: Place) => hasRoleAt(actor, ['principal'], school),
	/** Hand-offs received by a police service. */
	'incident:list_handoffs': (actor: Actor, service: Place) => hasRoleAt(actor, ['police_liaison'], service) || hasRoleAt(actor, ['dpcp_prosecutor'], service)
} as const;
