/**
 * `npm run simulator -- --scenario demo [--port 4010] [--fixtures-port 4011] [--latency 50]
 *   [--settings '{"throughputPerSecond":10}'] [--json]`
 * Starts the Meta Graph simulator and keeps it up until Ctrl-C (or SIGTERM). `--json` prints one
 * line `{"baseUrl","fixturesBaseUrl","port","scenario"}` instead of the human-readable banner,
 * for scripts that start it in the background. `--scenario` also takes a path to a .json file.
 */
import { startSimulator, loadScenario } from './index';

function arg(name: string): string | undefined {
	const argv = process.argv.slice(2);
	const index = argv.indexOf(`--${name}`);
	if (index !== -1) return argv[index + 1];
	const inline = argv.find((value) => value.startsWith(`--${name}=`));
	return inline?.slice(name.length + 3);
}

async function main(): Promise<void> {
	const scenarioName = arg('scenario') ?? 'demo';
	const port = arg('port') ? Number(arg('port')) : undefined;
	const fixturesPort = arg('fixtures-port') ? Number(arg('fixtures-port')) : undefined;
	const latency = arg('latency') ? Number(arg('latency')) : undefined;
	const extraSettings = arg('settings')
		? (JSON.parse(arg('settings') as string) as Record<string, unknown>)
		: {};
	const scenario = loadScenario(scenarioName);
	const sim = await startSimulator(scenario, {
		port,
		fixturesPort,
		settings: { ...extraSettings, ...(latency !== undefined ? { latencyMs: latency } : {}) },
	});
	const shutdown = (): void => {
		void sim.stop().then(() => process.exit(0));
	};
	process.on('SIGINT', shutdown);
	process.on('SIGTERM', shutdown);
	if (process.argv.includes('--json')) {
		process.stdout.write(
			JSON.stringify({
				baseUrl: sim.baseUrl,
				fixturesBaseUrl: sim.fixturesBaseUrl,
				port: sim.port,
				scenario: scenario.name,
			}) + '\n',
		);
		return;
	}
	const lines: string[] = [];
	lines.push(`Meta Graph simulator — scenario "${scenario.name}"`);
	lines.push(`  ${scenario.description}`);
	lines.push('');
	lines.push(`Graph API base URL : ${sim.baseUrl}        (credential field "Graph API Base URL")`);
	lines.push(
		`Media fixtures     : ${sim.fixturesBaseUrl}/fixtures/image.jpg?width=1080&height=1350  (self-signed HTTPS)`,
	);
	lines.push(`Admin API          : ${sim.baseUrl}/__admin/requests`);
	lines.push('');
	lines.push('Tokens:');
	for (const token of scenario.tokens) {
		const who = token.pageId
			? `Page ${token.pageId}`
			: token.instagramAccountId
				? `Instagram ${token.instagramAccountId}`
				: `user ${token.userId ?? '-'}`;
		const state = token.isValid === false ? ` INVALID(${token.invalidSubcode ?? ''})` : '';
		lines.push(`  ${token.type.padEnd(11)} ${token.token}  (${who}, app ${token.appId})${state}`);
	}
	for (const app of scenario.apps) {
		lines.push(
			`  APP         ${app.id}|${app.secret}  (app token of "${app.name}", ${app.mode}${app.requireAppSecret ? ', requires appsecret_proof' : ''})`,
		);
	}
	const ids: string[] = [];
	for (const page of scenario.pages ?? []) ids.push(`  Page        ${page.id}  ${page.name}`);
	for (const account of scenario.instagramAccounts ?? [])
		ids.push(`  Instagram   ${account.id}  @${account.username} (${account.accountType})`);
	for (const waba of scenario.wabas ?? []) ids.push(`  WABA        ${waba.id}  ${waba.name}`);
	for (const phone of scenario.phoneNumbers ?? [])
		ids.push(
			`  Phone       ${phone.id}  ${phone.displayPhoneNumber} (${phone.status ?? 'CONNECTED'}${phone.isTestNumber ? ', test number' : ''})`,
		);
	if (ids.length) lines.push('', 'Assets:', ...ids);
	const userToken =
		scenario.tokens.find((token) => token.type === 'USER' || token.type === 'SYSTEM_USER')?.token ??
		'TOKEN';
	lines.push('');
	lines.push('Try:');
	lines.push(
		`  curl -sg '${sim.baseUrl}/v26.0/me?fields=id,name' -H 'Authorization: Bearer ${userToken}'`,
	);
	lines.push(
		`  curl -sg '${sim.baseUrl}/v26.0/me/accounts?fields=id,name,tasks,instagram_business_account{id,username}' -H 'Authorization: Bearer ${userToken}'`,
	);
	lines.push(
		`  curl -sg '${sim.baseUrl}/v26.0/debug_token?input_token=${userToken}' -H 'Authorization: Bearer ${userToken}'`,
	);
	lines.push('');
	lines.push('Ctrl-C to stop.');
	process.stdout.write(lines.join('\n') + '\n');
}

main().catch((error) => {
	process.stderr.write(`${(error as Error)?.stack ?? error}\n`);
	process.exit(1);
});
