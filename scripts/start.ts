/**
 * `npm start` (after scripts/start.sh checked the ports and built the package): the Meta Graph
 * simulator with the demo scenario (or `--scenario <name>`), and n8n on http://127.0.0.1:5678 (or
 * N8N_PORT) with this package, demo credentials pointing at the simulator, and the templates.
 * Ctrl-C stops both. Steps 1 to 3 are start.sh's; this file prints steps 4 to 6.
 *
 * The n8n user folder .n8n/demo persists (SQLite): workflows you change survive a restart. The
 * package is re-installed and the demo credentials re-imported on every start, because the package
 * may have changed and the simulator's URL goes into the credentials. A template is imported again
 * only when its file in templates/ changed.
 */
import { createHash } from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';

import {
	DEMO_OWNER,
	demoCredentials,
	demoGraphApiVersion,
	demoScenario,
	loadScenario,
	loadTemplates,
	startDemoSimulator,
	templatesForSimulator,
} from './lib/demo';
import {
	ensureRuntime,
	installPackage,
	N8nProcess,
	n8nEnv,
	N8nRestClient,
	packFolder,
	REPO_ROOT,
	runN8nCliOrThrow,
} from './lib/n8n';
import { describePlan, preflight, PreflightError, USAGE } from './lib/preflight';
import type { RunningSimulator } from '../simulator/types';

const userFolder = path.resolve(
	process.env.N8N_DEMO_FOLDER ?? path.join(REPO_ROOT, '.n8n', 'demo'),
);
const importedTemplatesFile = path.join(userFolder, 'imported-templates.json');

let simulator: RunningSimulator | undefined;
let n8n: N8nProcess | undefined;
let stopping = false;

function say(message: string): void {
	process.stdout.write(`[start] ${message}\n`);
}

/** Seconds since `npm start` began (start.sh passes its start time), or since this process began. */
const startedAt = Number(process.env.NPM_START_STARTED_MS) || Date.now();
function elapsed(): string {
	return `${Math.round((Date.now() - startedAt) / 1000)} s`;
}
function step(index: number, message: string): void {
	say(`step ${index}/6 (${elapsed()} so far): ${message}`);
}

/** "still <what>, N s" every 10 s while a step runs (n8n's first start takes 20 to 60 s). */
async function withHeartbeat<T>(what: string, work: Promise<T>): Promise<T> {
	const timer = setInterval(() => say(`  still ${what} (${elapsed()} so far)`), 10000);
	try {
		return await work;
	} finally {
		clearInterval(timer);
	}
}

async function stopAll(exitCode: number, reason: string): Promise<never> {
	if (!stopping) {
		stopping = true;
		say(`${reason}: stopping n8n and the simulator`);
		await n8n?.stop();
		await simulator?.stop();
	}
	process.exit(exitCode);
}

/**
 * n8n settings of the caller's shell (N8N_*, GENERIC_TIMEZONE...) win over the demo's, except the
 * user folder: the demo never touches a real ~/.n8n (use N8N_DEMO_FOLDER to move it).
 */
function callerSettings(): Record<string, string> {
	return Object.fromEntries(
		Object.entries(process.env).filter(
			(entry): entry is [string, string] =>
				entry[1] !== undefined &&
				entry[0] !== 'N8N_USER_FOLDER' &&
				/^(N8N_|GENERIC_TIMEZONE$|TZ$|DB_|EXECUTIONS_|QUEUE_)/.test(entry[0]),
		),
	);
}

