import { defineConfig } from 'vitest/config';

// Two suites: "unit" (pure code, no I/O) and "db" (real SQLite or PostgreSQL, picked by TEST_DB).
export default defineConfig({
	test: {
		// Database suites share one server per dialect; files run one after another.
		fileParallelism: false,
		projects: [
			{
				test: {
					name: 'unit',
					include: ['src/**/*.test.ts'],
					exclude: ['src/**/*.db.test.ts'],
					environment: 'node'
				}
			},
			{
				test: {
					name: 'db',
					include: ['src/**/*.db.test.ts', 'tests/db/**/*.test.ts'],
					environment: 'node',
					testTimeout: 30_000,
					hookTimeout: 60_000
				}
			}
		]
	}
});
