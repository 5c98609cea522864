/**
 * Baked badge images: the credential embedded in the badge artwork (PNG iTXt "openbadgecredential", SVG
 * <openbadges:credential>), and the reverse for the verifier — which reads only the embedded credential.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { bakePng, extractFromPng, isPng, PngError } from '../../domain/credentials/png';
import { bakeSvg, extractFromSvg } from '../../domain/credentials/svg';
import { BADGE_CLASSES, type AwardLevel } from '../../domain/credentials/badge-classes';

export const MAX_UPLOAD_BYTES = 1024 * 1024;

const artwork = new Map<string, Buffer>();
function baseImage(path: string): Buffer {
	let bytes = artwork.get(path);
	if (!bytes) {
		// static/ is read from the working directory (like content/): the app and the CLI run from the repo root.
		// eslint-disable-next-line security/detect-non-literal-fs-filename -- a path from BADGE_CLASSES, under static/
		bytes = readFileSync(join(process.cwd(), 'static', path));
		artwork.set(path, bytes);
	}
	return bytes;
}

export function bakedPng(level: AwardLevel, credentialJson: string): Uint8Array {
	return bakePng(baseImage(BADGE_CLASSES[level].image.png), credentialJson);
}

export function bakedSvg(level: AwardLevel, credentialJson: string): string {
	return bakeSvg(baseImage(BADGE_CLASSES[level].image.svg).toString('utf8'), credentialJson);
}

export type Extraction =
	| { ok: true; json: string; format: 'png' | 'svg' | 'json' }
	| { ok: false; problem: 'too_large' | 'unsupported_type' | 'png_malformed' | 'no_credential' | 'empty' };

function looksLikeSvg(text: string): boolean {
	const head = text.replace(/^\uFEFF/, '').trimStart().slice(0, 2048);
	return head.startsWith('<') && /<svg[\s>]/.test(text.slice(0, 64 * 1024));
}

/** The credential carried by an uploaded file (PNG, SVG, or a JSON file), recognised by its bytes, not its name. */
export function extractCredential(bytes: Uint8Array): Extraction {
	if (bytes.length === 0) return { ok: false, problem: 'empty' };
	if (bytes.length > MAX_UPLOAD_BYTES) return { ok: false, problem: 'too_large' };
	if (isPng(bytes)) {
		try {
			const json = extractFromPng(bytes);
			return json === null ? { ok: false, problem: 'no_credential' } : { ok: true, json, format: 'png' };
		} catch (e) {
			if (e instanceof PngError) return { ok: false, problem: 'png_malformed' };
			throw e;
		}
	}
	let text: string;
	try {
		text = new TextDecoder('utf-8', { fatal: true }).decode(bytes);
	} catch {
		return { ok: false, problem: 'unsupported_type' };
	}
	if (looksLikeSvg(text)) {
		const r = extractFromSvg(text);
		return r.ok ? { ok: true, json: r.json, format: 'svg' } : { ok: false, problem: 'no_credential' };
	}
	if (text.trimStart().startsWith('{')) return { ok: true, json: text, format: 'json' };
	return { ok: false, problem: 'unsupported_type' };
}
