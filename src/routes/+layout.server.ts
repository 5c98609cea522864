import type { LayoutServerLoad } from './$types';
import { can } from '$lib/server/policy';

export const load: LayoutServerLoad = ({ locals }) => ({
	locale: locals.locale,
	user: locals.user ? { displayName: locals.user.displayName } : null,
	nav: {
		dashboard: can(locals.actor, 'dashboard:view', null),
		incidents: can(locals.actor, 'incidents:view', null),
		team: can(locals.actor, 'team:view', null),
		schools: can(locals.actor, 'schools:view', null),
		registry: can(locals.actor, 'registry:manage', null),
		packs: can(locals.actor, 'packs:view', null),
		audit: can(locals.actor, 'audit:read', null),
		training: can(locals.actor, 'training:learn', null),
		evaluation: can(locals.actor, 'training:review_queue', null),
		profile: can(locals.actor, 'profile:manage', null)
	}
});
