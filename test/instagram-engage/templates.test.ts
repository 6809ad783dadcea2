/**
 * The Instagram Engage nodes of the templates, run with their own parameters against the simulator
 * (the demo System User credential of the templates, the instagram-engage scenario). The whole
 * workflows run in real n8n in test/e2e.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';

import type { IDataObject, INodeParameters } from 'n8n-workflow';

import { InstagramEngage } from '../../nodes/Meta/InstagramEngage/InstagramEngage.node';
import type { RunningSimulator } from '../../simulator';
import { engageState } from '../../simulator/domains/instagramEngage';
import { executeNode } from '../helpers/harness';
import { COMMENT_MENU, COMMENT_SPAM, POST_MENU, json, sent, startEngage } from './helpers';

const SYSTEM_USER_TOKEN = 'EAADemoSystemUser';
const TEMPLATES = path.join(__dirname, '..', '..', 'templates');

interface TemplateNode {
	name: string;
	type: string;
	parameters: INodeParameters;
}

function engageNode(file: string, name: string): TemplateNode {
	const workflow = JSON.parse(fs.readFileSync(path.join(TEMPLATES, file), 'utf8')) as {
		nodes: TemplateNode[];
	};
	const node = workflow.nodes.find((entry) => entry.name === name);
	if (!node || node.type !== 'n8n-nodes-meta-business.instagramEngage')
		throw new Error(`${file}: no Instagram Engage node "${name}"`);
	return node;
}

let sim: RunningSimulator;
beforeEach(async () => {
	sim = await startEngage();
});
afterEach(async () => {
	await sim.stop();
});

async function runTemplateNode(node: TemplateNode, items: IDataObject[]) {
	return await executeNode({
		node: InstagramEngage,
		parameters: node.parameters,
		items: items.map((item) => ({ json: item })),
		credentials: {
			metaBusinessAccessTokenApi: {
				accessToken: SYSTEM_USER_TOKEN,
				baseUrl: sim.baseUrl,
				graphApiVersion: 'v26.0',
			},
		},
	});
}

describe('templates', () => {
	it('comment keyword -> DM: a comment event delivered twice gets one private reply with the link', async () => {
		const node = engageNode('instagram-comment-keyword-dm.json', 'Send the Link by DM');
		const event = {
			event: 'instagram.comment',
			commentId: COMMENT_MENU,
			text: 'MENU please!',
			fromId: '6310000000000001',
			fromUsername: 'anna.b',
			mediaId: POST_MENU,
			time: new Date().toISOString(),
		};
		const { outputs, error } = await runTemplateNode(node, [event, event]);
		expect(error).toBeUndefined();
		expect(json(outputs)).toEqual([
			expect.objectContaining({ sent: true, commentId: COMMENT_MENU }),
			expect.objectContaining({ sent: false, skipped: true, detectedBy: 'workflow' }),
		]);
		expect(sent(sim, 'privateReply')).toEqual([
			expect.objectContaining({
				body: {
					text: 'Hi anna.b! Here is our autumn menu, as promised:\nhttps://example.com/menu',
				},
			}),
		]);
		// A later execution (static data not saved, e.g. a manual run): Meta's refusal is recognised.
		const again = await runTemplateNode(node, [event]);
		expect(json(again.outputs)).toEqual([
			expect.objectContaining({ skipped: true, detectedBy: 'meta' }),
		]);
		expect(sent(sim, 'privateReply')).toHaveLength(1);
	});

	it('hide comments: the matching comment is hidden', async () => {
		const node = engageNode('instagram-hide-comments-word-list.json', 'Hide the Comment');
		const { error } = await runTemplateNode(node, [
			{ commentId: COMMENT_SPAM, text: 'Buy cheap followers at spam.example' },
		]);
		expect(error).toBeUndefined();
		expect(engageState(sim.control.world()).comments.get(COMMENT_SPAM)?.hidden).toBe(true);
	});

	it('weekly insights: the last posts, their metrics and the account totals', async () => {
		const posts = await runTemplateNode(
			engageNode('instagram-weekly-insights.json', 'Last 5 Posts'),
			[{}],
		);
		expect(posts.error).toBeUndefined();
		expect(json(posts.outputs).length).toBe(3);
		const metrics = await runTemplateNode(
			engageNode('instagram-weekly-insights.json', 'Post Metrics'),
			json(posts.outputs),
		);
		expect(metrics.error).toBeUndefined();
		expect(json(metrics.outputs)).toHaveLength(3 * 7);
		expect(json(metrics.outputs)[0]).toMatchObject({
			postId: POST_MENU,
			metric: 'views',
			value: 1520,
		});
		const totals = await runTemplateNode(
			engageNode('instagram-weekly-insights.json', 'Account Totals'),
			[{}],
		);
		expect(totals.error).toBeUndefined();
		expect(json(totals.outputs).map((entry) => entry.metric)).toEqual([
			'views',
			'reach',
			'accounts_engaged',
			'total_interactions',
			'follows_and_unfollows',
		]);
	});
});
