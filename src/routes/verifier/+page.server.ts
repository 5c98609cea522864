/**
 * /verifier (/en/verify): check a credential pasted as JSON, uploaded as a baked PNG/SVG, or named by one of
 * this app's own credential URLs. The upload is the only file input of the product: PNG or SVG, at most
 * 1 MB (the declared length is checked before anything is read), only the embedded credential is read,
 * nothing is stored. Every outcome is a localized verdict, never a 500.
 */
import { fail } from '@sveltejs/kit';
import type { Actions, PageServerLoad } from './$types';
import { isAttestationPublic } from '$lib/server/attestations/settings';
import { getAppContext } from '$lib/server/app';
import { readForm } from '$lib/server/forms';
import { credentialFor, extractCredential, issuerOf, verifyWithRecords, type Verdict } from '$lib/server/credentials';
import { MAX_UPLOAD_BYTES } from '$lib/server/credentials/baking';
import type { MessageKey } from '$lib/i18n';

type Problem = 'too_large' | 'unsupported_type' | 'png_malformed' | 'no_credential' | 'empty' | 'url_other_host' | 'url_unknown';

const UPLOAD_TYPES = new Set(['image/png', 'image/svg+xml']);
/** Room for the multipart envelope around a 1 MB file. */
const MAX_UPLOAD_REQUEST = MAX_UPLOAD_BYTES + 16 * 1024;

export const load: PageServerLoad = () => ({ example: `${issuerOf(getAppContext()).origin}/attestations/…/credential.json` });

function refused(status: number, problem: Problem, source: 'paste' | 'upload' | 'url', values: Record<string, string> = {}) {
	return fail(status, { source, problem: `attestations.verify.problem.${problem}` as MessageKey, verdict: null as Verdict | null, values });
}

function answered(verdict: Verdict, source: 'paste' | 'upload' | 'url', values: Record<string, string> = {}) {
	return { source, verdict, problem: null as MessageKey | null, values };
}

/** Reads at most `limit` bytes of the body; null as soon as it is longer (the rest is never read). */
async function readCapped(request: Request, limit: number): Promise<Uint8Array | null> {
	const reader = request.body?.getReader();
	if (!reader) return new Uint8Array();
	const parts: Uint8Array[] = [];
	let size = 0;
	for (;;) {
		const { done, value } = await reader.read();
		if (done) break;
		size += value.byteLength;
		if (size > limit) {
			await reader.cancel().catch(() => {});
			return null;
		}
		parts.push(value);
	}
	const out = new Uint8Array(size);
	let at = 0;
	for (const p of parts) {
		out.set(p, at);
		at += p.byteLength;
	}
	return out;
}

export const actions: Actions = {
	paste: async ({ request }) => {
		const form = await readForm(request);
		const text = form.get('credential');
		if (typeof text !== 'string' || !text.trim()) return refused(400, 'empty', 'paste');
		const values = { credential: text.slice(0, 300_000) };
		return answered(await verifyWithRecords(getAppContext(), text), 'paste', values);
	},

	upload: async ({ request }) => {
		const type = request.headers.get('content-type') ?? '';
		if (!/^multipart\/form-data/i.test(type)) return refused(415, 'unsupported_type', 'upload');
		const declared = Number(request.headers.get('content-length'));
		if (Number.isFinite(declared) && declared > MAX_UPLOAD_REQUEST) return refused(413, 'too_large', 'upload');
		const body = await readCapped(request, MAX_UPLOAD_REQUEST);
		if (!body) return refused(413, 'too_large', 'upload');
		let form: FormData;
		try {
			form = await new Request(request.url, { method: 'POST', headers: { 'content-type': type }, body: Buffer.from(body) }).formData();
		} catch {
			return refused(400, 'empty', 'upload');
		}
		const file = form.get('badge');
		if (!file || typeof file === 'string' || file.size === 0) return refused(400, 'empty', 'upload');
		if (file.size > MAX_UPLOAD_BYTES) return refused(413, 'too_large', 'upload');
		const declaredType = (file.type || '').toLowerCase();
		if (!UPLOAD_TYPES.has(declaredType)) return refused(415, 'unsupported_type', 'upload');
		const extraction = extractCredential(new Uint8Array(await file.arrayBuffer()));
		// The bytes decide, not the name or the declared type: a JPEG renamed .png is refused too.
		if (!extraction.ok) return refused(extraction.problem === 'unsupported_type' ? 415 : extraction.problem === 'too_large' ? 413 : 422, extraction.problem, 'upload');
		if (extraction.format === 'json') return refused(415, 'unsupported_type', 'upload');
		return answered(await verifyWithRecords(getAppContext(), extraction.json), 'upload');
	},

	url: async ({ request }) => {
		const form = await readForm(request);
		const raw = String(form.get('url') ?? '').trim().slice(0, 2000);
		const values = { url: raw };
		if (!raw) return refused(400, 'empty', 'url', values);
		const ctx = getAppContext();
		const origin = issuerOf(ctx).origin;
		let url: URL;
		try {
			url = new URL(raw, origin);
		} catch {
			return refused(400, 'url_unknown', 'url', values);
		}
		// Only this app's own credential addresses; nothing is ever fetched from another host.
		if (url.origin !== origin) return refused(400, 'url_other_host', 'url', values);
		const m = /^\/(?:en\/)?attestations\/([0-9a-f-]{36})(?:\/(?:credential\.json|badge\.png|badge\.svg))?\/?$/i.exec(url.pathname);
		if (!m) return refused(404, 'url_unknown', 'url', values);
		// A private attestation answers like an unknown one (its holder downloads it from the proof page).
		if (!(await isAttestationPublic(ctx.db, m[1]!))) return refused(404, 'url_unknown', 'url', values);
		const found = await credentialFor(ctx, m[1]!);
		if (found.kind === 'pending') return fail(409, { source: 'url' as const, problem: 'attestations.credential.pending' as MessageKey, verdict: null as Verdict | null, values });
		if (found.kind !== 'ok') return refused(404, 'url_unknown', 'url', values);
		return answered(await verifyWithRecords(ctx, found.json), 'url', values);
	}
};
