/**
 * The e2e mailbox: a real SMTP server (smtp-server, in the Playwright process, see global-setup.ts)
 * writes every message it receives to MAIL_DIR as JSON; specs wait for a message and read its link.
 */
import { mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { SMTPServer } from 'smtp-server';
import { MAIL_DIR } from './constants';

export interface ReceivedMail {
	receivedAt: number;
	from: string | null;
	to: string[];
	subject: string;
	text: string;
}

/** RFC 2047 encoded words (=?utf-8?Q?…?= / =?utf-8?B?…?=), as nodemailer writes non-ASCII subjects. */
function decodeWords(value: string): string {
	return value
		.replace(/\?=\s+=\?/g, '?==?')
		.replace(/=\?([^?]+)\?([QqBb])\?([^?]*)\?=/g, (_whole, _charset: string, enc: string, data: string) =>
			enc.toUpperCase() === 'B'
				? Buffer.from(data, 'base64').toString('utf8')
				: decodeQuotedPrintable(data.replace(/_/g, ' '))
		);
}

function decodeQuotedPrintable(value: string): string {
	const bytes: number[] = [];
	const soft = value.replace(/=\r?\n/g, '');
	for (let i = 0; i < soft.length; i++) {
		const c = soft[i];
		const hex = soft.slice(i + 1, i + 3);
		if (c === '=' && /^[0-9A-Fa-f]{2}$/.test(hex)) {
			bytes.push(parseInt(hex, 16));
			i += 2;
		} else {
			bytes.push(...Buffer.from(c ?? '', 'utf8'));
		}
	}
	return Buffer.from(bytes).toString('utf8');
}

function parseHeaders(block: string): Map<string, string> {
	const headers = new Map<string, string>();
	for (const line of block.replace(/\r?\n[ \t]+/g, ' ').split(/\r?\n/)) {
		const at = line.indexOf(':');
		if (at > 0) headers.set(line.slice(0, at).trim().toLowerCase(), line.slice(at + 1).trim());
	}
	return headers;
}

function decodeBody(headers: Map<string, string>, body: string): string {
	const type = headers.get('content-type') ?? 'text/plain';
	const boundary = /boundary="?([^";]+)"?/i.exec(type)?.[1];
	if (/^multipart\//i.test(type) && boundary) {
		// First text/plain part (nodemailer sends plain text only here, but be tolerant).
		for (const part of body.split(`--${boundary}`).slice(1)) {
			const split = part.search(/\r?\n\r?\n/);
			if (split < 0) continue;
			const partHeaders = parseHeaders(part.slice(0, split));
			if (/^text\/plain/i.test(partHeaders.get('content-type') ?? 'text/plain')) {
				return decodeBody(partHeaders, part.slice(split).replace(/^\r?\n\r?\n/, ''));
			}
		}
		return '';
	}
	const encoding = (headers.get('content-transfer-encoding') ?? '7bit').toLowerCase();
	if (encoding === 'quoted-printable') return decodeQuotedPrintable(body);
	if (encoding === 'base64') return Buffer.from(body.replace(/\s+/g, ''), 'base64').toString('utf8');
	return body;
}

export function parseMessage(raw: string, envelopeTo: string[], from: string | null): ReceivedMail {
	const split = raw.search(/\r?\n\r?\n/);
	const headers = parseHeaders(split < 0 ? raw : raw.slice(0, split));
	const body = split < 0 ? '' : raw.slice(split).replace(/^\r?\n\r?\n/, '');
	return {
		receivedAt: Date.now(),
		from,
		to: envelopeTo.map((a) => a.toLowerCase()),
		subject: decodeWords(headers.get('subject') ?? ''),
		text: decodeBody(headers, body).replace(/\r\n/g, '\n')
	};
}

/** Starts the SMTP server (no TLS, no auth); resolves to a function that stops it. */
export async function startMailServer(port: number): Promise<() => Promise<void>> {
	rmSync(MAIL_DIR, { recursive: true, force: true });
	mkdirSync(MAIL_DIR, { recursive: true });
	let count = 0;
	const server = new SMTPServer({
		authOptional: true,
		disabledCommands: ['STARTTLS', 'AUTH'],
		hideSTARTTLS: true,
		logger: false,
		size: 1024 * 1024,
		onData(stream, session, callback) {
			const chunks: Buffer[] = [];
			stream.on('data', (chunk: Buffer) => chunks.push(chunk));
			stream.on('error', callback);
			stream.on('end', () => {
				const raw = Buffer.concat(chunks).toString('utf8');
				const from = session.envelope.mailFrom ? session.envelope.mailFrom.address : null;
				const mail = parseMessage(raw, session.envelope.rcptTo.map((r) => r.address), from);
				const name = `${String(mail.receivedAt).padStart(15, '0')}-${String(++count).padStart(4, '0')}`;
				writeFileSync(join(MAIL_DIR, `${name}.eml`), raw);
				writeFileSync(join(MAIL_DIR, `${name}.json`), JSON.stringify(mail, null, 2));
				callback();
			});
		}
	});
	await new Promise<void>((resolve, reject) => {
		server.once('error', reject);
		server.listen(port, '127.0.0.1', () => resolve());
	});
	return () => new Promise<void>((resolve) => server.close(() => resolve()));
}

export function readMailbox(): ReceivedMail[] {
	let names: string[];
	try {
		names = readdirSync(MAIL_DIR).filter((n) => n.endsWith('.json'));
	} catch {
		return [];
	}
	return names.sort().map((n) => JSON.parse(readFileSync(join(MAIL_DIR, n), 'utf8')) as ReceivedMail);
}

/** Waits for the newest message to `to` received at or after `since` whose subject matches. */
export async function waitForMail(to: string, options: { since: number; subject?: RegExp; timeoutMs?: number }): Promise<ReceivedMail> {
	const deadline = Date.now() + (options.timeoutMs ?? 15_000);
	const address = to.toLowerCase();
	for (;;) {
		const found = readMailbox()
			.filter((m) => m.to.includes(address) && m.receivedAt >= options.since && (!options.subject || options.subject.test(m.subject)))
			.pop();
		if (found) return found;
		if (Date.now() > deadline) {
			const seen = readMailbox().map((m) => `${m.to.join(',')}: ${m.subject}`);
			throw new Error(`No email to ${to}${options.subject ? ` matching ${options.subject}` : ''} within the timeout. Mailbox:\n${seen.join('\n') || '(empty)'}`);
		}
		await new Promise((r) => setTimeout(r, 100));
	}
}

/** The first link in a message whose path starts with `pathPrefix` (e.g. "/reinitialiser/"). */
export function linkIn(mail: ReceivedMail, pathPrefix: string): string {
	for (const match of mail.text.matchAll(/https?:\/\/[^\s<>"]+/g)) {
		const url = new URL(match[0]);
		if (url.pathname.startsWith(pathPrefix)) return url.pathname + url.search;
	}
	throw new Error(`No ${pathPrefix} link in the email "${mail.subject}":\n${mail.text}`);
}
