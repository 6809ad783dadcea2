'use strict';
/**
 * `npm start`'s checks before anything is installed or built: the command line (`--scenario`), and
 * every port the demo will listen on. Plain JavaScript with no dependency, so scripts/start.sh runs
 * it with the machine's Node before `npm ci` on a fresh clone; scripts/start.ts runs it again
 * (it can be started on its own) and takes the port plan from it.
 *
 * Ports come from one base, N8N_PORT (default 5678): n8n's task broker on base+1, the simulator on
 * base+2 and its media fixtures on base+3. Each can still be set on its own
 * (N8N_RUNNERS_BROKER_PORT, META_SIMULATOR_PORT, META_SIMULATOR_FIXTURES_PORT).
 *
 *   node scripts/lib/preflight.js [--scenario <name>]   exit 0 and a summary, or exit 2 and why
 */
const fs = require('node:fs');
const net = require('node:net');
const path = require('node:path');
const { spawnSync } = require('node:child_process');

const REPO_ROOT = path.resolve(__dirname, '..', '..');
const SCENARIO_DIR = path.join(REPO_ROOT, 'simulator', 'scenarios');
const DEFAULT_N8N_PORT = 5678;

/** An error whose message is meant for the user as it is (no stack). */
class PreflightError extends Error {}

/** Names of simulator/scenarios/*.json, `demo` first. */
function scenarioNames() {
	const names = fs
		.readdirSync(SCENARIO_DIR)
		.filter((file) => file.endsWith('.json'))
		.map((file) => file.slice(0, -'.json'.length))
		.sort();
	return ['demo', ...names.filter((name) => name !== 'demo')];
}

const USAGE = [
	'usage: npm start [-- --scenario <name>]',
	'  --scenario <name>  the simulator scenario to start (default: demo, where everything works).',
	'                     A fail-* scenario makes the Meta Asset Check report Not Ready; the demo',
	'                     credentials keep working in it (README, "Real n8n, end-to-end tests and queue mode").',
	'ports: N8N_PORT (default 5678); the others follow it unless set: N8N_RUNNERS_BROKER_PORT (+1),',
	'       META_SIMULATOR_PORT (+2), META_SIMULATOR_FIXTURES_PORT (simulator +1).',
].join('\n');

/** `--scenario <name>` / `--scenario=<name>` / `--help`; anything else is refused. */
function parseArgs(argv) {
	const options = { scenario: 'demo', help: false };
	for (let index = 0; index < argv.length; index++) {
		const arg = argv[index];
		if (arg === '--help' || arg === '-h') options.help = true;
		else if (arg === '--scenario') {
			const value = argv[++index];
			if (!value || value.startsWith('-'))
				throw new PreflightError(`--scenario needs a name\n${USAGE}`);
			options.scenario = value;
		} else if (arg.startsWith('--scenario=')) options.scenario = arg.slice('--scenario='.length);
		else throw new PreflightError(`unknown argument "${arg}"\n${USAGE}`);
	}
	const names = scenarioNames();
	if (!names.includes(options.scenario)) {
		throw new PreflightError(
			`unknown scenario "${options.scenario}". Valid names (simulator/scenarios/):\n  ${names.join('\n  ')}`,
		);
	}
	return options;
}

function portFrom(env, variable, fallback, purpose) {
	const raw = env[variable];
	if (raw === undefined || raw === '') return fallback;
	const port = Number(raw);
	if (!Number.isInteger(port) || port < 1 || port > 65535) {
		throw new PreflightError(
			`${variable}=${raw} is not a port number (1 to 65535); it sets ${purpose}`,
		);
	}
	return port;
}

/**
 * The demo's ports: [{ port, role, variable }], in start order. Throws when a variable is not a
 * port or two roles would share one port.
 */
