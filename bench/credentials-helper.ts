/**
 * Measured by bench/credentials.mjs in one process (one core): raw Ed25519 sign/verify (node:crypto, reused
 * KeyObjects), credential signing and full verification (the product's verifier: contexts, issuer, proof with
 * RDFC-1.0 canonicalisation of the document and the proof configuration, Ed25519, dates, status lookup),
 * and verification through the generic JSON-LD path for comparison. Interleaved rounds; prints JSON. Each rate is
 * also given per CPU second of the process (other processes' load inflates wall-clock time, not CPU time).
 */
import { createHash, sign, verify } from 'node:crypto';
import { performance } from 'node:perf_hooks';
import { signDocument } from '../src/lib/server/credentials/proof';
import { verifyCredential, type VerifyEnv } from '../src/lib/server/credentials/verify';
import { canonizeGeneric, canonizeStats } from '../src/lib/server/credentials/canonize';
import { multibaseDecode } from '../src/lib/domain/credentials/multibase';
import { sampleCredential, TEST_ISSUER, TEST_ORIGIN, testKey } from '../src/lib/server/credentials/test-support';

const seconds = Number(process.env.BENCH_SECONDS ?? 2);
const rounds = Number(process.env.BENCH_ROUNDS ?? 3);
const key = testKey();
const env: VerifyEnv = {
	issuerDid: TEST_ISSUER.did,
	statusListPrefix: `${TEST_ORIGIN}/credentials/status/`,
	keyFor: (vm) => (vm === key.verificationMethod ? key.publicKey : null),
	now: new Date('2026-06-01T00:00:00Z'),
	statusOf: async () => ({ revoked: false, category: null })
};

/** CPU seconds of this process (every thread: GC helpers run on the same pinned core). */
function cpuSeconds(): number {
	const { user, system } = process.cpuUsage();
	return (user + system) / 1e6;
}

/** Operations per wall-clock second, and per CPU second of this process (less sensitive to other load). */
async function rate(run: (i: number) => unknown | Promise<unknown>): Promise<{ wall: number; cpu: number }> {
	const end = performance.now() + seconds * 1000;
	const start = performance.now();
	const cpuStart = cpuSeconds();
	let n = 0;
	while (performance.now() < end) {
		for (let k = 0; k < 20; k++) await run(n++);
	}
	return { wall: n / ((performance.now() - start) / 1000), cpu: n / (cpuSeconds() - cpuStart) };
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

async function main() {
	const unsigned = Array.from({ length: 400 }, (_, i) => sampleCredential(i, undefined, 'explorateur'));
	const signed = await Promise.all(unsigned.map((d) => signDocument(d, key, new Date('2026-03-02T14:00:00Z'))));
	const texts = signed.map((d) => JSON.stringify(d));
	for (const text of texts.slice(0, 5)) if ((await verifyCredential(text, env)).status !== 'valid') throw new Error('bench credential does not verify');
	const message = createHash('sha256').update('x').digest();
	const hashData = Buffer.concat([message, message]);
	const signature = sign(null, hashData, key.privateKey);

	async function genericVerify(doc: Record<string, unknown>) {
		const { proof, ...unsecured } = doc;
		const { proofValue, ...options } = (proof as Record<string, unknown>[])[0]!;
		const c1 = await canonizeGeneric({ '@context': unsecured['@context'], ...options });
		const c2 = await canonizeGeneric(unsecured);
		const data = Buffer.concat([createHash('sha256').update(c1).digest(), createHash('sha256').update(c2).digest()]);
		if (!verify(null, data, key.publicKey, multibaseDecode(proofValue)!)) throw new Error('generic verify failed');
	}

	const runs: Record<string, (i: number) => unknown> = {
		rawSign: () => sign(null, hashData, key.privateKey),
		rawVerify: () => verify(null, hashData, key.publicKey, signature),
		credentialSign: (i) => signDocument(unsigned[i % unsigned.length]!, key, new Date()),
		credentialVerify: (i) => verifyCredential(texts[i % texts.length]!, env),
		genericVerify: (i) => genericVerify(signed[i % signed.length]!)
	};
	const results: Record<string, number[]> = Object.fromEntries(Object.keys(runs).map((k) => [k, []]));
	const cpuResults: Record<string, number[]> = Object.fromEntries(Object.keys(runs).map((k) => [k, []]));
	for (let r = 0; r < rounds; r++) {
		for (const [name, run] of Object.entries(runs)) {
			const { wall, cpu } = await rate(run);
			results[name]!.push(wall);
			cpuResults[name]!.push(cpu);
		}
	}
	const m = Object.fromEntries(Object.entries(results).map(([k, v]) => [k, median(v)]));
	const cpuMedians = Object.fromEntries(Object.entries(cpuResults).map(([k, v]) => [k, median(v)]));
	console.log(
		JSON.stringify({ seconds, rounds, medians: m, cpuMedians, all: results, allCpu: cpuResults, canonize: canonizeStats, quadsPerCredential: (await canonizeGeneric(unsigned[0])).trim().split('\n').length })
	);
}

main().catch((e) => {
	console.error(e);
	process.exit(1);
});
