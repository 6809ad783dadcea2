/**
 * Package-level checks n8n's community package rules (and its verification) depend on: the shape
 * of package.json, the n8n block pointing at built files that load, and what `npm pack` ships.
 */
import { execFileSync } from 'child_process';
import { existsSync } from 'fs';
import { join } from 'path';

import {
	REPO_ROOT,
	baseNameOf,
	loadExportedInstances,
	lowerFirst,
	readPackageJson,
} from './package-files';

const packageJson = readPackageJson();
const listedDistFiles = [...packageJson.n8n.credentials, ...packageJson.n8n.nodes];

function run(command: string, args: string[]): string {
	return execFileSync(command, args, {
		cwd: REPO_ROOT,
		encoding: 'utf8',
		stdio: ['ignore', 'pipe', 'pipe'],
		maxBuffer: 64 * 1024 * 1024,
	});
}

let buildError: string | undefined;

beforeAll(() => {
	// CI runs `npm run build` first; a local run without dist/ builds it the same way. A failed
	// build is reported by the tests that need dist/, not here, so package.json checks still run.
	const missing = listedDistFiles.filter((file) => !existsSync(join(REPO_ROOT, file)));
	if (missing.length === listedDistFiles.length) {
		try {
			run('npx', ['tsc', '-p', 'tsconfig.json']);
			run('npx', ['gulp', 'build:assets']);
		} catch (error) {
			const output = `${(error as { stdout?: string }).stdout ?? ''}${(error as Error).message}`;
			buildError = output.slice(0, 2000);
		}
	}
}, 180_000);

function assertBuilt(distFile: string, listName: string): string {
	const absolute = join(REPO_ROOT, distFile);
	if (!existsSync(absolute)) {
		throw new Error(
			`${distFile} is listed in package.json n8n.${listName} but does not exist (run npm run build)` +
				(buildError ? `\nBuild failed:\n${buildError}` : ''),
		);
	}
	return absolute;
}

describe('package.json', () => {
	it('is named n8n-nodes-* and carries the community package keyword', () => {
		expect(packageJson.name).toMatch(/^n8n-nodes-/);
		expect(packageJson.keywords).toContain('n8n-community-node-package');
	});

	it('has no runtime dependencies and peers only on n8n-workflow', () => {
		expect(packageJson.dependencies).toBeUndefined();
		expect(packageJson.peerDependencies).toEqual({ 'n8n-workflow': '*' });
	});

	it('is MIT licensed and runs no install lifecycle scripts', () => {
		expect(packageJson.license).toBe('MIT');
		const scripts = (packageJson.scripts ?? {}) as Record<string, string>;
		for (const hook of ['preinstall', 'install', 'postinstall', 'prepare', 'prepublish']) {
			expect({ [hook]: scripts[hook] }).toEqual({ [hook]: undefined });
		}
		expect(existsSync(join(REPO_ROOT, 'LICENSE'))).toBe(true);
	});

	it('publishes only dist', () => {
		expect(packageJson.files).toEqual(['dist']);
	});

	it('has an n8n block (API version 1, strict) listing nodes and credentials', () => {
		expect(packageJson.n8n.n8nNodesApiVersion).toBe(1);
		expect(packageJson.n8n.strict).toBe(true);
		expect(packageJson.n8n.nodes.length).toBeGreaterThan(0);
		expect(packageJson.n8n.credentials.length).toBeGreaterThan(0);
		for (const file of packageJson.n8n.nodes) expect(file).toMatch(/^dist\/nodes\/.+\.node\.js$/);
		for (const file of packageJson.n8n.credentials) {
			expect(file).toMatch(/^dist\/credentials\/.+\.credentials\.js$/);
		}
	});

	it('lists every node and credential source in the repository', () => {
		const tracked = run('git', [
			'ls-files',
			'--cached',
			'--others',
			'--exclude-standard',
			'nodes',
			'credentials',
		])
			.split('\n')
			.filter((file) => /\.(node|credentials)\.ts$/.test(file));
		const listed = new Set(
			listedDistFiles.map((file) => file.replace(/^dist\//, '').replace(/\.js$/, '.ts')),
		);
		const unlisted = tracked.filter((file) => !listed.has(file));
		expect(unlisted).toEqual([]);
	});
});

describe.each(packageJson.n8n.nodes)('built node %s', (distFile) => {
	it('exists, loads and exports a node class whose name matches the file', () => {
		const absolute = assertBuilt(distFile, 'nodes');
		const exported = loadExportedInstances<{ description?: { name?: string } }>(absolute);
		const baseName = baseNameOf(distFile);
		const match = exported.find((entry) => entry.exportName === baseName);
		expect(match).toBeDefined();
		expect(match!.instance.description?.name?.toLowerCase()).toBe(
			lowerFirst(baseName).toLowerCase(),
		);
	});
});

describe.each(packageJson.n8n.credentials)('built credential %s', (distFile) => {
	it('exists, loads and exports a credential class whose name matches the file', () => {
		const absolute = assertBuilt(distFile, 'credentials');
		const exported = loadExportedInstances<{ name?: string }>(absolute);
		const baseName = baseNameOf(distFile);
		const match = exported.find((entry) => entry.exportName === baseName);
		expect(match).toBeDefined();
		expect(match!.instance.name).toBe(lowerFirst(baseName));
	});
});

describe('npm pack', () => {
	const packed = (): string[] => {
		const output = run('npm', ['pack', '--dry-run', '--json', '--ignore-scripts']);
		const parsed = JSON.parse(output.slice(output.indexOf('['))) as Array<{
			files: Array<{ path: string }>;
		}>;
		return parsed[0].files.map((file) => file.path);
	};

	it('ships only dist/**, README.md, LICENSE and package.json, including every listed file', () => {
		const files = packed();
		const unexpected = files.filter(
			(file) =>
				!file.startsWith('dist/') && !['README.md', 'LICENSE', 'package.json'].includes(file),
		);
		// npm always packs the `main` file: a root index.js ships unless `main` points into dist/.
		expect({ unexpectedPackedFiles: unexpected }).toEqual({ unexpectedPackedFiles: [] });
		for (const listed of listedDistFiles) expect(files).toContain(listed);
		expect(files.some((file) => file.endsWith('.map') && !file.startsWith('dist/'))).toBe(false);
	}, 120_000);
});
