/**
 * Structured JSON logs on stdout. Callers pass ids and codes only: never names, emails of students,
 * case text or anything describing images.
 */
type Level = 'debug' | 'info' | 'warn' | 'error';
const order: Record<Level, number> = { debug: 10, info: 20, warn: 30, error: 40 };
let threshold: Level = 'info';

export function setLogLevel(level: Level): void {
	threshold = level;
}

function write(level: Level, event: string, fields: Record<string, unknown> = {}): void {
	if (order[level] < order[threshold]) return;
	process.stdout.write(JSON.stringify({ t: new Date().toISOString(), level, event, ...fields }) + '\n');
}

export const logger = {
	debug: (event: string, fields?: Record<string, unknown>) => write('debug', event, fields),
	info: (event: string, fields?: Record<string, unknown>) => write('info', event, fields),
	warn: (event: string, fields?: Record<string, unknown>) => write('warn', event, fields),
	error: (event: string, fields?: Record<string, unknown>) => write('error', event, fields)
};
