/**
 * `npm start`'s demo runner (scripts/start.ts, after the build that start.sh does): it brings up the
 * simulator and n8n with the package, the demo credentials and the templates, the printed login
 * works, and Ctrl-C (SIGINT) stops n8n, its task runner and the simulator. A second start on the
 * same folder reuses everything and imports no template twice. With N8N_PORT alone every other port
 * follows it, and `--scenario <name>` starts a failure scenario in which the demo credentials work.
 * (The port checks before installing are tested fast in test/scripts/preflight.test.ts.)
 */
import { spawn, type ChildProcess } from 'node:child_process';
import * as fs from 'node:fs';
import * as net from 'node:net';
import * as path from 'node:path';

import { DEMO_CREDENTIALS, DEMO_OWNER, loadScenario, loadTemplates } from '../../scripts/lib/demo';
import { N8nRestClient, REPO_ROOT } from '../../scripts/lib/n8n';
import { freePort, WORK_ROOT } from './harness';

const demoFolder = path.join(WORK_ROOT, 'start-demo');
let ports: { n8n: number; broker: number; simulator: number; fixtures: number };

interface StartRun {
	child: ChildProcess;
	output: () => string;
	exited: Promise<number | null>;
}

/** scripts/start.ts with `args`; `env` replaces the port variables (default: every port set). */
function startDemo(args: string[] = [], env?: Record<string, string>): StartRun {
	const outer = Object.fromEntries(
		Object.entries(process.env).filter(
			([key]) => !/^(N8N_PORT|N8N_RUNNERS_BROKER_PORT|META_SIMULATOR_)/.test(key),
		),
	);
	const child = spawn(
		process.execPath,
		[path.join(REPO_ROOT, 'node_modules', 'tsx', 'dist', 'cli.mjs'), 'scripts/start.ts', ...args],
		{
			cwd: REPO_ROOT,
			env: {
				...outer,
				N8N_DEMO_FOLDER: demoFolder,
				...(env ?? {
					N8N_PORT: String(ports.n8n),
					N8N_RUNNERS_BROKER_PORT: String(ports.broker),
					META_SIMULATOR_PORT: String(ports.simulator),
					META_SIMULATOR_FIXTURES_PORT: String(ports.fixtures),
				}),
			},
			stdio: ['ignore', 'pipe', 'pipe'],
		},
	);
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

/** Something accepts connections on 127.0.0.1:port (any protocol). */
function listening(port: number): Promise<boolean> {
	return new Promise((resolve) => {
		const socket = net.connect({ port, host: '127.0.0.1' });
		socket.setTimeout(2000, () => {
			socket.destroy();
			resolve(false);
		});
		socket.once('connect', () => {
			socket.destroy();
			resolve(true);
		});
		socket.once('error', () => resolve(false));
	});
}

/** A base port with base..base+3 free: what a user picking N8N_PORT would need. */
async function freeBase(): Promise<number> {
	for (let attempt = 0; attempt < 50; attempt++) {
		const base = await freePort();
		if (base + 3 > 65535) continue;
		const taken = await Promise.all([0, 1, 2, 3].map((offset) => listening(base + offset)));
		if (!taken.some(Boolean)) return base;
	}
	throw new Error('no four consecutive free ports');
}

const runs: StartRun[] = [];

beforeAll(async () => {
	fs.rmSync(demoFolder, { recursive: true, force: true });
	ports = {
		n8n: await freePort(),
		broker: await freePort(),
		simulator: await freePort(),
		fixtures: await freePort(),
	};
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
		await rest.ok('POST', '/rest/login', {
			emailOrLdapLoginId: DEMO_OWNER.email,
			password: DEMO_OWNER.password,
		});
		const workflows = (await rest.ok('GET', '/rest/workflows')) as Array<{ id: string }>;
		expect(workflows.map((w) => w.id).sort()).toEqual(
			loadTemplates()
				.map((t) => t.workflow.id)
				.sort(),
		);
		const credentials = (await rest.ok('GET', '/rest/credentials')) as Array<{ type: string }>;
		expect(credentials.map((c) => c.type)).toEqual(
			expect.arrayContaining(['metaBusinessAccessTokenApi']),
		);
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

	it('N8N_PORT alone moves every port, and --scenario starts a failure scenario the demo credentials work in', async () => {
		const base = await freeBase();
		const scenario = 'fail-page-role-no-token';
		const run = startDemo(['--scenario', scenario], { N8N_PORT: String(base) });
		runs.push(run);
		await waitFor(run, /n8n is ready/);
		const output = run.output();
		expect(output).toContain(
			`scenario ${scenario}; ports free: n8n ${base}, task broker ${base + 1}, simulator ${base + 2}, media fixtures ${base + 3}`,
		);
		expect(output).toMatch(/step 4\/6 \(\d+ s so far\)/);
		expect(output).toMatch(/step 6\/6 \(\d+ s so far\): starting n8n/);
		expect(output).toContain(`Scenario ${scenario}: ${loadScenario(scenario).description}`);
		expect(output).toContain(`http://127.0.0.1:${base}`);

		// Every port is the one planned: n8n, its task broker, the simulator (in the scenario), the fixtures.
		const health = await (await fetch(`http://127.0.0.1:${base + 2}/__admin/health`)).json();
		expect(health).toMatchObject({ scenario });
		expect(await listening(base + 1)).toBe(true);
		expect(await listening(base + 3)).toBe(true);

		// The demo System User token exists in the scenario: it is the scenario's own user...
		const demoToken = loadScenario('demo').tokens.find(
			(token) => token.type === 'SYSTEM_USER',
		)!.token;
		const me = await (
			await fetch(`http://127.0.0.1:${base + 2}/v26.0/me?access_token=${demoToken}`)
		).json();
		expect(me).toMatchObject({ name: loadScenario(scenario).users[0].name });
		// ...and the demo credential stored in n8n passes n8n's credential test against it.
		const rest = new N8nRestClient(`http://127.0.0.1:${base}`);
		await rest.ok('POST', '/rest/login', {
			emailOrLdapLoginId: DEMO_OWNER.email,
			password: DEMO_OWNER.password,
		});
		const stored = await rest.ok(
			'GET',
			`/rest/credentials/${DEMO_CREDENTIALS.accessToken.id}?includeData=true`,
		);
		expect(stored.data.baseUrl).toBe(`http://127.0.0.1:${base + 2}`);
		expect(await rest.ok('POST', '/rest/credentials/test', { credentials: stored })).toMatchObject({
			status: 'OK',
		});

		run.child.kill('SIGINT');
		expect(await run.exited).toBe(0);
		expect(await listening(base)).toBe(false);
		expect(await listening(base + 2)).toBe(false);
	});
});