function portPlan(env = process.env) {
	const base = portFrom(env, 'N8N_PORT', DEFAULT_N8N_PORT, "n8n's editor and API");
	const simulator = portFrom(env, 'META_SIMULATOR_PORT', base + 2, 'the Meta Graph simulator');
	const explicitSimulator = env.META_SIMULATOR_PORT !== undefined && env.META_SIMULATOR_PORT !== '';
	const plan = [
		{ port: base, role: "n8n's editor and API", variable: 'N8N_PORT' },
		{
			port: portFrom(env, 'N8N_RUNNERS_BROKER_PORT', base + 1, "n8n's task broker"),
			role: "n8n's task broker",
			variable: 'N8N_RUNNERS_BROKER_PORT',
		},
		{ port: simulator, role: 'the Meta Graph simulator', variable: 'META_SIMULATOR_PORT' },
		{
			port: portFrom(
				env,
				'META_SIMULATOR_FIXTURES_PORT',
				explicitSimulator ? simulator + 1 : base + 3,
				"the simulator's media fixtures",
			),
			role: "the simulator's media fixtures (https)",
			variable: 'META_SIMULATOR_FIXTURES_PORT',
		},
	];
	for (const entry of plan) {
		if (entry.port > 65535) {
			throw new PreflightError(
				`port ${entry.port} for ${entry.role} is above 65535: choose a lower N8N_PORT`,
			);
		}
		const other = plan.find((candidate) => candidate !== entry && candidate.port === entry.port);
		if (other && plan.indexOf(other) < plan.indexOf(entry)) {
			throw new PreflightError(
				`port ${entry.port} would be used twice: by ${other.role} (${other.variable}) and by ${entry.role} (${entry.variable}). ` +
					`Give them different ports, or unset ${entry.variable} so it follows N8N_PORT.`,
			);
		}
	}
	return plan;
}

/** Resolves to undefined when 127.0.0.1:port can be listened on, else the error code. */
function tryListen(port) {
	return new Promise((resolve) => {
		const server = net.createServer();
		server.once('error', (error) => resolve(error.code || String(error)));
		server.listen({ port, host: '127.0.0.1', exclusive: true }, () =>
			server.close(() => resolve(undefined)),
		);
	});
}

/** True when something accepts connections on 127.0.0.1:port (also catches a wildcard listener on macOS). */
function answers(port) {
	return new Promise((resolve) => {
		const socket = net.connect({ port, host: '127.0.0.1' });
		const done = (result) => {
			socket.destroy();
			resolve(result);
		};
		socket.setTimeout(1000, () => done(false));
		socket.once('connect', () => done(true));
		socket.once('error', () => done(false));
	});
}

/**
 * "n8n (pid 1234)" or "node (pid 1234)" from `ss` on Linux when it may tell (own processes), else
 * undefined. n8n's main thread shows up as "MainThread", so the command line decides.
 */
function holderOf(port) {
	try {
		const result = spawnSync('ss', ['-Hltnp', `sport = :${port}`], {
			encoding: 'utf8',
			timeout: 2000,
		});
		const match = /users:\(\("([^"]+)",pid=(\d+)/.exec(result.stdout || '');
		if (!match) return undefined;
		const [, name, pid] = match;
		let commandLine = '';
		try {
			commandLine = fs.readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0').join(' ');
		} catch {
			// not readable: the name from ss will do
		}
		if (/[/\\]n8n[/\\]bin[/\\]n8n\b|\bn8n (start|worker|webhook)\b/.test(commandLine)) {
			return `n8n (pid ${pid}; another npm start or n8n still running?)`;
		}
		if (/scripts[/\\]start\.ts\b/.test(commandLine))
			return `npm start's simulator (pid ${pid}; a demo still running?)`;
		return `${name} (pid ${pid})`;
	} catch {
		return undefined;
	}
}

async function isFree(port) {
	return (await tryListen(port)) === undefined && !(await answers(port));
}

/** A base port (for N8N_PORT) from which the four demo ports are free, or undefined. */
async function freeBase(from) {
	for (let base = from; base < from + 200 && base + 3 <= 65535; base += 10) {
		let free = true;
		for (let offset = 0; offset < 4 && free; offset++) free = await isFree(base + offset);
		if (free) return base;
	}
	return undefined;
}

