/**
 * The one typed reader for parameters a user can fill with an expression. n8n hands a node
 * whatever the expression produced: null, undefined, objects, arrays, NaN. Sent as they are they
 * reach customers as "null", "undefined", "[object Object]" or "a,b", and numeric fields turn
 * '' / null / [] into 0 and true into 1. Every reader here refuses those before any request, with
 * a NodeOperationError that names the field, the item and the fix, and never echoes the bad value.
 *
 * The `expect*` functions check a value already read (a collection's entry, a resource mapper's
 * value); the `read*` functions read a node parameter and check it.
 */
import type { IDataObject, IExecuteFunctions, INode } from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';

/** Which field of which item a value belongs to, for the error message. */
export interface FieldRef {
	/** The label the user sees in the editor (e.g. "Text", "Reply To Message ID"). */
	label: string;
	itemIndex: number;
	/** What to do instead, added to the standard advice. */
	hint?: string;
}

export interface TextRules {
	/** Empty (or only spaces) is refused. Default: false (empty means "not set"). */
	required?: boolean;
	/** Remove surrounding spaces. Default: true. */
	trim?: boolean;
	/** Refuse longer text (counted in characters as Meta counts them: UTF-16 code units). */
	maxLength?: number;
	/** A number is accepted and turned into text (IDs and phone numbers often arrive as numbers). Default: true. */
	allowNumber?: boolean;
}

export interface NumberRules {
	required?: boolean;
	min?: number;
	max?: number;
	integer?: boolean;
}

/** The kind of a value in words, never the value itself ("[object Object]", "undefined"). */
export function describeKind(value: unknown): string {
	if (value === null) return 'an empty value (null)';
	if (value === undefined) return 'no value';
	if (Array.isArray(value)) return 'a list';
	if (typeof value === 'number')
		return Number.isFinite(value) ? 'a number' : 'a number that is not finite';
	if (typeof value === 'boolean') return 'true/false';
	if (typeof value === 'string') return value.trim() === '' ? 'empty text' : 'text';
	if (typeof value === 'object') return 'an object';
	return `a ${typeof value}`;
}

function itemLabel(itemIndex: number): string {
	return `item ${itemIndex + 1}`;
}

const EXPRESSION_ADVICE =
	'If the value comes from an expression, check that it points at a field the input item has (open the input panel to see the item).';

/** The error for a value of the wrong kind or out of range. Exported for rules the readers do not cover. */
export function invalidField(
	node: INode,
	field: FieldRef,
	problem: string,
	fix?: string,
): NodeOperationError {
	const description = [fix ?? field.hint, EXPRESSION_ADVICE].filter(Boolean).join(' ');
	return new NodeOperationError(
		node,
		`${field.label} (${itemLabel(field.itemIndex)}): ${problem}`,
		{
			itemIndex: field.itemIndex,
			description,
		},
	);
}

/** Text, or '' when the field is optional and empty. Refuses null, undefined, objects, lists. */
export function expectText(
	node: INode,
	value: unknown,
	field: FieldRef,
	rules: TextRules = {},
): string {
	const { required = false, trim = true, maxLength, allowNumber = true } = rules;
	let text: string;
	if (typeof value === 'string') {
		text = trim ? value.trim() : value;
	} else if (allowNumber && typeof value === 'number' && Number.isFinite(value)) {
		text = String(value);
	} else {
		throw invalidField(
			node,
			field,
			`expected text but the expression gave ${describeKind(value)}`,
			value === null || value === undefined
				? `Give ${field.label} a text value${required ? '' : ", or make the expression give an empty text ('') to leave it out"}.`
				: Array.isArray(value)
					? `Pick one entry of the list (e.g. {{ $json.list[0] }}) or join it into one text first.`
					: typeof value === 'object'
						? `Pick the text field inside the object (e.g. {{ $json.field.name }}), not the whole object.`
						: `Give ${field.label} a text value.`,
		);
	}
	if (required && text.trim() === '') {
		throw invalidField(node, field, 'is empty', field.hint ?? `Enter a value for ${field.label}.`);
	}
	if (maxLength !== undefined && text.length > maxLength) {
		throw invalidField(
			node,
			field,
			`is ${text.length} characters long; Meta accepts at most ${maxLength}`,
			`Shorten ${field.label} to ${maxLength} characters or fewer.`,
		);
	}
	return text;
}

