/**
 * Bad values that are NOT stopped before any request, each with the reason. `todo: true` marks a
 * defect found by the generator (reported for a fix, kept here so the suite stays honest and
 * green); without it the behaviour is legitimate. Nothing here may be a wrong success: a request
 * carrying "null", "undefined", "[object Object]", "NaN" or "a,b" fails the suite whatever this says.
 */
export interface Allowed {
	node: string;
	operation: RegExp;
	field: RegExp;
	/** Value labels (see generator.ts); all when absent. */
	values?: string[];
	reason: string;
	todo?: boolean;
}

export const ALLOWED: Allowed[] = [
	{
		node: 'WhatsApp Send',
		operation: /^message\.sendTemplate$/,
		field: /^templateParameters\./,
		reason:
			"A template's parameters are known only from its definition: that one read (GET /{waba-id}/message_templates) precedes the check; no message is sent.",
	},
	{
		node: 'WhatsApp Send',
		operation: /^message\.sendInteractive$/,
		field: /^options\.headerFileName$/,
		reason:
			'Only read for a document header; with the text header of this run the field is unused (nothing of it is sent).',
	},
	{
		node: 'Instagram Publish',
		operation: /./,
		field: /^options\.collaborators$/,
		values: ['list'],
		reason:
			'A list of usernames is a valid value for Collaborators (sent as Meta expects, no "a,b").',
	},
];

export function allowed(result: {
	node: string;
	operation: string;
	field: string;
	value: string;
}): Allowed | undefined {
	return ALLOWED.find(
		(entry) =>
			entry.node === result.node &&
			entry.operation.test(result.operation) &&
			entry.field.test(result.field) &&
			(entry.values === undefined || entry.values.includes(result.value)),
	);
}