/** Every port of the plan free, or a PreflightError saying which port clashes with what and what to do. */
async function checkPorts(plan) {
	const problems = [];
	for (const entry of plan) {
		const code = await tryListen(entry.port);
		const taken = code === 'EADDRINUSE' || (code === undefined && (await answers(entry.port)));
		if (!taken && code === undefined) continue;
		if (!taken) {
			problems.push(
				`port ${entry.port} (${entry.role}, ${entry.variable}) cannot be opened: ${code}`,
			);
			continue;
		}
		const holder = holderOf(entry.port);
		problems.push(
			`port ${entry.port} (${entry.role}, ${entry.variable}) is already in use by ` +
				`${holder ? holder : 'another process'}: set ${entry.variable}=<free port> or stop that process`,
		);
	}
	if (!problems.length) return;
	const base = await freeBase(plan[0].port + 10);
	const hint = base
		? `Or move all four ports at once: N8N_PORT=${base} npm start (uses ${base} to ${base + 3}, all free now).`
		: 'Or move all four ports at once with N8N_PORT=<base> (uses base to base+3).';
	throw new PreflightError(`${problems.join('\n')}\n${hint}\nNothing was installed or started.`);
}

/**
 * Before the first run (no runtime marker yet): the tools that compile sqlite3 for Node 24 and the
 * disk space the runtime takes, so a missing g++ is reported before `npm ci` and the build rather
 * than after them. scripts/ensure-n8n-runtime.sh checks the same again (it can run on its own).
 */
function checkFirstRunNeeds(env = process.env) {
	const runtimeDir = env.N8N_RUNTIME_DIR || path.join(REPO_ROOT, '.n8n', 'runtime');
	if (fs.existsSync(path.join(runtimeDir, '.runtime-ready'))) return;
	const missing = ['g++', 'make', 'python3'].filter(
		(tool) => spawnSync('sh', ['-c', `command -v ${tool}`], { stdio: 'ignore' }).status !== 0,
	);
	if (missing.length) {
		throw new PreflightError(
			`missing ${missing.join(', ')}: the first run installs n8n and compiles sqlite3 for Node 24, which needs g++, make and python3.\n` +
				'  Debian/Ubuntu: sudo apt-get install -y g++ make python3    macOS: xcode-select --install\n' +
				'Nothing was installed or started.',
		);
	}
	const minFreeMb = Number(env.N8N_RUNTIME_MIN_FREE_MB || 4000);
	let folder = runtimeDir;
	while (!fs.existsSync(folder) && path.dirname(folder) !== folder) folder = path.dirname(folder);
	if (typeof fs.statfsSync !== 'function') return;
	const stats = fs.statfsSync(folder);
	const freeMb = Math.floor((Number(stats.bavail) * Number(stats.bsize)) / 1024 / 1024);
	if (freeMb < minFreeMb) {
		throw new PreflightError(
			`only ${freeMb} MB free on the disk of ${runtimeDir}; the first run needs about 3.5 GB for n8n ` +
				'(set N8N_RUNTIME_DIR to a folder on a larger disk, or free some space).\nNothing was installed or started.',
		);
	}
}

/** Everything checked: { scenario, ports: { n8n, broker, simulator, fixtures }, plan }. */
async function preflight(argv = process.argv.slice(2), env = process.env) {
	const options = parseArgs(argv);
	const plan = portPlan(env);
	await checkPorts(plan);
	checkFirstRunNeeds(env);
	const [n8n, broker, simulator, fixtures] = plan.map((entry) => entry.port);
	return {
		scenario: options.scenario,
		help: options.help,
		plan,
		ports: { n8n, broker, simulator, fixtures },
	};
}

function describePlan(result) {
	const { ports } = result;
	return (
		`scenario ${result.scenario}; ports free: n8n ${ports.n8n}, task broker ${ports.broker}, ` +
		`simulator ${ports.simulator}, media fixtures ${ports.fixtures}`
	);
}

module.exports = {
	PreflightError,
	USAGE,
	scenarioNames,
	parseArgs,
	portPlan,
	checkPorts,
	checkFirstRunNeeds,
	preflight,
	describePlan,
};

if (require.main === module) {
	preflight().then(
		(result) => {
			if (result.help) {
				process.stdout.write(`${USAGE}\n`);
				process.exit(3);
			}
			// Silent when all is well: scripts/start.ts prints the plan (describePlan) once.
		},
		(error) => {
			process.stderr.write(
				`[start] cannot start: ${error instanceof PreflightError ? error.message : error && error.stack}\n`,
			);
			process.exit(2);
		},
	);
}