async function main(): Promise<void> {
	// Before anything is installed: the arguments and every port (start.sh ran this already; this
	// file can also be started on its own, and the build took a while).
	const checked = await preflight(process.argv.slice(2));
	const { ports, scenario } = checked;
	if (checked.help) {
		process.stdout.write(`${USAGE}\n`);
		process.exit(0);
	}
	say(describePlan(checked));

	step(
		4,
		'the pinned n8n runtime (.n8n/runtime; the first run installs it: 4 minutes on an idle 2-core machine, up to 15 on a busy one)',
	);
	const runtime = ensureRuntime();
	fs.mkdirSync(path.join(userFolder, '.n8n'), { recursive: true });
	const workDir = path.join(userFolder, 'work');
	fs.mkdirSync(workDir, { recursive: true });

	step(
		5,
		`the package, the simulator (${scenario} scenario), the demo credentials and the templates`,
	);
	if (!fs.existsSync(path.join(REPO_ROOT, 'dist', 'package.json'))) {
		throw new Error('dist/ is missing: run `npm run build` (scripts/start.sh does it)');
	}
	for (const old of fs.readdirSync(workDir).filter((f) => f.endsWith('.tgz')))
		fs.rmSync(path.join(workDir, old));
	const tarball = packFolder(REPO_ROOT, workDir);
	installPackage(userFolder, tarball);
	say(
		`installed ${path.basename(tarball)} into ${path.relative(REPO_ROOT, userFolder)}/.n8n/nodes`,
	);

	simulator = await startDemoSimulator(scenario, ports);
	say(`Meta Graph simulator (${scenario} scenario) on ${simulator.baseUrl}`);

	const env = n8nEnv(runtime, {
		userFolder,
		port: ports.n8n,
		brokerPort: ports.broker,
		extra: {
			...callerSettings(),
			N8N_PORT: String(ports.n8n),
			N8N_RUNNERS_BROKER_PORT: String(ports.broker),
		},
	});

	const credentialsFile = path.join(workDir, 'demo-credentials.json');
	fs.writeFileSync(
		credentialsFile,
		JSON.stringify(
			demoCredentials(simulator, loadScenario('demo'), demoGraphApiVersion(scenario)),
			null,
			2,
		),
	);
	try {
		await runN8nCliOrThrow(runtime, env, ['import:credentials', `--input=${credentialsFile}`]);
	} finally {
		fs.rmSync(credentialsFile, { force: true });
	}
	say('demo credentials imported (they point at the simulator)');

	const imported: Record<string, string> = fs.existsSync(importedTemplatesFile)
		? JSON.parse(fs.readFileSync(importedTemplatesFile, 'utf8'))
		: {};
	const templatesDir = path.join(workDir, 'templates');
	fs.rmSync(templatesDir, { recursive: true, force: true });
	fs.mkdirSync(templatesDir, { recursive: true });
	const changed: string[] = [];
	for (const template of templatesForSimulator(loadTemplates(), simulator)) {
		const json = JSON.stringify(template.workflow, null, 2);
		const hash = createHash('sha256').update(json).digest('hex');
		if (imported[template.slug] === hash) continue;
		fs.writeFileSync(path.join(templatesDir, `${template.slug}.json`), json);
		imported[template.slug] = hash;
		changed.push(template.slug);
	}
	if (changed.length) {
		await runN8nCliOrThrow(runtime, env, [
			'import:workflow',
			'--separate',
			`--input=${templatesDir}`,
		]);
		fs.writeFileSync(importedTemplatesFile, JSON.stringify(imported, null, 2) + '\n');
		say(`templates imported: ${changed.join(', ')}`);
	}

	step(6, 'starting n8n (usually 20 to 60 s)');
	const n8nStarted = Date.now();
	n8n = new N8nProcess(runtime, env, 'start', { logFile: path.join(userFolder, 'n8n.log') });
	say(`starting n8n (pid ${n8n.pid}); log: ${path.relative(REPO_ROOT, userFolder)}/n8n.log`);
	n8n.child.on('exit', (code) => {
		if (!stopping)
			void stopAll(1, `n8n exited unexpectedly (${code}); see ${path.join(userFolder, 'n8n.log')}`);
	});
	await withHeartbeat('waiting for n8n to answer', n8n.waitReady());
	const rest = new N8nRestClient(n8n.baseUrl);
	await rest.setupOwnerAndLogin(DEMO_OWNER);

	const seconds = ((Date.now() - n8nStarted) / 1000).toFixed(0);
	const world = demoScenario(scenario);
	process.stdout.write(
		[
			'',
			`  n8n is ready (${seconds} s for this step, ${elapsed()} since npm start): ${n8n.baseUrl}`,
			`  Sign in with  ${DEMO_OWNER.email}  /  ${DEMO_OWNER.password}`,
			'  Open a workflow (the templates are there) and click "Execute workflow": every Meta call',
			`  goes to the simulator at ${simulator.baseUrl}; no Meta account needed.`,
			...(scenario === 'demo'
				? []
				: [
						`  Scenario ${scenario}: ${world.description ?? ''}`,
						'  The demo credentials work in it; the "Meta daily health check" template shows the',
						'  Meta Asset Check reporting Not Ready. `npm start` without --scenario is the demo again.',
					]),
			'  Press Ctrl-C to stop n8n and the simulator.',
			'',
		].join('\n') + '\n',
	);
}

process.on('SIGINT', () => void stopAll(0, 'SIGINT'));
process.on('SIGTERM', () => void stopAll(0, 'SIGTERM'));

main().catch((error) => {
	if (error instanceof PreflightError) {
		process.stderr.write(`[start] cannot start: ${error.message}\n`);
		process.exit(2);
	}
	process.stderr.write(`[start] failed: ${error instanceof Error ? error.stack : String(error)}\n`);
	void stopAll(1, 'start failed');
});
