/**
 * Under `n8n start`: n8n lists our nodes and credential types, the imported demo credentials work
 * (n8n's own credential test, against the simulator), and the editor in headless Chromium shows
 * every template with our icons and every one of our nodes' parameter panels without errors.
 * Screenshots go to test/e2e/screenshots/ (git-ignored) for review.
 */
import type { Browser, Page } from 'playwright-core';

import {
	DEMO_CREDENTIALS,
	DEMO_OWNER,
	loadScenario,
	loadTemplates,
	templatesForSimulator,
} from '../../scripts/lib/demo';
import { N8nRestClient, PACKAGE_NAME, type N8nProcess } from '../../scripts/lib/n8n';
import { startSimulator } from '../../simulator';
import type { RunningSimulator } from '../../simulator/types';
import {
	addFreshNode,
	canvasNodes,
	launchBrowser,
	openParameterPanel,
	openWorkflow,
	screenshotPath,
	signIn,
} from './editor';
import {
	graphOperations,
	importCredentials,
	importWorkflows,
	prepareN8n,
	type TestN8n,
} from './harness';

const OUR_NODES = ['instagramPublish', 'whatsAppSend', 'metaAssetCheck'].map(
	(name) => `${PACKAGE_NAME}.${name}`,
);
const OUR_CREDENTIALS = [
	'metaBusinessAccessTokenApi',
	'metaBusinessOAuth2Api',
	'metaBusinessInstagramLoginApi',
];
const templates = loadTemplates();
const demo = loadScenario('demo');

/** Control case: proves the checks below see what a user sees when a node is broken. */
const BROKEN_WORKFLOW = {
	id: 'e2eBrokenNodes',
	name: 'Broken nodes (control case)',
	nodes: [
		{
			id: 'e2e-broken-1',
			name: 'Start',
			type: 'n8n-nodes-base.manualTrigger',
			typeVersion: 1,
			position: [0, 0],
			parameters: {},
		},
		{
			id: 'e2e-broken-2',
			name: 'Missing Image URL',
			type: `${PACKAGE_NAME}.instagramPublish`,
			typeVersion: 1,
			position: [220, 0],
			parameters: { resource: 'post', operation: 'publishImage' },
		},
		{
			id: 'e2e-broken-3',
			name: 'Not Installed',
			type: `${PACKAGE_NAME}.noSuchNode`,
			typeVersion: 1,
			position: [440, 0],
			parameters: {},
		},
	],
	connections: { Start: { main: [[{ node: 'Missing Image URL', type: 'main', index: 0 }]] } },
	settings: {},
};

/** Only a trigger: the fresh-node tests add our nodes to it from the node creator, as a user does. */
const FRESH_WORKFLOW = {
	id: 'e2eFreshNodes',
	name: 'Fresh nodes',
	nodes: [
		{
			id: 'e2e-fresh-1',
			name: 'Start',
			type: 'n8n-nodes-base.manualTrigger',
			typeVersion: 1,
			position: [0, 0],
			parameters: {},
		},
	],
	connections: {},
	settings: {},
};

let simulator: RunningSimulator;
let n8n: TestN8n;
let server: N8nProcess;
let rest: N8nRestClient;
let browser: Browser | undefined;
let page: Page;

beforeAll(async () => {
	simulator = await startSimulator('demo');
	n8n = await prepareN8n('editor');
	await importCredentials(n8n, simulator);
	// The templates as users get them (Schedule Triggers included), media URLs on the simulator.
	await importWorkflows(n8n, [
		...templatesForSimulator(templates, simulator).map((t) => t.workflow),
		BROKEN_WORKFLOW,
		FRESH_WORKFLOW,
	]);
	server = await n8n.start('start');
	await server.waitReady();
	rest = new N8nRestClient(server.baseUrl);
	await rest.setupOwnerAndLogin(DEMO_OWNER);
	browser = await launchBrowser();
	page = await browser.newPage({ viewport: { width: 1440, height: 900 } });
	await signIn(page, server.baseUrl, DEMO_OWNER.email, DEMO_OWNER.password);
});

afterAll(async () => {
	await browser?.close();
	await server?.stop();
	await simulator?.stop();
});