const DECIMAL_NUMBER = /^[+-]?(?:\d+(?:\.\d*)?|\.\d+)(?:e[+-]?\d+)?$/i;

/** A finite number, or undefined when the field is optional and empty (''). */
export function expectNumber(
	node: INode,
	value: unknown,
	field: FieldRef,
	rules: NumberRules = {},
): number | undefined {
	let number: number | undefined;
	if (typeof value === 'number') {
		number = value;
	} else if (typeof value === 'string' && value.trim() !== '') {
		// Decimal notation only: Number() would also read "0x10" as 16 and "0b1" as 1.
		number = DECIMAL_NUMBER.test(value.trim()) ? Number(value.trim()) : undefined;
	} else if (typeof value === 'string' && !rules.required) {
		return undefined;
	}
	if (number === undefined || !Number.isFinite(number)) {
		const kind =
			typeof value === 'string' && value.trim() !== ''
				? 'text that is not a number'
				: describeKind(value);
		throw invalidField(
			node,
			field,
			`expected a number but the expression gave ${kind}`,
			`Give ${field.label} a number (e.g. 12.5).`,
		);
	}
	if (rules.integer && !Number.isInteger(number)) {
		throw invalidField(
			node,
			field,
			'must be a whole number',
			`Give ${field.label} a whole number.`,
		);
	}
	if (rules.min !== undefined && number < rules.min) {
		throw invalidField(
			node,
			field,
			`must be at least ${rules.min}`,
			`Give ${field.label} a number of at least ${rules.min}.`,
		);
	}
	if (rules.max !== undefined && number > rules.max) {
		throw invalidField(
			node,
			field,
			`must be at most ${rules.max}`,
			`Give ${field.label} a number of at most ${rules.max}.`,
		);
	}
	return number;
}

/** true or false (also the texts "true" and "false", which expressions often produce). */
export function expectBoolean(node: INode, value: unknown, field: FieldRef): boolean {
	if (typeof value === 'boolean') return value;
	if (typeof value === 'string' && /^(true|false)$/i.test(value.trim())) {
		return value.trim().toLowerCase() === 'true';
	}
	throw invalidField(
		node,
		field,
		`expected true or false but the expression gave ${describeKind(value)}`,
		`Switch ${field.label} on or off, or give an expression that results in true or false.`,
	);
}

/** One of `allowed` (an options parameter set through an expression). */
export function expectOption<T extends string>(
	node: INode,
	value: unknown,
	field: FieldRef,
	allowed: readonly T[],
): T {
	if (typeof value === 'string' && (allowed as readonly string[]).includes(value))
		return value as T;
	throw invalidField(
		node,
		field,
		typeof value === 'string'
			? `"${value.slice(0, 40)}" is not one of the choices`
			: `expected one of the choices but the expression gave ${describeKind(value)}`,
		`Use one of: ${allowed.join(', ')}.`,
	);
}

/** A collection or fixed collection: a plain object; unset is {}. */
export function expectObject(node: INode, value: unknown, field: FieldRef): IDataObject {
	if (value === undefined || value === null || value === '') return {};
	if (typeof value === 'object' && !Array.isArray(value)) return value as IDataObject;
	throw invalidField(
		node,
		field,
		`expected a set of fields but the expression gave ${describeKind(value)}`,
		`Give ${field.label} an object (e.g. {{ { "key": "value" } }}).`,
	);
}

/** A list; unset is []. Each entry is checked by the caller. */
export function expectList(node: INode, value: unknown, field: FieldRef): unknown[] {
	if (value === undefined || value === null || value === '') return [];
	if (Array.isArray(value)) return value;
	throw invalidField(
		node,
		field,
		`expected a list but the expression gave ${describeKind(value)}`,
		`Give ${field.label} a list (e.g. {{ ["a", "b"] }}).`,
	);
}

