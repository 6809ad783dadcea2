/**
 * `npm start`'s demo runner (scripts/start.ts, after the build that start.sh does): it brings up the
 * simulator and n8n with the package, the demo credentials and the templates, the printed login
 * works, and Ctrl-C (SIGINT) stops n8n, its task runner and the simulator. A second start on the
 * same folder reuses everything and imports no template twice.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';

import { DEMO_OWNER, loadTemplates } from '../../scripts/lib/demo';
import { N8nRestClient, REPO_ROOT } from '../../scripts/lib/n8n';
import { freePort, WORK_ROOT } from './harness';

const demoFolder = path.join(WORK_ROOT, 'start-demo');
let ports: { n8n: number; broker: number; simulator: number; fixtures: number };

interface StartRun {
	child: ChildProcess;
	output: () => string;
	exited: Promise<number | null>;
}

function startDemo(): StartRun {
	const child = spawn(process.execPath, [path.join(REPO_ROOT, 'node_modules', 'tsx', 'dist', 'cli.mjs'), 'scripts/start.ts'], {
		cwd: REPO_ROOT,
		env: {
			...process.env,
			N8N_DEMO_FOLDER: demoFolder,
			N8N_PORT: String(ports.n8n),
			N8N_RUNNERS_BROKER_PORT: String(ports.broker),
			META_SIMULATOR_PORT: String(ports.simulator),
			META_SIMULATOR_FIXTURES_PORT: String(ports.fixtures),
		},
		stdio: ['ignore', 'pipe', 'pipe'],
	});
	let output = '';
	child.stdout!.on('data', (chunk) => (output += chunk));
	child.stderr!.on('data', (chunk) => (output += chunk));
	const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
	return { child, output: () => output, exited };
}

async function waitFor(run: StartRun, pattern: RegExp, timeoutMs = 240000): Promise<void> {
	const deadline = Date.now() + timeoutMs;
	while (Date.now() < deadline) {
		if (pattern.test(run.output())) return;
		if (run.child.exitCode !== null) break;
		await new Promise((resolve) => setTimeout(resolve, 250));
	}
	throw new Error(`no ${pattern} in the output of scripts/start.ts:\n${run.output().slice(-4000)}`);
}

function isAlive(pid: number): boolean {
	try {
		process.kill(pid, 0);
		return true;
	} catch {
		return false;
	}
}

async function portAnswers(port: number): Promise<boolean> {
	try {
		await fetch(`http://127.0.0.1:${port}/`, { signal: AbortSignal.timeout(2000) });
		return true;
	} catch {
		return false;
	}
}

const runs: StartRun[] = [];

beforeAll(async () => {
	fs.rmSync(demoFolder, { recursive: true, force: true });
	ports = { n8n: await freePort(), broker: await freePort(), simulator: await freePort(), fixtures: await freePort() };
	if (!fs.existsSync(path.join(REPO_ROOT, 'dist', 'package.json'))) {
		throw new Error('dist/ is missing: run `npm run build` first (npm start and .ci/run do)');
	}
});

afterAll(async () => {
	for (const run of runs) {
		if (run.child.exitCode === null) {
			run.child.kill('SIGINT');
			await run.exited;
		}
	}
});

describe('npm start (scripts/start.ts)', () => {
	it('starts the simulator and n8n with the demo, prints the login that works, and Ctrl-C stops everything', async () => {
		const run = startDemo();
		runs.push(run);
		await waitFor(run, /n8n is ready/);
		const output = run.output();
		expect(output).toContain(`http://127.0.0.1:${ports.n8n}`);
		expect(output).toContain(`${DEMO_OWNER.email}  /  ${DEMO_OWNER.password}`);
		expect(output).toMatch(/templates imported: /);
		const n8nPid = Number(/starting n8n \(pid (\d+)\)/.exec(output)?.[1]);
		expect(isAlive(n8nPid)).toBe(true);

		const rest = new N8nRestClient(`http://127.0.0.1:${ports.n8n}`);
		await rest.ok('POST', '/rest/login', { emailOrLdapLoginId: DEMO_OWNER.email, password: DEMO_OWNER.password });
		const workflows = (await rest.ok('GET', '/rest/workflows')) as Array<{ id: string }>;
		expect(workflows.map((w) => w.id).sort()).toEqual(loadTemplates().map((t) => t.workflow.id).sort());
		const credentials = (await rest.ok('GET', '/rest/credentials')) as Array<{ type: string }>;
		expect(credentials.map((c) => c.type)).toEqual(expect.arrayContaining(['metaBusinessAccessTokenApi']));
		expect(await portAnswers(ports.simulator)).toBe(true);

		run.child.kill('SIGINT');
		expect(await run.exited).toBe(0);
		expect(isAlive(n8nPid)).toBe(false);
		expect(await portAnswers(ports.n8n)).toBe(false);
		expect(await portAnswers(ports.simulator)).toBe(false);
	});

	it('a second start reuses the folder: no template imported again, ready well under a minute', async () => {
		const started = Date.now();
		const run = startDemo();
		runs.push(run);
		await waitFor(run, /n8n is ready/, 60000);
		expect(Date.now() - started).toBeLessThan(60000);
		expect(run.output()).not.toMatch(/templates imported/);
		expect(run.output()).toMatch(/reusing .*runtime/);
		run.child.kill('SIGINT');
		expect(await run.exited).toBe(0);
	});
});
