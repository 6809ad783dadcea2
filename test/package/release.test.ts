/**
 * scripts/release.sh (`npm run release`): runs its steps in order, checks what `npm pack` would
 * ship, and publishes with provenance only on a real release from GitHub Actions; a dry run lists
 * the package and stops. Each case runs the real script in a throwaway copy of the package whose
 * package.json is this repository's (same name, version, `files` and n8n block) with the lint,
 * typecheck, test and build scripts replaced by recorders, and NPM_PUBLISH_CMD pointing at a
 * recorder: fast, no network (`npm pack --dry-run` is local), and no race with a build of dist/.
 */
import { spawnSync } from 'child_process';
import {
	copyFileSync,
	existsSync,
	mkdirSync,
	mkdtempSync,
	readFileSync,
	rmSync,
	writeFileSync,
} from 'fs';
import { tmpdir } from 'os';
import { dirname, join } from 'path';

import { REPO_ROOT, readPackageJson } from './package-files';

const realPackage = readPackageJson();
const listedDistFiles = [...realPackage.n8n.nodes, ...realPackage.n8n.credentials];

const RECORDER = `
const { appendFileSync } = require('fs');
appendFileSync(process.env.RELEASE_TEST_LOG, JSON.stringify(process.argv.slice(2)) + '\\n');
`;

interface Copy {
	dir: string;
	log: string;
}

interface Run {
	status: number | null;
	output: string;
	/** Everything the recorders saw, in order: ["lint"], ["build"], ["publish", "--provenance", ...]. */
	calls: string[][];
}

const copies: string[] = [];
afterAll(() => {
	for (const dir of copies) rmSync(dir, { recursive: true, force: true });
});

function makeCopy(
	options: { version?: string; files?: string[]; failStep?: string; omitDist?: string } = {},
): Copy {
	const dir = mkdtempSync(join(tmpdir(), 'release-test-'));
	copies.push(dir);
	const log = join(dir, 'calls.log');
	writeFileSync(join(dir, 'record.js'), RECORDER);
	const step = (name: string): string =>
		`node record.js ${name}` + (options.failStep === name ? ' && node -e "process.exit(3)"' : '');
	const packageJson = {
		...realPackage,
		version: options.version ?? realPackage.version,
		files: options.files ?? realPackage.files,
		scripts: {
			lint: step('lint'),
			typecheck: step('typecheck'),
			'test:unit': step('test:unit'),
			build: step('build'),
		},
		devDependencies: {},
	};
	writeFileSync(join(dir, 'package.json'), JSON.stringify(packageJson, null, 2));
	writeFileSync(join(dir, 'README.md'), '# test copy\n');
	writeFileSync(join(dir, 'LICENSE'), 'MIT\n');
	writeFileSync(join(dir, 'notes.txt'), 'not for publishing\n');
	for (const file of listedDistFiles) {
		if (file === options.omitDist) continue;
		mkdirSync(join(dir, dirname(file)), { recursive: true });
		writeFileSync(join(dir, file), 'module.exports = {};\n');
	}
	mkdirSync(join(dir, 'scripts'));
	copyFileSync(join(REPO_ROOT, 'scripts', 'release.sh'), join(dir, 'scripts', 'release.sh'));
	return { dir, log };
}

function commitAll(copy: Copy): void {
	const git = (...args: string[]) => {
		const result = spawnSync(
			'git',
			['-c', 'user.email=t@example.com', '-c', 'user.name=t', ...args],
			{
				cwd: copy.dir,
				encoding: 'utf8',
			},
		);
		if (result.status !== 0) throw new Error(`git ${args.join(' ')}: ${result.stderr}`);
	};
	git('init', '-q');
	writeFileSync(join(copy.dir, '.gitignore'), 'calls.log\n');
	git('add', '.');
	git('commit', '-q', '-m', 'release test');
}

