/**
 * templates/whatsapp-embedded-signup.json end to end in a real n8n (the pinned runtime, this
 * package installed the Community Nodes way) against the simulator's onboarding scenario. The
 * workflow is activated; the simulator's stand-in for the Embedded Signup popup
 * (`POST /dialog/embedded_signup`) gives the code and the session ids, which are POSTed to the
 * workflow's production webhook as the signup page does. Then: the customer's account is
 * subscribed, the number registered, the customer stored in the n8n Data Table and a welcome
 * template sent from the customer's number. A second signup of the same customer changes nothing:
 * no second subscription, registration or message, still one row.
 *
 * The Data Table `whatsapp_customers` is created first through n8n's REST API
 * (`POST /rest/projects/{projectId}/data-tables`), as the template's set-up step 2 asks the user.
 * Meta creates the `hello_world` template in every new WhatsApp Business Account; the test adds it
 * to the customer's account in the scenario.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';

import { DEMO_OWNER, loadScenario, loadTemplates } from '../../scripts/lib/demo';
import { N8nRestClient, runN8nCliOrThrow, type N8nProcess } from '../../scripts/lib/n8n';
import { startSimulator } from '../../simulator';
import type { RunningSimulator, Scenario } from '../../simulator/types';
import { whatsappSentMessages } from '../../simulator/domains/whatsapp';
import { importWorkflows, loginWhenReady, prepareN8n, type TestN8n } from './harness';

const PARTNER_TOKEN = 'EAAonboardingPartnerSystemUser';
const APP_SECRET = 'onb-app-secret-5d1c9a7e3b';
const CAFE = { waba: '980000000000021', phone: '970000000000021', business: '930000000000021' };
const CONTACT = '+49 170 5550 1234';
const CONTACT_DIGITS = '4917055501234';
const TABLE = 'whatsapp_customers';

const template = loadTemplates().find((entry) => entry.slug === 'whatsapp-embedded-signup');
if (!template) throw new Error('templates/whatsapp-embedded-signup.json is missing');
const WEBHOOK_PATH = template.workflow.nodes.find(
	(node: any) => node.type === 'n8n-nodes-base.webhook',
).parameters.path;
const CREDENTIAL = template.workflow.nodes.find((node: any) => node.name === 'Complete Signup')
	.credentials.metaBusinessAccessTokenApi as { id: string; name: string };

let simulator: RunningSimulator;
let n8n: TestN8n;
let main: N8nProcess | undefined;
let rest: N8nRestClient;
let projectId: string;
let tableId: string;

function scenario(): Scenario {
	const base = structuredClone(loadScenario('onboarding'));
	base.templates = [
		...(base.templates ?? []),
		{
			id: '990000000000021',
			wabaId: CAFE.waba,
			name: 'hello_world',
			language: 'en_US',
			status: 'APPROVED',
			category: 'UTILITY',
			components: [
				{ type: 'HEADER', format: 'TEXT', text: 'Hello World' },
				{ type: 'BODY', text: 'Welcome and congratulations!!' },
			],
		},
	];
	return base;
}

async function importPartnerCredential(): Promise<void> {
	const file = path.join(n8n.userFolder, 'partner-credential.json');
	fs.writeFileSync(
		file,
		JSON.stringify([
			{
				...CREDENTIAL,
				type: 'metaBusinessAccessTokenApi',
				data: {
					accessToken: PARTNER_TOKEN,
					appSecret: APP_SECRET,
					useLongLivedExchange: false,
					graphApiVersion: 'v26.0',
					baseUrl: simulator.baseUrl,
				},
			},
		]),
	);
	await runN8nCliOrThrow(n8n.runtime, n8n.env, ['import:credentials', `--input=${file}`]);
}

beforeAll(async () => {
	simulator = await startSimulator(scenario());
	n8n = await prepareN8n('onboarding');
	await importPartnerCredential();
	const workflow = structuredClone(template.workflow);
	await importWorkflows(n8n, [workflow]);
	await runN8nCliOrThrow(n8n.runtime, n8n.env, ['publish:workflow', `--id=${workflow.id}`]);
	main = await n8n.start('start');
	await main.waitReady();
	rest = new N8nRestClient(main.baseUrl);
	await loginWhenReady(rest, DEMO_OWNER);
	projectId = (await rest.ok('GET', '/rest/projects/personal')).id;
	const table = await rest.ok('POST', `/rest/projects/${projectId}/data-tables`, {
		name: TABLE,
		columns: ['waba_id', 'phone_number_id', 'business_id', 'onboarded_at'].map((name) => ({
			name,
			type: 'string',
		})),
	});
	tableId = table.id;
}, 170000);

afterAll(async () => {
	await main?.stop();
	await simulator?.stop();
});

/** The popup finishes (simulator), then the page posts its result to the production webhook. */
async function signUp(): Promise<{ status: number; body: any }> {
	const popup = await fetch(`${simulator.baseUrl}/v26.0/dialog/embedded_signup?signup=cafe`, {
		method: 'POST',
	});
	expect(popup.status).toBe(200);
	const signup = (await popup.json()) as {
		code: string;
		session: { event: string; data: Record<string, string> };
	};
	const response = await fetch(`${main!.baseUrl}/webhook/${WEBHOOK_PATH}`, {
		method: 'POST',
		headers: { 'Content-Type': 'application/json', Origin: 'https://signup.example.com' },
		body: JSON.stringify({
			code: signup.code,
			event: signup.session.event,
			...signup.session.data,
			contact_phone: CONTACT,
		}),
	});
	const text = await response.text();
	let body: any = text;
	try {
		body = JSON.parse(text);
	} catch {
		// kept as text for the failure message
	}
	return { status: response.status, body };
}