describe('n8n lists the package', () => {
	it('loads our three nodes under the Community Nodes type names, with icons', async () => {
		const response = await rest.request('GET', '/types/nodes.json');
		expect(response.status).toBe(200);
		const types = response.json as Array<{
			name: string;
			icon?: unknown;
			iconUrl?: unknown;
			credentials?: Array<{ name: string }>;
		}>;
		for (const name of OUR_NODES) {
			const node = types.find((type) => type.name === name);
			expect(node).toBeDefined();
			expect(node!.iconUrl ?? node!.icon).toBeTruthy();
			expect(node!.credentials?.map((c) => c.name)).toEqual(
				expect.arrayContaining(['metaBusinessAccessTokenApi']),
			);
		}
	});

	it('loads our three credential types', async () => {
		const response = await rest.request('GET', '/types/credentials.json');
		expect(response.status).toBe(200);
		const names = (response.json as Array<{ name: string }>).map((c) => c.name);
		expect(names).toEqual(expect.arrayContaining(OUR_CREDENTIALS));
	});

	it('serves the node icons', async () => {
		const types = (await rest.request('GET', '/types/nodes.json')).json as Array<{
			name: string;
			iconUrl?: string | { light: string; dark: string };
		}>;
		for (const name of OUR_NODES) {
			const iconUrl = types.find((type) => type.name === name)!.iconUrl!;
			const urls = typeof iconUrl === 'string' ? [iconUrl] : [iconUrl.light, iconUrl.dark];
			expect(new Set(urls).size).toBe(urls.length);
			for (const url of urls) {
				const icon = await rest.request('GET', `/${url.replace(/^\//, '')}`);
				expect({ url, status: icon.status }).toEqual({ url, status: 200 });
				expect(icon.text).toMatch(/<svg/);
			}
		}
	});

	it('holds the imported demo credentials, and n8n’s credential test passes against the simulator', async () => {
		const credentials = (await rest.ok('GET', '/rest/credentials')) as Array<{
			id: string;
			name: string;
			type: string;
		}>;
		const token = credentials.find((c) => c.id === DEMO_CREDENTIALS.accessToken.id);
		expect(token).toMatchObject({
			type: 'metaBusinessAccessTokenApi',
			name: DEMO_CREDENTIALS.accessToken.name,
		});
		expect(credentials.map((c) => c.id)).toEqual(
			expect.arrayContaining([DEMO_CREDENTIALS.oAuth2.id]),
		);

		// What the editor's "Test" button sends: the stored credential, decrypted server-side.
		const stored = await rest.ok('GET', `/rest/credentials/${token!.id}?includeData=true`);
		simulator.control.clearRequests();
		const result = await rest.ok('POST', '/rest/credentials/test', {
			credentials: { ...stored, data: stored.data },
		});
		expect(result).toMatchObject({ status: 'OK' });
		expect(graphOperations(simulator.control.requests()).length).toBeGreaterThan(0);
	});
});

describe('pickers the editor fills from Meta (through n8n’s REST API, against the simulator)', () => {
	const credentials = {
		metaBusinessAccessTokenApi: {
			id: DEMO_CREDENTIALS.accessToken.id,
			name: DEMO_CREDENTIALS.accessToken.name,
		},
	};
	const whatsApp = { name: `${PACKAGE_NAME}.whatsAppSend`, version: 1 };
	const sendTemplate = (template = '') => ({
		authentication: 'accessToken',
		resource: 'message',
		operation: 'sendTemplate',
		wabaId: { __rl: true, mode: 'list', value: '102000000000001' },
		phoneNumberId: { __rl: true, mode: 'list', value: '106000000000001' },
		to: '',
		template: { __rl: true, mode: 'list', value: template },
		templateParameters: { mappingMode: 'defineBelow', value: null },
		options: {},
	});
	let projectId: string;

	beforeAll(async () => {
		projectId = (await rest.ok('GET', '/rest/projects/personal')).id;
	});

	it('lists the Instagram accounts reachable through the Pages the System User has a role on', async () => {
		const result = await rest.ok('POST', '/rest/dynamic-node-parameters/resource-locator-results', {
			path: 'parameters.instagramAccountId',
			methodName: 'searchInstagramAccounts',
			filter: '',
			credentials,
			currentNodeParameters: {
				authentication: 'accessToken',
				resource: 'post',
				operation: 'publishImage',
			},
			nodeTypeAndVersion: { name: `${PACKAGE_NAME}.instagramPublish`, version: 1 },
			projectId,
		});
		// Only Cafe Aurora's Page gives the System User a role; Aurora Studio's account is not offered.
		expect(result.results.map((r: any) => r.value)).toEqual(['17841400000000001']);
		expect(JSON.stringify(result)).toContain('cafe.aurora');
	});

	it('lists only approved WhatsApp templates, and builds the fields of the one picked', async () => {
		const list = await rest.ok('POST', '/rest/dynamic-node-parameters/resource-locator-results', {
			path: 'parameters.template',
			methodName: 'searchTemplates',
			filter: '',
			credentials,
			currentNodeParameters: sendTemplate(),
			nodeTypeAndVersion: whatsApp,
			projectId,
		});
		const values = list.results.map((r: any) => r.value);
		expect(values).toEqual(
			expect.arrayContaining(['appointment_reminder|en_US', 'order_update|en_US']),
		);
		const approved = demo.templates!.filter(
			(t) => t.wabaId === '102000000000001' && t.status === 'APPROVED',
		);
		expect(values).toHaveLength(approved.length);

		const fields = await rest.ok('POST', '/rest/dynamic-node-parameters/resource-mapper-fields', {
			path: 'parameters.templateParameters',
			methodName: 'getTemplateFields',
			credentials,
			currentNodeParameters: sendTemplate('appointment_reminder|en_US'),
			nodeTypeAndVersion: whatsApp,
			projectId,
		});
		expect(fields.fields.map((f: any) => f.id)).toEqual([
			'body_customer_name',
			'body_date',
			'body_time',
		]);
	});
});

