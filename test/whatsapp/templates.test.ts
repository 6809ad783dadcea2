/**
 * Templates filled from their definition: the picker, the resource mapper's fields, the components
 * built from mapped values, the parameter-count check before sending, Template > Get Many, and
 * Meta's template errors.
 */
import type { INodeListSearchResult, ResourceMapperFields } from 'n8n-workflow';

import { WhatsAppSend } from '../../nodes/Meta/WhatsApp/WhatsAppSend.node';
import { callListSearch } from '../helpers/harness';
import type { RunningSimulator } from '../../simulator';
import {
	NEVER,
	WABA_ID,
	credentialsFor,
	jsonOf,
	locator,
	messageParameters,
	messageRequests,
	runWhatsApp,
	sentLog,
	useWhatsAppSimulator,
} from './fixtures';

let sim: RunningSimulator;
useWhatsAppSimulator((started) => (sim = started));

/** The harness calls list searches; the resource mapper method runs through the same context. */
async function templateFields(template: string): Promise<ResourceMapperFields> {
	const node = new WhatsAppSend();
	const listSearch = {
		...node.methods.listSearch,
		getTemplateFields: node.methods.resourceMapping.getTemplateFields,
	};
	node.methods = { ...node.methods, listSearch: listSearch as never };
	return (await callListSearch(node, 'getTemplateFields', {
		parameters: {
			authentication: 'accessToken',
			resource: 'message',
			operation: 'sendTemplate',
			wabaId: locator(WABA_ID),
			template: locator(template, 'list'),
		},
		credentials: credentialsFor(sim),
	})) as unknown as ResourceMapperFields;
}

function templateParameters(template: string, value: Record<string, string>, extra = {}) {
	return messageParameters('sendTemplate', {
		wabaId: locator(WABA_ID),
		to: `+${NEVER}`,
		template: locator(template, 'list'),
		templateParameters: { mappingMode: 'defineBelow', value, schema: [] },
		...extra,
	});
}

describe('template picker', () => {
	it('lists only APPROVED templates, value encoding name and language', async () => {
		const result: INodeListSearchResult = await callListSearch(WhatsAppSend, 'searchTemplates', {
			parameters: {
				authentication: 'accessToken',
				resource: 'message',
				operation: 'sendTemplate',
				wabaId: locator(WABA_ID),
			},
			credentials: credentialsFor(sim),
		});
		const values = result.results.map((entry) => entry.value);
		expect(values).toEqual(
			expect.arrayContaining([
				'order_update|en_US',
				'order_update|pt_PT',
				'appointment_reminder|en_US',
				'coupon_offer|en_US',
			]),
		);
		expect(values).not.toContain('draft_offer|en_US');
		expect(values).not.toContain('low_quality_promo|en_US');
		expect(values).not.toContain('banned_promo|en_US');
		expect(result.results.find((entry) => entry.value === 'order_update|en_US')?.name).toBe(
			'order_update (en_US)',
		);
	});

	it('filters by name', async () => {
		const result = await callListSearch(WhatsAppSend, 'searchTemplates', {
			parameters: {
				authentication: 'accessToken',
				resource: 'message',
				operation: 'sendTemplate',
				wabaId: locator(WABA_ID),
			},
			credentials: credentialsFor(sim),
			filter: 'coupon',
		});
		expect(result.results.map((entry) => entry.value)).toEqual(['coupon_offer|en_US']);
	});
});

describe('fields built from the template definition', () => {
	it('positional: header text, body placeholders and the URL button suffix', async () => {
		const { fields } = await templateFields('order_update|en_US');
		expect(fields.map((field) => [field.id, field.displayName, field.required])).toEqual([
			['header_1', 'Header {{1}}', true],
			['body_1', 'Body {{1}}', true],
			['body_2', 'Body {{2}}', true],
			['body_3', 'Body {{3}}', true],
			['button_0_url', 'Button "Track order" URL Suffix', true],
		]);
	});

	it('named placeholders', async () => {
		const { fields } = await templateFields('appointment_reminder|en_US');
		expect(fields.map((field) => field.id)).toEqual([
			'body_customer_name',
			'body_date',
			'body_time',
		]);
	});

	it('media header, quick-reply payload and copy code', async () => {
		const { fields } = await templateFields('coupon_offer|en_US');
		expect(fields.map((field) => [field.id, field.required])).toEqual([
			['header_media', true],
			['body_1', true],
			['body_2', true],
			['button_0_payload', false],
			['button_1_coupon_code', true],
			['button_2_url', true],
		]);
	});

	it('says what to do instead of failing while the node is half configured', async () => {
		const fields = await templateFields('');
		expect(fields.fields).toEqual([]);
		expect(fields.emptyFieldsNotice).toMatch(
			/Choose a WhatsApp Business Account and a template first/,
		);
	});
});