const requestsTo = (suffix: string, method = 'POST') =>
	simulator.control
		.requests()
		.filter((request) => request.method === method && request.path.endsWith(suffix));

async function customerRows(): Promise<any[]> {
	const answer = await rest.ok(
		'GET',
		`/rest/projects/${projectId}/data-tables/${tableId}/rows?take=100`,
	);
	return (answer?.data ?? answer ?? []) as any[];
}

describe('WhatsApp onboarding template in real n8n', () => {
	it('a signup posted to the production webhook subscribes, registers, stores the customer and sends from their number', async () => {
		const first = await signUp();
		expect({ status: first.status, body: first.body }).toEqual({
			status: 200,
			body: { ok: true, wabaId: CAFE.waba, registered: true },
		});
		expect(requestsTo(`/${CAFE.waba}/subscribed_apps`)).toHaveLength(1);
		expect(requestsTo(`/${CAFE.phone}/register`)).toHaveLength(1);
		expect(simulator.control.world().wabas.get(CAFE.waba)?.subscribedAppIds?.length).toBe(1);

		const rows = await customerRows();
		expect(rows).toHaveLength(1);
		expect(rows[0]).toMatchObject({
			waba_id: CAFE.waba,
			phone_number_id: CAFE.phone,
			business_id: CAFE.business,
		});

		const sent = whatsappSentMessages(simulator.control.world());
		expect(sent).toHaveLength(1);
		expect(sent[0]).toMatchObject({
			phoneNumberId: CAFE.phone,
			to: CONTACT_DIGITS,
			type: 'template',
		});
		expect((sent[0].payload.template as { name: string }).name).toBe('hello_world');
		// The partner's token and app secret appear in no log line of n8n.
		for (const secret of [PARTNER_TOKEN, APP_SECRET]) expect(main!.logs).not.toContain(secret);
	});

	it('the same customer signing up again changes nothing and sends no second registration', async () => {
		const second = await signUp();
		expect({ status: second.status, body: second.body }).toEqual({
			status: 200,
			body: { ok: true, wabaId: CAFE.waba, registered: true },
		});
		expect(requestsTo(`/${CAFE.phone}/register`)).toHaveLength(1);
		expect(requestsTo(`/${CAFE.waba}/subscribed_apps`)).toHaveLength(1);
		expect(requestsTo(`/${CAFE.phone}/messages`)).toHaveLength(1);
		expect(whatsappSentMessages(simulator.control.world())).toHaveLength(1);
		expect(await customerRows()).toHaveLength(1);
	});
});
