import type { RequestHandler } from './$types';
import { getAppContext } from '$lib/server/app';
import { requireSignedIn } from '$lib/server/http';
import { buildHandoffPacket } from '$lib/server/incidents';
import { notFound, requestMeta } from '$lib/server/kit-http';
import { renderHandoffPdf } from '$lib/server/pdf/handoff-pdf';
import { isLocale } from '$lib/i18n';

/** The hand-off packet as a PDF download (French or English: `?langue=en`), never cached. */
export const GET: RequestHandler = async (event) => {
	const { actor } = requireSignedIn(event);
	const asked = event.url.searchParams.get('langue');
	const locale = isLocale(asked) ? asked : event.locals.locale;
	const packet = await buildHandoffPacket(getAppContext(), actor, { incidentId: event.params.id, locale }, requestMeta(event));
	if (!packet) notFound();
	const pdf = await renderHandoffPdf(packet);
	return new Response(pdf as BodyInit, {
		headers: {
			'Content-Type': 'application/pdf',
			'Content-Disposition': `attachment; filename="${packet.reference}-${locale}.pdf"`,
			'Content-Length': String(pdf.byteLength),
			'Cache-Control': 'private, no-store'
		}
	});
};
