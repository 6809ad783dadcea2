import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';

import { decodeTemplateKey, templateLocator } from '../../../shared/descriptions/template';
import { whatsAppBusinessAccountLocator } from '../../../shared/descriptions/whatsAppBusinessAccount';
import type { TemplateDefinition } from '../../../shared/methods/whatsapp';
import { collectionValue, expectObject, readOption, readText } from '../../../shared/parameters';
import type { BuildContext } from '../../helpers/bulk';
import { portfolioLimitOptions, readPortfolioOptions } from '../../helpers/portfolio';
import type { PreparedMessage } from '../../helpers/sender';
import type { TemplateDefinitionCache } from '../../helpers/templates';
import { buildTemplateComponents, fetchTemplateDefinition } from '../../helpers/templates';
import {
	getOptions,
	messageDescription,
	messageOptions,
	parseJsonParameter,
	startMessage,
} from './shared';

const fields: INodeProperties[] = [
	templateLocator,
	{
		displayName: 'Template Parameters',
		name: 'templateParameters',
		type: 'resourceMapper',
		noDataExpression: true,
		default: { mappingMode: 'defineBelow', value: null },
		required: true,
		description: "The values of the template's placeholders, header media and buttons",
		typeOptions: {
			loadOptionsDependsOn: ['wabaId.value', 'template.value'],
			resourceMapper: {
				resourceMapperMethod: 'getTemplateFields',
				mode: 'add',
				fieldWords: { singular: 'parameter', plural: 'parameters' },
				addAllFields: true,
				multiKeyMatch: false,
				supportAutoMap: true,
				// n8n shows noFieldsError in red whenever the list is empty, also before a template is
				// chosen: hidden, so the method's neutral notice ("Choose ... first", "no placeholders")
				// is what the user reads.
				hideNoDataError: true,
				noFieldsError: 'Choose a template first',
			},
		},
	},
];

const optionsCollection = messageOptions([
	{
		displayName: 'Components (JSON)',
		name: 'componentsJson',
		type: 'json',
		default: '[]',
		description:
			"Meta's template components array, sent as is instead of the Template Parameters (for parameter types the fields do not cover, e.g. currency or date_time)",
	},
	...portfolioLimitOptions,
]);

export const description = messageDescription('sendTemplate', fields, optionsCollection, {
	leading: [whatsAppBusinessAccountLocator],
});

async function getDefinition(
	this: IExecuteFunctions,
	itemIndex: number,
	wabaId: string,
	name: string,
	language: string,
	cache: TemplateDefinitionCache,
): Promise<TemplateDefinition> {
	const key = `${wabaId}|${name}|${language}`;
	if (!cache.has(key)) {
		const pending = fetchTemplateDefinition.call(this, wabaId, name, language, itemIndex);
		// A failed read is not cached: the next item asks Meta again.
		pending.catch(() => cache.delete(key));
		cache.set(key, pending);
	}
	const definition = await cache.get(key);
	if (!definition) {
		throw new NodeOperationError(
			this.getNode(),
			`No template '${name}' in language '${language}' in WhatsApp Business Account ${wabaId}`,
			{
				itemIndex,
				description:
					'Pick the template from the list (it shows approved templates only), or check the name and language code in WhatsApp Manager.',
			},
		);
	}
	if (definition.status !== 'APPROVED') {
		throw new NodeOperationError(
			this.getNode(),
			`Template '${name}' (${language}) is ${definition.status}, not APPROVED`,
			{
				itemIndex,
				description:
					'Meta only sends approved templates. Wait for approval, fix the template in WhatsApp Manager, or pick another one.',
			},
		);
	}
	return definition;
}

export async function build(
	this: IExecuteFunctions,
	itemIndex: number,
	context: BuildContext,
): Promise<PreparedMessage> {
	const { phoneNumberId, to, body } = startMessage.call(this, itemIndex, 'template');
	const wabaId = readText.call(this, 'wabaId', itemIndex, 'WhatsApp Business Account', {
		extractValue: true,
	});
	const { name, language } = decodeTemplateKey(
		readText.call(this, 'template', itemIndex, 'Template', {
			extractValue: true,
			allowNumber: false,
		}),
	);
	if (!name || !language) {
		throw new NodeOperationError(this.getNode(), 'No template selected', {
			itemIndex,
			description:
				'Pick a template from the list, or enter it as name|language, e.g. order_update|en_US.',
		});
	}
	const options = getOptions.call(this, itemIndex);
	// Every option is checked before the template definition is read (no request for bad input);
	// an added option whose expression gave nothing is refused, not taken as "not added".
	readPortfolioOptions.call(this, itemIndex);
	const rawComponents = collectionValue(this.getNode(), options, 'componentsJson', {
		label: 'Components (JSON)',
		itemIndex,
	});
	let components: IDataObject[];
	const useJson =
		rawComponents !== undefined &&
		String(
			typeof rawComponents === 'string' ? rawComponents : JSON.stringify(rawComponents),
		).trim() !== '[]';
	if (useJson) {
		const parsed = parseJsonParameter.call<IExecuteFunctions, [number, unknown, string], unknown>(
			this,
			itemIndex,
			rawComponents,
			'Components (JSON)',
		);
		if (!Array.isArray(parsed)) {
			throw new NodeOperationError(this.getNode(), '"Components (JSON)" must be a JSON array', {
				itemIndex,
				description:
					'Write an array such as [{"type":"body","parameters":[{"type":"text","text":"Jane"}]}].',
			});
		}
		components = parsed as IDataObject[];
	} else {
		if (!/^\d+$/.test(wabaId)) {
			throw new NodeOperationError(this.getNode(), 'No WhatsApp Business Account selected', {
				itemIndex,
				description:
					'The template definition is read from the WhatsApp Business Account: pick it under "WhatsApp Business Account".',
			});
		}
		const definition = await getDefinition.call(
			this,
			itemIndex,
			wabaId,
			name,
			language,
			context.templateCache,
		);
		const mappingMode = readOption.call(
			this,
			'templateParameters.mappingMode',
			itemIndex,
			'Template Parameters mapping',
			['defineBelow', 'autoMapInputData'] as const,
			'defineBelow',
		);
		let values: IDataObject;
		if (mappingMode === 'autoMapInputData') {
			const input = this.getInputData()[itemIndex]?.json ?? {};
			values = Object.fromEntries(
				Object.entries(input).filter(([key]) => /^(header|body|button)_/.test(key)),
			) as IDataObject;
		} else {
			// Read whole: n8n-core checks a `templateParameters.value` read against the mapper's
			// schema and names fields by id ("body_1"); buildTemplateComponents names them as shown.
			const mapper = expectObject(
				this.getNode(),
				this.getNodeParameter('templateParameters', itemIndex, {}),
				{ label: 'Template Parameters', itemIndex },
			);
			values = expectObject(this.getNode(), mapper.value ?? {}, {
				label: 'Template Parameters',
				itemIndex,
			});
		}
		components = buildTemplateComponents.call(this, definition, values, itemIndex);
	}
	body.template = {
		name,
		language: { code: language, policy: 'deterministic' },
		...(components.length ? { components } : {}),
	};
	return {
		itemIndex,
		phoneNumberId,
		body,
		summary: { to, type: 'template', template: name, language },
	};
}