describe('Send Template', () => {
	it('sends a positional template with header, body and button parameters', async () => {
		const { outputs, error } = await runWhatsApp(
			sim,
			templateParameters('order_update|en_US', {
				header_1: '#1042',
				body_1: 'Ana',
				body_2: '#1042',
				body_3: 'ready for pickup',
				button_0_url: '1042',
			}),
		);
		expect(error).toBeUndefined();
		expect(outputs[0][0].json).toMatchObject({
			status: 'accepted',
			messageStatus: 'accepted',
			template: 'order_update',
			language: 'en_US',
			to: `+${NEVER}`,
		});
		// The simulator's request log redacts every `code` key; the sent log keeps the payload.
		const body = sentLog(sim)[0].payload as Record<string, any>;
		expect(body.template).toEqual({
			name: 'order_update',
			language: { code: 'en_US', policy: 'deterministic' },
			components: [
				{ type: 'header', parameters: [{ type: 'text', text: '#1042' }] },
				{
					type: 'body',
					parameters: [
						{ type: 'text', text: 'Ana' },
						{ type: 'text', text: '#1042' },
						{ type: 'text', text: 'ready for pickup' },
					],
				},
				{
					type: 'button',
					sub_type: 'url',
					index: '0',
					parameters: [{ type: 'text', text: '1042' }],
				},
			],
		});
		expect(sentLog(sim)).toHaveLength(1);
	});

	it('sends named parameters with parameter_name', async () => {
		const { error } = await runWhatsApp(
			sim,
			templateParameters('appointment_reminder|en_US', {
				body_customer_name: 'Ana',
				body_date: 'May 3',
				body_time: '10:00',
			}),
		);
		expect(error).toBeUndefined();
		const body = messageRequests(sim)[0].body as Record<string, any>;
		expect(body.template.components).toEqual([
			{
				type: 'body',
				parameters: [
					{ type: 'text', text: 'Ana', parameter_name: 'customer_name' },
					{ type: 'text', text: 'May 3', parameter_name: 'date' },
					{ type: 'text', text: '10:00', parameter_name: 'time' },
				],
			},
		]);
	});

	it('sends a media header, quick-reply payload and copy code', async () => {
		const { error } = await runWhatsApp(
			sim,
			templateParameters('coupon_offer|en_US', {
				header_media: `${sim.fixturesBaseUrl}/fixtures/offer.jpg`,
				body_1: 'Ana',
				body_2: '25%',
				button_0_payload: 'STOP',
				button_1_coupon_code: 'SAVE25',
				button_2_url: 'spring',
			}),
		);
		expect(error).toBeUndefined();
		const body = messageRequests(sim)[0].body as Record<string, any>;
		expect(body.template.components).toEqual([
			{
				type: 'header',
				parameters: [
					{ type: 'image', image: { link: `${sim.fixturesBaseUrl}/fixtures/offer.jpg` } },
				],
			},
			{
				type: 'body',
				parameters: [
					{ type: 'text', text: 'Ana' },
					{ type: 'text', text: '25%' },
				],
			},
			{
				type: 'button',
				sub_type: 'quick_reply',
				index: '0',
				parameters: [{ type: 'payload', payload: 'STOP' }],
			},
			{
				type: 'button',
				sub_type: 'copy_code',
				index: '1',
				parameters: [{ type: 'coupon_code', coupon_code: 'SAVE25' }],
			},
			{
				type: 'button',
				sub_type: 'url',
				index: '2',
				parameters: [{ type: 'text', text: 'spring' }],
			},
		]);
	});

	it('131053 for a header media URL Meta cannot fetch, per item', async () => {
		const { outputs } = await runWhatsApp(
			sim,
			templateParameters('invoice_ready|en_US', { header_media: '={{ $json.url }}' }),
			{
				items: [
					{ json: { url: `${sim.fixturesBaseUrl}/fixtures/invoice.pdf` } },
					{ json: { url: `${sim.fixturesBaseUrl}/fixtures/missing.pdf` } },
				],
				settings: { onError: 'continueRegularOutput' },
			},
		);
		expect(
			jsonOf(outputs[0]).map((json) => json.status ?? (json.details as { status?: string }).status),
		).toEqual(['accepted', 'failed']);
		expect(outputs[0][1].json).toMatchObject({ details: { code: 131053 } });
		expect(sentLog(sim)).toHaveLength(1);
	});

	it('sends a document header with its file name', async () => {
		const { error } = await runWhatsApp(
			sim,
			templateParameters('invoice_ready|en_US', {
				header_media: `${sim.fixturesBaseUrl}/fixtures/i.pdf`,
				header_filename: 'invoice-42.pdf',
			}),
		);
		expect(error).toBeUndefined();
		const body = messageRequests(sim)[0].body as Record<string, any>;
		expect(body.template.components).toEqual([
			{
				type: 'header',
				parameters: [
					{
						type: 'document',
						document: { link: `${sim.fixturesBaseUrl}/fixtures/i.pdf`, filename: 'invoice-42.pdf' },
					},
				],
			},
		]);
	});

	it('catches a parameter count mismatch before sending, naming the expected parameters', async () => {
		const { error } = await runWhatsApp(
			sim,
			templateParameters('order_update|en_US', {
				header_1: '#1',
				body_1: 'Ana',
				button_0_url: '1',
			}),
		);
		expect(error?.message).toBe(
			'Template order_update (en_US) expects 5 parameters (Header {{1}}, Body {{1}}, Body {{2}}, Body {{3}}, Button "Track order" URL Suffix); missing: Body {{2}}, Body {{3}}',
		);
		expect(messageRequests(sim)).toHaveLength(0);
	});

	it('names missing and unknown parameters by their labels on screen, never by internal ids', async () => {
		// The schema the editor saves marks the fields required: n8n-core's own check would name
		// "body_2"; the node reads the mapper whole and names "Body {{2}}".
		const schema = ['header_1', 'body_1', 'body_2', 'body_3', 'button_0_url'].map((id) => ({
			id,
			displayName: id,
			required: true,
			defaultMatch: false,
			display: true,
			type: 'string',
		}));
		const { error } = await runWhatsApp(
			sim,
			messageParameters('sendTemplate', {
				wabaId: locator(WABA_ID),
				to: `+${NEVER}`,
				template: locator('order_update|en_US', 'list'),
				templateParameters: {
					mappingMode: 'defineBelow',
					value: {
						header_1: '#1',
						body_1: 'Ana',
						body_2: '={{ $json.missing }}',
						body_3: '={{ null }}',
						button_0_url: '={{ $json.missing }}',
						body_9: 'extra',
					},
					schema,
				},
			}),
		);
		expect(error?.name).toBe('NodeOperationError');
		expect(error?.message).toContain(
			'missing: Body {{2}}, Body {{3}}, Button "Track order" URL Suffix; not in the template: Body {{9}}',
		);
		expect(error?.message).not.toMatch(/body_\d|button_\d|header_\d/);
		expect(messageRequests(sim)).toHaveLength(0);
	});

	it('a fresh node shows no red "no placeholders" error before a template is chosen', () => {
		const mapper = new WhatsAppSend().description.properties.find(
			(p) => p.name === 'templateParameters',
		);
		expect(mapper?.typeOptions?.resourceMapper?.hideNoDataError).toBe(true);
		expect(mapper?.typeOptions?.resourceMapper?.noFieldsError).toBe('Choose a template first');
	});

	it('Components (JSON) are sent as is; 132000 from Meta names the expected count', async () => {
		const components = [{ type: 'body', parameters: [{ type: 'text', text: 'Ana' }] }];
		const { outputs } = await runWhatsApp(
			sim,
			templateParameters(
				'order_update|en_US',
				{},
				{ options: { componentsJson: JSON.stringify(components) } },
			),
			{ settings: { onError: 'continueRegularOutput' } },
		);
		const [item] = jsonOf(outputs[0]);
		expect(item).toMatchObject({ details: { status: 'failed', code: 132000 } });
		expect(String(item.error)).toMatch(/Wrong number of template parameters/);
		expect(String(item.message)).toContain('code 132000');
		expect((messageRequests(sim)[0].body as any).template.components).toEqual(components);
	});

	it('refuses invalid Components (JSON) before any request', async () => {
		const { error } = await runWhatsApp(
			sim,
			templateParameters(
				'order_update|en_US',
				{},
				{ options: { componentsJson: '[{"type": "body"' } },
			),
		);
		expect(error?.message).toMatch(/"Components \(JSON\)" is not valid JSON/);
		expect(messageRequests(sim)).toHaveLength(0);
	});

	it('refuses a template that is not approved before sending', async () => {
		const { error } = await runWhatsApp(sim, templateParameters('draft_offer|en_US', {}));
		expect(error?.message).toMatch(/Template 'draft_offer' \(en_US\) is PENDING, not APPROVED/);
		expect(messageRequests(sim)).toHaveLength(0);
	});

	it.each([
		['draft_offer|en_US', 132001],
		['low_quality_promo|en_US', 132015],
		['banned_promo|en_US', 132016],
		['missing_template|en_US', 132001],
	])("Meta's answer for %s is %i", async (template, code) => {
		const { outputs } = await runWhatsApp(
			sim,
			templateParameters(
				template,
				{},
				{ options: { componentsJson: '[{"type":"body","parameters":[]}]' } },
			),
			{ settings: { onError: 'continueRegularOutput' } },
		);
		expect(outputs[0][0].json).toMatchObject({ details: { status: 'failed', code: code } });
	});

	it('132012: a text header where the template has an image', async () => {
		const components = [
			{ type: 'header', parameters: [{ type: 'text', text: 'x' }] },
			{
				type: 'body',
				parameters: [
					{ type: 'text', text: 'a' },
					{ type: 'text', text: 'b' },
				],
			},
		];
		const { outputs } = await runWhatsApp(
			sim,
			templateParameters(
				'coupon_offer|en_US',
				{},
				{ options: { componentsJson: JSON.stringify(components) } },
			),
			{ settings: { onError: 'continueRegularOutput' } },
		);
		expect(outputs[0][0].json).toMatchObject({ details: { status: 'failed', code: 132012 } });
	});
});