function release(copy: Copy, args: string[], env: Record<string, string> = {}): Run {
	const baseEnv = { ...process.env };
	// A CI runner with id-token permission sets this; the cases decide themselves.
	delete baseEnv.ACTIONS_ID_TOKEN_REQUEST_URL;
	const result = spawnSync('bash', [join(copy.dir, 'scripts', 'release.sh'), ...args], {
		cwd: copy.dir,
		encoding: 'utf8',
		env: {
			...baseEnv,
			RELEASE_TEST_LOG: copy.log,
			NPM_PUBLISH_CMD: `node ${join(copy.dir, 'record.js')} publish`,
			...env,
		},
		timeout: 60_000,
	});
	const calls = existsSync(copy.log)
		? readFileSync(copy.log, 'utf8')
				.trim()
				.split('\n')
				.filter(Boolean)
				.map((line) => JSON.parse(line) as string[])
		: [];
	return { status: result.status, output: `${result.stdout}${result.stderr}`, calls };
}

const publishCalls = (run: Run) => run.calls.filter((call) => call[0] === 'publish');
const stepCalls = (run: Run) =>
	run.calls.filter((call) => call[0] !== 'publish').map((call) => call[0]);

describe('npm run release -- --dry-run', () => {
	it('runs every check and the build, lists what would be published, and publishes nothing', () => {
		const run = release(makeCopy(), ['--dry-run']);
		expect({ status: run.status, output: run.output }).toEqual({
			status: 0,
			output: expect.any(String),
		});
		expect(stepCalls(run)).toEqual(['lint', 'typecheck', 'test:unit', 'build']);
		expect(publishCalls(run)).toEqual([]);
		for (const file of listedDistFiles) expect(run.output).toContain(`  ${file}\n`);
		expect(run.output).toContain('  package.json\n');
		expect(run.output).not.toContain('notes.txt');
		expect(run.output).toContain(`[release] package: ${realPackage.name}\n`);
		expect(run.output).toContain(`[release] version: ${realPackage.version as string}\n`);
		expect(run.output).toContain('[release] dist-tag: latest\n');
		expect(run.output).toContain(
			'[release] steps run: lint, typecheck, unit tests, build, pack check\n',
		);
		expect(run.output).toMatch(
			/dry run: would run: .* publish --provenance --access public --tag latest\n/,
		);
		expect(run.output).toContain('[release] dry run: nothing published');
	});

	it('with --skip-checks --skip-build runs no step but the pack check, and says which were skipped', () => {
		const run = release(makeCopy(), ['--dry-run', '--skip-checks', '--skip-build']);
		expect(run.status).toBe(0);
		expect(run.calls).toEqual([]);
		expect(run.output).toContain('[release] steps run: pack check\n');
		expect(run.output).toContain(
			'[release] steps skipped: lint, typecheck, unit tests, build, e2e',
		);
	});

	it('tags a prerelease version "next" unless --tag says otherwise', () => {
		const copy = makeCopy({ version: '0.2.0-beta.1' });
		const fast = ['--dry-run', '--skip-checks', '--skip-build'];
		expect(release(copy, fast).output).toContain('[release] dist-tag: next\n');
		expect(release(copy, [...fast, '--tag', 'beta']).output).toContain(
			'[release] dist-tag: beta\n',
		);
	});

	it('fails when a file outside dist/ would be published, naming it', () => {
		const run = release(makeCopy({ files: ['dist', 'notes.txt'] }), [
			'--dry-run',
			'--skip-checks',
			'--skip-build',
		]);
		expect(run.status).toBe(1);
		expect(run.output).toContain('files outside dist/ would be published: notes.txt');
	});

	it('fails when a file the n8n block lists is not in the package, naming it', () => {
		const omitted = realPackage.n8n.nodes[0];
		const run = release(makeCopy({ omitDist: omitted }), [
			'--dry-run',
			'--skip-checks',
			'--skip-build',
		]);
		expect(run.status).toBe(1);
		expect(run.output).toContain(`lists files the package lacks (build first): ${omitted}`);
	});

	it('refuses an unknown option before doing anything', () => {
		const run = release(makeCopy(), ['--dry-rnu']);
		expect(run.status).toBe(2);
		expect(run.output).toContain('unknown option: --dry-rnu');
		expect(run.calls).toEqual([]);
	});
});