describe('the editor (headless Chromium)', () => {
	it.each(templates.map((template) => [template.slug, template] as const))(
		'shows template %s with our icons, and each of our nodes opens its parameter panel without errors',
		async (slug, template) => {
			await openWorkflow(page, server.baseUrl, template.workflow.id);
			await page.screenshot({ path: screenshotPath(`${slug}`) });
			const nodes = await canvasNodes(page);
			const expected = template.workflow.nodes.filter(
				(node: any) => node.type !== 'n8n-nodes-base.stickyNote',
			);
			expect(nodes.map((node) => node.name).sort()).toEqual(
				expected.map((node: any) => node.name).sort(),
			);

			const ours = nodes.filter((node) => node.type.startsWith(`${PACKAGE_NAME}.`));
			expect(ours.length).toBeGreaterThan(0);
			for (const node of ours) {
				expect({
					node: node.name,
					icon: node.iconSrc,
					loaded: node.iconLoaded,
					issues: node.hasIssues,
				}).toEqual({
					node: node.name,
					icon: expect.stringContaining(PACKAGE_NAME),
					loaded: true,
					issues: false,
				});
				const panel = await openParameterPanel(
					page,
					node.name,
					screenshotPath(`${slug}--${node.name}`),
				);
				expect({ node: node.name, problems: panel.problems, issues: panel.hasIssues }).toEqual({
					node: node.name,
					problems: [],
					issues: false,
				});
				expect(panel.parameterLabels.length).toBeGreaterThan(1);
				// The Meta Trigger has events, not operations.
				if (!node.type.endsWith('.metaTrigger'))
					expect(panel.parameterLabels).toEqual(expect.arrayContaining(['Operation']));
				else expect(panel.parameterLabels).toEqual(expect.arrayContaining(['Events']));
				expect(panel.inputValues).toEqual(
					expect.arrayContaining([DEMO_CREDENTIALS.accessToken.name]),
				);
				expect(panel.text).not.toMatch(/Issues:|Parameter ".*" is required/);
			}
		},
	);

	it('flags a node with a missing required value, and a node type that is not installed (control case)', async () => {
		await openWorkflow(page, server.baseUrl, BROKEN_WORKFLOW.id);
		await page.screenshot({ path: screenshotPath('control-case-broken-nodes') });
		const nodes = await canvasNodes(page);
		const missing = nodes.find((node) => node.name === 'Missing Image URL')!;
		expect(missing).toMatchObject({ iconLoaded: true, hasIssues: true });
		expect(missing.iconSrc).toContain(PACKAGE_NAME);
		const unknown = nodes.find((node) => node.name === 'Not Installed')!;
		expect(unknown.iconSrc ?? '').not.toContain(PACKAGE_NAME);
		expect(unknown.iconLoaded).toBe(false);
		const panel = await openParameterPanel(
			page,
			'Missing Image URL',
			screenshotPath('control-case-broken-nodes--missing-image-url'),
		);
		expect(panel.hasIssues).toBe(true);
	});

	it('runs a template from the editor: Execute Workflow publishes through the simulator', async () => {
		const template = templates.find((t) => t.slug === 'instagram-carousel')!;
		await openWorkflow(page, server.baseUrl, template.workflow.id);
		simulator.control.clearRequests();
		await page.locator('[data-test-id=execute-workflow-button]').click();
		const execution = await waitForExecution(template.workflow.id);
		await page.waitForTimeout(1000);
		await page.screenshot({ path: screenshotPath('instagram-carousel--executed-in-editor') });
		expect(execution.status).toBe('success');
		expect(execution.mode).toBe('manual');
		const publishes = graphOperations(simulator.control.requests()).filter(
			(r) => r.method === 'POST' && r.path.endsWith('/media_publish'),
		);
		expect(publishes).toHaveLength(1);
		const nodes = await canvasNodes(page);
		expect(nodes.filter((n) => n.hasIssues)).toEqual([]);
		// What the editor received for the run, and n8n's log, hold no token or app secret.
		const stored = await rest.ok('GET', `/rest/executions/${execution.id}`);
		for (const secret of [...demo.tokens.map((t) => t.token), ...demo.apps.map((a) => a.secret)]) {
			expect(JSON.stringify(stored)).not.toContain(secret);
			expect(server.logs).not.toContain(secret);
		}
		expect(JSON.stringify(stored)).toContain('Publish Carousel');
	});
});

