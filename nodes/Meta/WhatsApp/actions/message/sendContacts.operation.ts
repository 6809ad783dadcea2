import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';

import type { PreparedMessage } from '../../helpers/sender';
import {
	messageDescription,
	messageOptions,
	parseJsonParameter,
	sendBuilt,
	startMessage,
} from './common';

const fields: INodeProperties[] = [
	{
		displayName: 'Define Contacts',
		name: 'contactsSource',
		type: 'options',
		default: 'fields',
		options: [
			{ name: 'Using Fields Below', value: 'fields' },
			{ name: 'Using JSON', value: 'json' },
		],
	},
	{
		displayName: 'Contacts',
		name: 'contacts',
		type: 'fixedCollection',
		default: {},
		placeholder: 'Add Contact',
		typeOptions: { multipleValues: true },
		displayOptions: { show: { contactsSource: ['fields'] } },
		options: [
			{
				displayName: 'Contact',
				name: 'contact',
				values: [
					{
						displayName: 'Birthday',
						name: 'birthday',
						type: 'string',
						default: '',
						placeholder: 'e.g. 1990-01-31',
					},
					{
						displayName: 'Company',
						name: 'company',
						type: 'string',
						default: '',
					},
					{
						displayName: 'Email',
						name: 'email',
						type: 'string',
						default: '',
						placeholder: 'e.g. name@email.com',
					},
					{
						displayName: 'First Name',
						name: 'firstName',
						type: 'string',
						default: '',
					},
					{
						displayName: 'Formatted Name',
						name: 'formattedName',
						type: 'string',
						default: '',
							required:	true,
						placeholder: 'e.g. Jane Doe',
					},
					{
						displayName: 'Last Name',
						name: 'lastName',
						type: 'string',
						default: '',
					},
					{
						displayName: 'Phone',
						name: 'phone',
						type: 'string',
						default: '',
						placeholder: 'e.g.	+1 650 555 1234',
					},
					{
						displayName: 'Phone Type',
						name: 'phoneType',
						type: 'options',
						default: 'CELL',
						options: [
							{
								name: 'Cell',
								value: 'CELL',
							},
							{
								name: 'Home',
								value: 'HOME',
							},
							{
								name: 'iPhone',
								value: 'IPHONE',
							},
							{
								name: 'Main',
								value: 'MAIN',
							},
							{
								name: 'Work',
								value: 'WORK',
							},
						]
					},
					{
						displayName: 'Website',
						name: 'url',
						type: 'string',
						default: '',
						placeholder: 'e.g. https://example.com',
					},
			],
			},
		],
	},
	{
		displayName: 'Contacts (JSON)',
		name: 'contactsJson',
		type: 'json',
		default: '[{"name":{"formatted_name":"Jane Doe","first_name":"Jane"},"phones":[{"phone":"+16505551234","type":"CELL"}]}]',
		required: true,
		description: "Meta's contacts array; each contact needs name.formatted_name",
		displayOptions: { show: { contactsSource: ['json'] } },
	},
];

const optionsCollection = messageOptions([]);

export const description = messageDescription('sendContacts', fields, optionsCollection);

export async function build(this: IExecuteFunctions, itemIndex: number): Promise<PreparedMessage> {
	const { phoneNumberId, to, body } = startMessage.call(this, itemIndex, 'contacts');
	const source = this.getNodeParameter('contactsSource', itemIndex, 'fields') as string;
	let contacts: IDataObject[];
	if (source === 'json') {
		const parsed = parseJsonParameter.call<IExecuteFunctions, [number, unknown, string], unknown>(
			this,
			itemIndex,
			this.getNodeParameter('contactsJson', itemIndex),
			'Contacts (JSON)',
		);
		contacts = (Array.isArray(parsed) ? parsed : [parsed]) as IDataObject[];
	} else {
		const entries =
			((this.getNodeParameter('contacts', itemIndex, {}) as IDataObject).contact as IDataObject[]) ?? [];
		contacts = entries.map((entry) => {
			const contact: IDataObject = {
				name: {
					formatted_name: String(entry.formattedName ?? '').trim(),
					...(entry.firstName ? { first_name: entry.firstName } : {}),
					...(entry.lastName ? { last_name: entry.lastName } : {}),
				},
			};
			if (entry.phone) contact.phones = [{ phone: entry.phone, type: entry.phoneType ?? 'CELL' }];
			if (entry.email) contact.emails = [{ email: entry.email, type: 'WORK' }];
			if (entry.company) contact.org = { company: entry.company };
			if (entry.url) contact.urls = [{ url: entry.url, type: 'WORK' }];
			if (entry.birthday) contact.birthday = entry.birthday;
			return contact;
		});
	}
	if (contacts.length === 0) {
		throw new NodeOperationError(this.getNode(), 'No contact to send', {
			itemIndex,
			description: 'Add at least one contact under "Contacts".',
		});
	}
	contacts.forEach((contact, index) => {
		const name = (contact?.name as IDataObject | undefined)?.formatted_name;
		if (!name || String(name).trim() === '') {
			throw new NodeOperationError(this.getNode(), `Contact ${index + 1} has no formatted name`, {
				itemIndex,
				description: 'WhatsApp requires a "Formatted Name" (name.formatted_name) for every contact.',
			});
		}
	});
	body.contacts = contacts;
	return { itemIndex, phoneNumberId, body, summary: { to, type: 'contacts' } };
}

export const execute = sendBuilt(build);
