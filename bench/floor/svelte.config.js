import adapter from '@sveltejs/adapter-node';

/**
 * The framework floor: SvelteKit 2 + adapter-node and nothing else (no hooks, no session, no DB, no CSP).
 * Built by bench/run.mjs with the root node_modules; output in bench/floor/build/.
 * @type {import('@sveltejs/kit').Config}
 */
const config = {
	kit: {
		adapter: adapter({ out: 'build', precompress: false }),
		version: { pollInterval: 0 }
	}
};

export default config;