describe('Template > Get Many', () => {
	const base = { resource: 'template', operation: 'getMany', wabaId: locator(WABA_ID) };

	it('returns all templates with Return All', async () => {
		const { outputs } = await runWhatsApp(sim, { ...base, returnAll: true });
		const names = jsonOf(outputs[0]).map((template) => `${template.name}|${template.language}`);
		expect(names).toEqual(
			expect.arrayContaining(['order_update|en_US', 'draft_offer|en_US', 'banned_promo|en_US']),
		);
		const all = [...sim.control.world().templates.values()].filter(
			(template) => template.wabaId === WABA_ID,
		);
		expect(names).toHaveLength(all.length);
	});

	it('honours Limit', async () => {
		const { outputs } = await runWhatsApp(sim, { ...base, returnAll: false, limit: 2 });
		expect(outputs[0]).toHaveLength(2);
	});

	it('filters by name', async () => {
		const { outputs } = await runWhatsApp(sim, {
			...base,
			returnAll: true,
			filters: { name: 'order' },
		});
		const templates = jsonOf(outputs[0]);
		expect(templates.map((template) => template.language).sort()).toEqual(['en_US', 'pt_PT']);
		expect(templates.every((template) => String(template.name).includes('order'))).toBe(true);
	});

	it('filters by status, category and language', async () => {
		const { outputs } = await runWhatsApp(sim, {
			...base,
			returnAll: true,
			filters: { status: ['APPROVED'], category: ['UTILITY'], language: 'en_US' },
		});
		const templates = jsonOf(outputs[0]);
		expect(templates.length).toBeGreaterThan(0);
		for (const template of templates) {
			expect(template).toMatchObject({
				status: 'APPROVED',
				category: 'UTILITY',
				language: 'en_US',
			});
		}
		const request = sim.control
			.requests()
			.find((entry) => entry.path.endsWith('/message_templates'));
		expect(request?.params).toMatchObject({
			status: 'APPROVED',
			category: 'UTILITY',
			language: 'en_US',
		});
	});
});