describe('npm run release (publishing)', () => {
	const oidc = { ACTIONS_ID_TOKEN_REQUEST_URL: 'https://token.actions.example/oidc' };

	it('from GitHub Actions on a clean tree: every step, then npm publish with provenance, once', () => {
		const copy = makeCopy();
		commitAll(copy);
		const run = release(copy, [], oidc);
		expect({ status: run.status, output: run.output }).toEqual({
			status: 0,
			output: expect.any(String),
		});
		expect(run.calls).toEqual([
			['lint'],
			['typecheck'],
			['test:unit'],
			['build'],
			['publish', '--provenance', '--access', 'public', '--tag', 'latest'],
		]);
	});

	it('stops at a failing step and publishes nothing', () => {
		const copy = makeCopy({ failStep: 'test:unit' });
		commitAll(copy);
		const run = release(copy, [], oidc);
		expect(run.status).not.toBe(0);
		expect(stepCalls(run)).toEqual(['lint', 'typecheck', 'test:unit']);
		expect(publishCalls(run)).toEqual([]);
	});

	it('refuses outside GitHub Actions (provenance needs its OIDC token), before any step', () => {
		const copy = makeCopy();
		commitAll(copy);
		const run = release(copy, []);
		expect(run.status).toBe(1);
		expect(run.output).toContain('npm provenance needs GitHub Actions');
		expect(run.calls).toEqual([]);
	});

	it('refuses a working tree with uncommitted changes, or outside a git clone', () => {
		const copy = makeCopy();
		commitAll(copy);
		writeFileSync(join(copy.dir, 'README.md'), '# edited, not committed\n');
		const dirty = release(copy, [], oidc);
		expect(dirty.status).toBe(1);
		expect(dirty.output).toContain('uncommitted changes');
		const notGit = release(makeCopy(), [], oidc);
		expect(notGit.status).toBe(1);
		expect(notGit.output).toContain('not a git repository');
		expect([...dirty.calls, ...notGit.calls]).toEqual([]);
	});

	it('refuses --skip-checks and --skip-build: a release runs every check on a fresh build', () => {
		const copy = makeCopy();
		commitAll(copy);
		for (const flag of ['--skip-checks', '--skip-build']) {
			const run = release(copy, [flag], oidc);
			expect(run.status).toBe(1);
			expect(run.output).toContain(`${flag} is for a dry run only`);
			expect(run.calls).toEqual([]);
		}
	});
});

describe('release habits in package.json', () => {
	const scripts = realPackage.scripts as Record<string, string>;

	it('npm run release runs scripts/release.sh (arguments after -- reach it)', () => {
		expect(scripts.release).toBe('bash scripts/release.sh');
	});

	it('lint covers the published code and test/, bench/, scripts/, simulator/', () => {
		const linted = scripts.lint.split(/\s+/);
		for (const target of [
			'nodes',
			'credentials',
			'package.json',
			'test',
			'bench',
			'scripts',
			'simulator',
		]) {
			expect({ target, linted: linted.includes(target) }).toEqual({ target, linted: true });
		}
		expect(linted).toContain('--max-warnings');
	});

	it('formats with prettier in n8n house style, matched by .editorconfig', () => {
		expect(scripts.format).toBe('prettier --write .');
		expect(scripts['format:check']).toBe('prettier --check .');
		const prettier = JSON.parse(
			readFileSync(join(REPO_ROOT, '.prettierrc.json'), 'utf8'),
		) as Record<string, unknown>;
		expect(prettier).toMatchObject({
			useTabs: true,
			singleQuote: true,
			printWidth: 100,
			trailingComma: 'all',
			semi: true,
			endOfLine: 'lf',
		});
		const editorconfig = readFileSync(join(REPO_ROOT, '.editorconfig'), 'utf8');
		const defaults = editorconfig.slice(
			editorconfig.indexOf('[*]'),
			editorconfig.indexOf('\n[', editorconfig.indexOf('[*]')),
		);
		expect(defaults).toMatch(/indent_style = tab/);
		expect(defaults).toMatch(/end_of_line = lf/);
		expect(defaults).toMatch(/max_line_length = 100/);
	});
});
