/**
 * `npm start`'s preflight (scripts/lib/preflight.js, run first by scripts/start.sh): with any one
 * of the demo's ports taken it names the port, what it is for and the variable that moves it, and
 * stops before installing or building anything; the ports follow N8N_PORT; a bad --scenario is
 * refused with the valid names.
 */
import { spawn, spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as net from 'node:net';
import * as os from 'node:os';
import * as path from 'node:path';

import { portPlan, scenarioNames } from '../../scripts/lib/preflight';

const REPO_ROOT = path.resolve(__dirname, '..', '..');

function listen(port: number): Promise<net.Server> {
	return new Promise((resolve, reject) => {
		const server = net.createServer();
		server.once('error', reject);
		server.listen({ port, host: '127.0.0.1', exclusive: true }, () => resolve(server));
	});
}

function close(server: net.Server): Promise<void> {
	return new Promise((resolve) => server.close(() => resolve()));
}

/** A base port from which base..base+3 are free (base picked by the OS, then checked). */
async function freeBase(): Promise<number> {
	for (let attempt = 0; attempt < 50; attempt++) {
		const probe = await listen(0);
		const base = (probe.address() as net.AddressInfo).port;
		await close(probe);
		if (base + 3 > 65535) continue;
		const held: net.Server[] = [];
		try {
			for (let offset = 0; offset < 4; offset++) held.push(await listen(base + offset));
			return base;
		} catch {
			// one of them is taken: try another base
		} finally {
			await Promise.all(held.map(close));
		}
	}
	throw new Error('no four consecutive free ports');
}

/** `bash scripts/start.sh` as `npm start` runs it, with the demo's port variables cleared. */
function runStart(
	args: string[],
	env: Record<string, string>,
): Promise<{ code: number | null; output: string }> {
	return new Promise((resolve) => {
		const clean = Object.fromEntries(
			Object.entries(process.env).filter(([key]) => !/^(N8N_|META_SIMULATOR_|npm_)/.test(key)),
		) as Record<string, string>;
		const child = spawn('bash', [path.join(REPO_ROOT, 'scripts', 'start.sh'), ...args], {
			cwd: REPO_ROOT,
			env: { ...clean, N8N_DEMO_FOLDER: path.join(REPO_ROOT, '.n8n', 'preflight-test'), ...env },
			stdio: ['ignore', 'pipe', 'pipe'],
		});
		let output = '';
		child.stdout.on('data', (chunk) => (output += chunk));
		child.stderr.on('data', (chunk) => (output += chunk));
		child.on('close', (code) => resolve({ code, output }));
	});
}

function expectStoppedBeforeInstalling(output: string): void {
	expect(output).toContain('Nothing was installed or started.');
	expect(output).not.toMatch(/step [2-6]\/6|npm ci|building|n8n-runtime/);
}

describe('npm start preflight: ports', () => {
	it('derives every port from N8N_PORT (5681: 5681 to 5684, so nothing else takes 5681)', () => {
		expect(portPlan({ N8N_PORT: '5681' }).map((entry) => [entry.variable, entry.port])).toEqual([
			['N8N_PORT', 5681],
			['N8N_RUNNERS_BROKER_PORT', 5682],
			['META_SIMULATOR_PORT', 5683],
			['META_SIMULATOR_FIXTURES_PORT', 5684],
		]);
		expect(portPlan({}).map((entry) => entry.port)).toEqual([5678, 5679, 5680, 5681]);
		expect(
			portPlan({ N8N_PORT: '7000', META_SIMULATOR_PORT: '9000' }).map((entry) => entry.port),
		).toEqual([7000, 7001, 9000, 9001]);
	});

	it('refuses two roles on one port and a value that is not a port, naming the variables', () => {
		expect(() => portPlan({ N8N_PORT: '5681', META_SIMULATOR_PORT: '5681' })).toThrow(
			/port 5681 would be used twice: by n8n's editor and API \(N8N_PORT\) and by the Meta Graph simulator \(META_SIMULATOR_PORT\)/,
		);
		expect(() => portPlan({ N8N_RUNNERS_BROKER_PORT: 'abc' })).toThrow(
			/N8N_RUNNERS_BROKER_PORT=abc is not a port number .* n8n's task broker/,
		);
	});

	it.each([
		[0, "n8n's editor and API", 'N8N_PORT'],
		[1, "n8n's task broker", 'N8N_RUNNERS_BROKER_PORT'],
		[2, 'the Meta Graph simulator', 'META_SIMULATOR_PORT'],
		[3, "the simulator's media fixtures (https)", 'META_SIMULATOR_FIXTURES_PORT'],
	])(
		'port base+%i taken: start.sh names it (%s, %s) and exits before installing anything',
		async (offset, role, variable) => {
			const base = await freeBase();
			const blocker = await listen(base + offset);
			try {
				const { code, output } = await runStart([], { N8N_PORT: String(base) });
				expect(code).toBe(2);
				expect(output).toContain(
					`port ${base + offset} (${role}, ${variable}) is already in use by `,
				);
				expect(output).toContain(`set ${variable}=<free port> or stop that process`);
				expect(output).toMatch(/Or move all four ports at once: N8N_PORT=\d+ npm start/);
				expectStoppedBeforeInstalling(output);
			} finally {
				await close(blocker);
			}
		},
	);
});

describe('npm start preflight: --scenario', () => {
	it('an unknown scenario is refused before anything is installed, with the valid names', async () => {
		const base = await freeBase();
		const { code, output } = await runStart(['--scenario', 'no-such-scenario'], {
			N8N_PORT: String(base),
		});
		expect(code).toBe(2);
		expect(output).toContain(
			'unknown scenario "no-such-scenario". Valid names (simulator/scenarios/):',
		);
		for (const name of scenarioNames()) expect(output).toContain(`\n  ${name}`);
		expect(output).not.toMatch(/step [2-6]\/6|npm ci|building|n8n-runtime/);
	});

	it('an unknown argument is refused with the usage', async () => {
		const { code, output } = await runStart(['--scenari', 'demo'], {});
		expect(code).toBe(2);
		expect(output).toContain('unknown argument "--scenari"');
		expect(output).toContain('usage: npm start [-- --scenario <name>]');
	});
});

describe("npm start preflight: the first run's needs", () => {
	it('without g++ and python3 (and no runtime yet) it says what to install, before npm ci or the build', async () => {
		const bin = fs.mkdtempSync(path.join(os.tmpdir(), 'preflight-bin-'));
		try {
			// A PATH with the shell tools start.sh uses and make, but no g++ and no python3.
			for (const tool of ['bash', 'sh', 'node', 'dirname', 'date', 'make']) {
				const found = spawnSync('sh', ['-c', `command -v ${tool}`], {
					encoding: 'utf8',
				}).stdout.trim();
				fs.symlinkSync(found, path.join(bin, tool));
			}
			const base = await freeBase();
			const { code, output } = await runStart([], {
				PATH: bin,
				N8N_PORT: String(base),
				N8N_RUNTIME_DIR: path.join(bin, 'no-runtime-yet'),
			});
			expect(code).toBe(2);
			expect(output).toContain(
				'missing g++, python3: the first run installs n8n and compiles sqlite3',
			);
			expect(output).toContain('sudo apt-get install -y g++ make python3');
			expectStoppedBeforeInstalling(output);
		} finally {
			fs.rmSync(bin, { recursive: true, force: true });
		}
	});
});
