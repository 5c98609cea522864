/**
 * The embedded font of the PDFs: DejaVu Sans (regular + bold), vendored in ./fonts with its licence
 * (LICENSE.txt) because it covers French (and most Latin) accents and typographic marks (’ « » — · U+202F).
 *
 * Found, in this order: next to this module (tsx, vitest), under `<cwd>/src/lib/server/pdf/fonts` (the
 * built server: `npm start` runs from the repository root, where the bundled chunks do not carry the
 * .ttf files), then the Debian package fonts-dejavu-core. Read once per process, then kept in memory.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

export interface FontFiles {
	regular: Uint8Array;
	bold: Uint8Array;
	/** where they were found (for the error message and diagnostics) */
	dir: string;
}

const FILES = { regular: 'DejaVuSans.ttf', bold: 'DejaVuSans-Bold.ttf' } as const;

export class FontNotFoundError extends Error {
	constructor(tried: string[]) {
		super(`DejaVu Sans not found (needed for the hand-off PDF). Looked in:\n${tried.map((d) => `  - ${d}`).join('\n')}`);
		this.name = 'FontNotFoundError';
	}
}

function moduleDir(): string | null {
	try {
		const url = new URL('./fonts/', import.meta.url);
		return url.protocol === 'file:' ? fileURLToPath(url) : null;
	} catch {
		return null;
	}
}

export function fontDirectories(cwd: string = process.cwd()): string[] {
	const dirs = [moduleDir(), join(cwd, 'src', 'lib', 'server', 'pdf', 'fonts'), '/usr/share/fonts/truetype/dejavu'];
	return [...new Set(dirs.filter((d): d is string => !!d))];
}

let cached: FontFiles | undefined;

export function loadFonts(): FontFiles {
	if (cached) return cached;
	const tried = fontDirectories();
	for (const dir of tried) {
		try {
			// Fixed file names under fixed directories (this module, the working directory, the system fonts).
			// eslint-disable-next-line security/detect-non-literal-fs-filename
			const regular = readFileSync(join(dir, FILES.regular));
			// eslint-disable-next-line security/detect-non-literal-fs-filename
			const bold = readFileSync(join(dir, FILES.bold));
			cached = { regular: new Uint8Array(regular), bold: new Uint8Array(bold), dir };
			return cached;
		} catch {
			// try the next place
		}
	}
	throw new FontNotFoundError(tried);
}
