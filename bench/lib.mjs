/** Small helpers shared by bench/run.mjs and bench/registry.mjs (no state of their own). */
import { createServer } from 'node:net';

/** A positive number from the environment, or the fallback. */
export function envNumber(env, name, fallback) {
	const v = Number(env[name]);
	return Number.isFinite(v) && v > 0 ? v : fallback;
}

/** The last 30 lines of a child's output, for error messages. */
export function tail(lines) {
	return lines.slice(-30).join('\n');
}

export function median(values) {
	const v = values.filter((x) => x !== null && x !== undefined).sort((x, y) => x - y);
	if (!v.length) return null;
	const mid = Math.floor(v.length / 2);
	return v.length % 2 ? v[mid] : (v[mid - 1] + v[mid]) / 2;
}

/** A free TCP port on 127.0.0.1 (the benchmarks never listen elsewhere). */
export function freePort() {
	return new Promise((resolvePromise, reject) => {
		const srv = createServer();
		srv.on('error', reject);
		srv.listen(0, '127.0.0.1', () => {
			const { port } = srv.address();
			srv.close(() => resolvePromise(port));
		});
	});
}

/** SIGTERM, then SIGKILL after 5 s. */
export function stopChild(child) {
	if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
	return new Promise((resolvePromise) => {
		const timer = setTimeout(() => child.kill('SIGKILL'), 5000);
		child.once('exit', () => {
			clearTimeout(timer);
			resolvePromise();
		});
		child.kill('SIGTERM');
	});
}
