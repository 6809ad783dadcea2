/**
 * `npm start` (after scripts/start.sh built the package and ensured the runtime): the Meta Graph
 * simulator with the demo scenario, and n8n on http://127.0.0.1:5678 with this package, demo
 * credentials pointing at the simulator, and the templates. Ctrl-C stops both.
 *
 * The n8n user folder .n8n/demo persists (SQLite): workflows you change survive a restart. The
 * package is re-installed and the demo credentials re-imported on every start, because the package
 * may have changed and the simulator's URL goes into the credentials.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';

import {
	DEMO_OWNER,
	demoCredentials,
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

const port = Number(process.env.N8N_PORT ?? 5678);
const userFolder = path.resolve(process.env.N8N_DEMO_FOLDER ?? path.join(REPO_ROOT, '.n8n', 'demo'));
const templatesImportedMarker = path.join(userFolder, 'templates-imported');

function say(message: string): void {
	process.stdout.write(`[start] ${message}\n`);
}

async function main(): Promise<void> {
	const started = Date.now();
	const runtime = ensureRuntime();
	fs.mkdirSync(path.join(userFolder, '.n8n'), { recursive: true });
	const workDir = path.join(userFolder, 'work');

	if (!fs.existsSync(path.join(REPO_ROOT, 'dist', 'package.json'))) {
		throw new Error('dist/ is missing: run `npm run build` (scripts/start.sh does it)');
	}
	const tarball = packFolder(REPO_ROOT, workDir);
	installPackage(userFolder, tarball);
	say(`installed ${path.basename(tarball)} into ${path.relative(REPO_ROOT, userFolder)}/.n8n/nodes`);

	const simulator = await startDemoSimulator();
	say(`Meta Graph simulator (demo scenario) on ${simulator.baseUrl}`);

	const env = n8nEnv(runtime, { userFolder, port });
	let n8n: N8nProcess | undefined;
	let stopping = false;
	const stop = async (signal: string) => {
		if (stopping) return;
		stopping = true;
		say(`${signal}: stopping n8n and the simulator`);
		await n8n?.stop();
		await simulator.stop();
		process.exit(0);
	};
	process.on('SIGINT', () => void stop('SIGINT'));
	process.on('SIGTERM', () => void stop('SIGTERM'));

	fs.mkdirSync(workDir, { recursive: true });
	const credentialsFile = path.join(workDir, 'demo-credentials.json');
	fs.writeFileSync(credentialsFile, JSON.stringify(demoCredentials(simulator), null, 2));
	await runN8nCliOrThrow(runtime, env, ['import:credentials', `--input=${credentialsFile}`]);
	fs.rmSync(credentialsFile);
	say('demo credentials imported (they point at the simulator)');

	if (!fs.existsSync(templatesImportedMarker)) {
		const templatesDir = path.join(workDir, 'templates');
		fs.rmSync(templatesDir, { recursive: true, force: true });
		fs.mkdirSync(templatesDir, { recursive: true });
		for (const template of templatesForSimulator(loadTemplates(), simulator)) {
			fs.writeFileSync(path.join(templatesDir, `${template.slug}.json`), JSON.stringify(template.workflow, null, 2));
		}
		await runN8nCliOrThrow(runtime, env, ['import:workflow', '--separate', `--input=${templatesDir}`]);
		fs.writeFileSync(templatesImportedMarker, new Date().toISOString() + '\n');
		say('templates imported');
	}

	n8n = new N8nProcess(runtime, env, 'start', { logFile: path.join(userFolder, 'n8n.log') });
	say(`starting n8n (pid ${n8n.pid}); log: ${path.relative(REPO_ROOT, userFolder)}/n8n.log`);
	await n8n.waitReady();
	const rest = new N8nRestClient(n8n.baseUrl);
	await rest.setupOwnerAndLogin(DEMO_OWNER);

	const seconds = ((Date.now() - started) / 1000).toFixed(0);
	process.stdout.write(
		[
			'',
			`  n8n is ready (${seconds} s): ${n8n.baseUrl}`,
			`  Sign in with  ${DEMO_OWNER.email}  /  ${DEMO_OWNER.password}`,
			'  Open a workflow (the templates are there), click "Execute workflow": every Meta call goes',
			`  to the simulator at ${simulator.baseUrl}, no Meta account needed.`,
			'  Press Ctrl-C to stop n8n and the simulator.',
			'',
		].join('\n') + '\n',
	);

	n8n.child.on('exit', (code) => {
		if (stopping) return;
		say(`n8n exited unexpectedly (${code}); see ${path.join(userFolder, 'n8n.log')}`);
		void simulator.stop().then(() => process.exit(1));
	});
}

main().catch((error) => {
	process.stderr.write(`[start] failed: ${error instanceof Error ? error.stack : String(error)}\n`);
	process.exit(1);
});
