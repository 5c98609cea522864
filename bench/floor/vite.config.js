import { sveltekit } from '@sveltejs/kit/vite';
import { defineConfig } from 'vite';

// Same plugin and build target as the app's vite.config.ts, so client JS sizes compare.
export default defineConfig({
	plugins: [sveltekit()],
	build: { target: 'es2022' }
});
