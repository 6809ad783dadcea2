/** `npm run simulator` as a newcomer runs it: banner with URL and tokens, answers curl-style calls, stops on SIGTERM. */
import axios from 'axios';
import { spawn } from 'child_process';
import { join } from 'path';

const root = join(__dirname, '..', '..');
const tsx = join(root, 'node_modules', '.bin', 'tsx');

function run(
	args: string[],
	until: RegExp,
): Promise<{ output: string; child: ReturnType<typeof spawn> }> {
	return new Promise((resolve, reject) => {
		const child = spawn(tsx, ['simulator/cli.ts', ...args], {
			cwd: root,
			stdio: ['ignore', 'pipe', 'pipe'],
		});
		let output = '';
		const timer = setTimeout(
			() => reject(new Error(`CLI did not print ${until}: ${output}`)),
			20000,
		);
		child.stdout?.on('data', (chunk) => {
			output += chunk;
			if (until.test(output)) {
				clearTimeout(timer);
				resolve({ output, child });
			}
		});
		child.stderr?.on('data', (chunk) => (output += chunk));
		child.on('exit', () => reject(new Error(`CLI exited early: ${output}`)));
	});
}

function exited(child: ReturnType<typeof spawn>): Promise<number | null> {
	return new Promise((resolve) => child.once('exit', (code) => resolve(code)));
}

describe('simulator CLI', () => {
	it('prints the base URL, fixtures URL, tokens and a curl example, serves them, and stops on SIGTERM', async () => {
		const { output, child } = await run(['--scenario', 'demo'], /Ctrl-C to stop/);
		try {
			const baseUrl = /Graph API base URL : (http:\/\/127\.0\.0\.1:\d+)/.exec(
				output,
			)?.[1] as string;
			expect(baseUrl).toBeTruthy();
			expect(output).toMatch(/Media fixtures +: https:\/\/127\.0\.0\.1:\d+\/fixtures\/image\.jpg/);
			expect(output).toContain('EAADemoUserLongLived');
			expect(output).toContain('EAADemoSystemUser');
			expect(output).toContain(`curl -sg '${baseUrl}/v26.0/me?fields=id,name'`);
			const me = await axios.get(`${baseUrl}/v26.0/me?fields=id,name`, {
				headers: { Authorization: 'Bearer EAADemoUserLongLived' },
			});
			expect(me.data).toEqual({ id: '10150000000000001', name: 'Dana Demo' });
		} finally {
			const done = exited(child);
			child.kill('SIGTERM');
			expect(await done).toBe(0);
		}
	});

	it('--json prints one machine-readable line; --port and --settings apply', async () => {
		const { output, child } = await run(
			['--scenario', 'demo', '--json', '--port', '0', '--settings', '{"throughputPerSecond":3}'],
			/\}\n/,
		);
		try {
			const info = JSON.parse(output.trim().split('\n').pop() as string);
			expect(info).toMatchObject({ scenario: 'demo', port: expect.any(Number) });
			const settings = await axios.get(`${info.baseUrl}/__admin/settings`);
			expect(settings.data.throughputPerSecond).toBe(3);
		} finally {
			const done = exited(child);
			child.kill('SIGTERM');
			await done;
		}
	});
});