/**
 * An entry of a collection (Options, Additional Fields) or of a fixed collection's row, read from
 * the object n8n hands over: `undefined` only when the user did not add it. When the user added an
 * option and its expression gave null or undefined (`{{ $json.missing }}`), n8n keeps the key with
 * that value; taking it as "not added" would quietly apply the default (and e.g. send a message the
 * option was meant to stop), so it is refused, naming the field, the item and the fix. The value
 * returned is still to be checked with the matching `expect*`.
 */
export function collectionValue(
	node: INode,
	collection: IDataObject,
	key: string,
	field: FieldRef,
	/** What the user can remove instead, for the fix (default: the option itself). */
	removable = `the option ${field.label}`,
): unknown {
	if (!Object.prototype.hasOwnProperty.call(collection, key)) return undefined;
	const value = collection[key];
	if (value === null || value === undefined) {
		throw invalidField(
			node,
			field,
			`was added but the expression gave ${describeKind(value)}`,
			[`Remove ${removable} or give ${field.label} a value.`, field.hint].filter(Boolean).join(' '),
		);
	}
	return value;
}

/**
 * Refuses every entry of `collection` named in `labels` that was added with null or undefined
 * (see `collectionValue`): for a collection whose entries are read in several places, checked
 * once where the collection is read.
 */
export function expectEntriesSet(
	node: INode,
	collection: IDataObject,
	labels: Readonly<Record<string, string>>,
	itemIndex: number,
): void {
	for (const [key, label] of Object.entries(labels)) {
		collectionValue(node, collection, key, { label, itemIndex });
	}
}

// ---- Readers of node parameters -------------------------------------------------------------

interface ReadOptions {
	/** For resource locators: the value, not the { mode, value } object. */
	extractValue?: boolean;
	hint?: string;
}

function raw(
	this: IExecuteFunctions,
	name: string,
	itemIndex: number,
	fallback: unknown,
	options: ReadOptions,
): unknown {
	return this.getNodeParameter(name, itemIndex, fallback as never, {
		extractValue: options.extractValue,
	});
}

/** A text parameter (see `expectText`). */
export function readText(
	this: IExecuteFunctions,
	name: string,
	itemIndex: number,
	label: string,
	rules: TextRules & ReadOptions = {},
): string {
	return expectText(
		this.getNode(),
		raw.call(this, name, itemIndex, '', rules),
		{ label, itemIndex, hint: rules.hint },
		rules,
	);
}

/** A number parameter (see `expectNumber`); `fallback` when the parameter is not shown. */
export function readNumber(
	this: IExecuteFunctions,
	name: string,
	itemIndex: number,
	label: string,
	rules: NumberRules & ReadOptions & { fallback?: number } = {},
): number | undefined {
	return expectNumber(
		this.getNode(),
		raw.call(this, name, itemIndex, rules.fallback ?? '', rules),
		{ label, itemIndex, hint: rules.hint },
		rules,
	);
}

export function readBoolean(
	this: IExecuteFunctions,
	name: string,
	itemIndex: number,
	label: string,
	fallback = false,
): boolean {
	return expectBoolean(this.getNode(), raw.call(this, name, itemIndex, fallback, {}), {
		label,
		itemIndex,
	});
}

export function readOption<T extends string>(
	this: IExecuteFunctions,
	name: string,
	itemIndex: number,
	label: string,
	allowed: readonly T[],
	fallback?: T,
): T {
	return expectOption(
		this.getNode(),
		raw.call(this, name, itemIndex, fallback, {}),
		{ label, itemIndex },
		allowed,
	);
}

/** A collection (Options, Additional Fields); unset is {}. */
export function readCollection(
	this: IExecuteFunctions,
	name: string,
	itemIndex: number,
	label: string,
): IDataObject {
	return expectObject(this.getNode(), raw.call(this, name, itemIndex, {}, {}), {
		label,
		itemIndex,
	});
}