describe('a fresh node in the editor gets the System User credential (headless Chromium)', () => {
	// n8n 2.40 gives a new node the most recently updated credential of any of its authentication
	// types; the demo makes the System User credential that one.
	const cases = [
		{
			search: 'WhatsApp Send',
			action: /Send a text message/,
			slug: 'whatsapp-send',
			subtitle: 'Send Text',
		},
		{
			search: 'Instagram Publish',
			action: /Publish an image/,
			slug: 'instagram-publish',
			subtitle: 'Publish Image',
		},
	];

	beforeAll(() => {
		// Leaving the unsaved workflow asks "leave the page?": yes.
		page.on('dialog', (dialog) => void dialog.accept().catch(() => undefined));
	});

	it.each(cases)(
		'$search: the System User demo credential is selected and lists the demo accounts',
		async ({ search, action, slug, subtitle }) => {
			await openWorkflow(page, server.baseUrl, FRESH_WORKFLOW.id);
			const fresh = await addFreshNode(page, search, action, screenshotPath(`fresh-${slug}`));
			expect({ search, credential: fresh.credential }).toEqual({
				search,
				credential: DEMO_CREDENTIALS.accessToken.name,
			});
			expect(fresh.lists.length).toBeGreaterThan(0);
			const [first] = fresh.lists;
			// The list the editor asked for went out with the System User credential...
			expect(first.request.credentials).toEqual({
				metaBusinessAccessTokenApi: expect.objectContaining({
					id: DEMO_CREDENTIALS.accessToken.id,
				}),
			});
			expect(first.request.currentNodeParameters?.authentication).toBe('accessToken');
			// ...and holds what the System User reaches in the demo.
			const projectId = (await rest.ok('GET', '/rest/projects/personal')).id;
			const expected = await rest.ok(
				'POST',
				'/rest/dynamic-node-parameters/resource-locator-results',
				{
					...first.request,
					credentials: {
						metaBusinessAccessTokenApi: {
							id: DEMO_CREDENTIALS.accessToken.id,
							name: DEMO_CREDENTIALS.accessToken.name,
						},
					},
					projectId,
				},
			);
			expect(first.values.length).toBeGreaterThan(0);
			expect(first.values).toEqual(expected.results.map((r: any) => r.value));
			if (first.request.methodName === 'searchInstagramAccounts')
				expect(first.values).toEqual(['17841400000000001']);
			const nodes = await canvasNodes(page);
			const added = nodes.find((node) => node.name === fresh.nodeName);
			expect(added?.text).toContain(subtitle);
		},
	);
});

/** The newest finished execution of a workflow, polled through the REST API. */
async function waitForExecution(
	workflowId: string,
	timeoutMs = 90000,
): Promise<{ id: string; status: string; mode: string }> {
	const deadline = Date.now() + timeoutMs;
	while (Date.now() < deadline) {
		const filter = encodeURIComponent(JSON.stringify({ workflowId }));
		const list = await rest.ok('GET', `/rest/executions?filter=${filter}&limit=1`);
		const latest = (list?.results ?? list ?? [])[0];
		if (latest && !['new', 'running', 'waiting'].includes(latest.status)) return latest;
		await new Promise((resolve) => setTimeout(resolve, 500));
	}
	throw new Error(`no finished execution of ${workflowId} within ${timeoutMs} ms`);
}
