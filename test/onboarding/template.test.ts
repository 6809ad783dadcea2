/**
 * templates/whatsapp-embedded-signup.json in process: the Webhook becomes the harness trigger fed
 * with what the signup page posts, and the n8n-nodes-base nodes this harness cannot run (IF, Data
 * Table, Respond to Webhook: they need a running n8n) pass items through. The onboarding nodes run
 * with the template's own parameters and expressions against the simulator. A second signup of the
 * same customer changes nothing and sends no second registration. The whole workflow in real n8n
 * (Data Table included) belongs in test/e2e.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';

import type { IConnections, INode } from 'n8n-workflow';

import { WhatsAppOnboarding } from '../../nodes/Meta/WhatsAppOnboarding/WhatsAppOnboarding.node';
import { startSimulator } from '../../simulator';
import type { RunningSimulator } from '../../simulator/types';
import { runWorkflow } from '../helpers/harness';
import { expectNoSecrets } from '../helpers/secrets';
import { APP_SECRET, CAFE, PARTNER_TOKEN, allSecrets, finishPopup, requestsTo } from './fixtures';

const FILE = path.join(__dirname, '..', '..', 'templates', 'whatsapp-embedded-signup.json');
const PASS_THROUGH = [
	'n8n-nodes-base.if',
	'n8n-nodes-base.dataTable',
	'n8n-nodes-base.respondToWebhook',
];

function testCopy(): { nodes: INode[]; connections: IConnections } {
	const workflow = JSON.parse(fs.readFileSync(FILE, 'utf8')) as {
		nodes: INode[];
		connections: IConnections;
	};
	const nodes = workflow.nodes
		.filter((node) => node.type !== 'n8n-nodes-base.stickyNote')
		.map((node) => {
			if (node.type === 'n8n-nodes-base.webhook')
				return { ...node, type: 'n8n-nodes-base.manualTrigger', parameters: {} };
			if (PASS_THROUGH.includes(node.type))
				return { ...node, type: 'n8n-nodes-base.noOp', parameters: {} };
			return node;
		});
	// The IF's false branch (and its Respond node) is not part of the signup path.
	const connections = { ...workflow.connections };
	connections['Signup Finished?'] = { main: [connections['Signup Finished?'].main[0]] };
	return {
		nodes: nodes.filter((node) => node.name !== 'Tell the Page: Not Finished'),
		connections,
	};
}

let sim: RunningSimulator;
beforeAll(async () => {
	sim = await startSimulator('onboarding');
});
afterAll(async () => {
	await sim.stop();
});

async function signupRun() {
	const signup = await finishPopup(sim, 'cafe');
	// What the page posts: the code from FB.login and the ids from the session event.
	const body = { code: signup.code, event: signup.session.event, ...signup.session.data };
	return await runWorkflow(testCopy(), {
		// Until package.json lists the node, the harness learns it here.
		nodeTypes: { 'n8n-nodes-meta-business.whatsAppOnboarding': WhatsAppOnboarding },
		triggerItems: { 'Signup Result': [{ json: { body } }] },
		credentials: {
			metaBusinessAccessTokenApi: {
				accessToken: PARTNER_TOKEN,
				appSecret: APP_SECRET,
				baseUrl: sim.baseUrl,
			},
		},
	});
}

describe('template: WhatsApp onboarding with Embedded Signup', () => {
	it('onboards the customer, and a second signup of the same customer changes nothing', async () => {
		const first = await signupRun();
		expect(first.error).toBeUndefined();
		expect(first.outputs['Complete Signup'][0][0].json).toMatchObject({
			wabaId: CAFE.waba,
			phoneNumberId: CAFE.phone,
			systemUserAssigned: true,
		});
		expect(first.outputs['Subscribe App'][0][0].json).toMatchObject({
			subscribed: true,
			changed: true,
		});
		expect(first.outputs['Register Phone Number'][0][0].json).toMatchObject({
			registered: true,
			changed: true,
		});

		const second = await signupRun();
		expect(second.error).toBeUndefined();
		expect(second.outputs['Subscribe App'][0][0].json).toMatchObject({ changed: false });
		expect(second.outputs['Register Phone Number'][0][0].json).toMatchObject({ changed: false });
		expect(requestsTo(sim, `/${CAFE.phone}/register`)).toHaveLength(1);
		expect(requestsTo(sim, `/${CAFE.waba}/subscribed_apps`)).toHaveLength(1);
		expectNoSecrets([first.outputs, second.outputs], allSecrets(sim));
	});
});
