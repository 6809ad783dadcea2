/**
 * The GitHub Actions workflows of the package: the fast checks on every pull request, the whole
 * CI (.ci/run) on main, and publishing with npm provenance on a version tag.
 */
import { existsSync, readFileSync } from 'fs';
import { join } from 'path';
import { parse } from 'yaml';

import { REPO_ROOT, readPackageJson } from './package-files';

interface Step {
	uses?: string;
	run?: string;
	with?: Record<string, unknown>;
	env?: Record<string, string>;
}
interface Workflow {
	on: Record<string, unknown>;
	permissions?: Record<string, string>;
	jobs: Record<string, { steps: Step[] }>;
}

function load(name: string): Workflow {
	const path = join(REPO_ROOT, '.github', 'workflows', name);
	if (!existsSync(path)) throw new Error(`.github/workflows/${name} is missing`);
	return parse(readFileSync(path, 'utf8')) as Workflow;
}

/** Every step of every job, in order. */
const steps = (workflow: Workflow): Step[] =>
	Object.values(workflow.jobs).flatMap((job) => job.steps);
const commands = (workflow: Workflow): string[] =>
	steps(workflow)
		.map((step) => step.run?.trim())
		.filter((run): run is string => run !== undefined);
const indexOf = (workflow: Workflow, pattern: RegExp): number =>
	commands(workflow).findIndex((run) => pattern.test(run));

const scripts = readPackageJson().scripts as Record<string, string>;

describe.each(['pr.yml', 'main.yml', 'publish.yml'])('%s', (name) => {
	it('checks out with actions/checkout@v4 and sets up Node 20 with actions/setup-node@v4', () => {
		const workflow = load(name);
		const uses = steps(workflow)
			.map((step) => step.uses)
			.filter(Boolean);
		expect(uses.slice(0, 2)).toEqual(['actions/checkout@v4', 'actions/setup-node@v4']);
		const setupNode = steps(workflow).find((step) => step.uses === 'actions/setup-node@v4')!;
		expect(String(setupNode.with?.['node-version'])).toBe('20');
	});
});

describe('pr.yml', () => {
	it('runs on every pull request: npm ci, lint, typecheck and unit tests, in that order', () => {
		const workflow = load('pr.yml');
		expect(Object.keys(workflow.on)).toEqual(['pull_request']);
		const order = [/^npm ci\b/, /^npm run lint$/, /^npm run typecheck$/, /^npm run test:unit$/].map(
			(pattern) => indexOf(workflow, pattern),
		);
		expect(order.every((index) => index >= 0)).toBe(true);
		expect([...order].sort((a, b) => a - b)).toEqual(order);
		// The fast job: never the end-to-end suite.
		expect(commands(workflow).join('\n')).not.toMatch(/test:e2e|\.ci\/run|npm test\b/);
	});

	it('calls scripts that package.json defines', () => {
		for (const script of ['lint', 'typecheck', 'test:unit', 'build'])
			expect(scripts[script]).toBeDefined();
	});
});

describe('main.yml', () => {
	it('runs the whole CI (bash .ci/run) on a push to main', () => {
		const workflow = load('main.yml');
		expect(workflow.on).toEqual({ push: { branches: ['main'] } });
		expect(commands(workflow)).toContain('bash .ci/run');
		expect(existsSync(join(REPO_ROOT, '.ci', 'run'))).toBe(true);
	});
});

describe('publish.yml', () => {
	it('runs on a push of a v* tag with an OIDC token for provenance', () => {
		const workflow = load('publish.yml');
		expect(workflow.on).toEqual({ push: { tags: ['v*'] } });
		expect(workflow.permissions).toMatchObject({ 'id-token': 'write' });
	});

	it('installs, builds, then publishes with provenance and public access using the NPM_TOKEN secret', () => {
		const workflow = load('publish.yml');
		const install = indexOf(workflow, /^npm ci\b/);
		const build = indexOf(workflow, /^npm run build$/);
		const publish = indexOf(workflow, /^npm publish --provenance --access public\b/);
		expect({ install, build, publish }).toEqual({
			install: expect.any(Number),
			build: expect.any(Number),
			publish: expect.any(Number),
		});
		expect(install).toBeGreaterThanOrEqual(0);
		expect(build).toBeGreaterThan(install);
		expect(publish).toBeGreaterThan(build);
		const publishStep = steps(workflow).find((step) => step.run?.startsWith('npm publish'))!;
		expect(publishStep.env).toEqual({ NODE_AUTH_TOKEN: '${{ secrets.NPM_TOKEN }}' });
		// setup-node writes the .npmrc that reads NODE_AUTH_TOKEN only when given the registry.
		const setupNode = steps(workflow).find((step) => step.uses === 'actions/setup-node@v4')!;
		expect(setupNode.with?.['registry-url']).toBe('https://registry.npmjs.org');
	});

	it('refuses a tag that does not name the version in package.json', () => {
		const check = commands(load('publish.yml')).find((run) => run.includes('GITHUB_REF_NAME'));
		expect(check).toMatch(/"v\$version" != "\$GITHUB_REF_NAME"/);
		expect(check).toMatch(/exit 1/);
	});
});
