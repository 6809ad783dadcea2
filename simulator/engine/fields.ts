/**
 * Meta's `fields=` mini-language: `id,name,accounts.limit(5){id,tasks,instagram_business_account{id}}`,
 * plus the `.fields(a,b)` alternative to braces.
 */
export interface FieldSelection {
	name: string;
	children?: FieldSelection[];
	limit?: number;
	/** Other modifiers, e.g. `.since(123)`, kept raw for resolvers that care. */
	modifiers?: Record<string, string>;
}

export class FieldSyntaxError extends Error {}

export function parseFields(input: string): FieldSelection[] {
	let pos = 0;
	const text = input.trim();

	function parseList(closing: string | undefined): FieldSelection[] {
		const list: FieldSelection[] = [];
		while (pos < text.length) {
			skipSpace();
			if (closing && text[pos] === closing) break;
			if (text[pos] === ',') {
				pos++;
				continue;
			}
			list.push(parseOne());
			skipSpace();
			if (text[pos] === ',') pos++;
			else if (closing && text[pos] === closing) break;
			else if (pos < text.length)
				throw new FieldSyntaxError(`Syntax error "Expected end." at character ${pos}: ${text}`);
		}
		return list;
	}

	function skipSpace(): void {
		while (pos < text.length && /\s/.test(text[pos])) pos++;
	}

	function parseOne(): FieldSelection {
		const start = pos;
		while (pos < text.length && /[A-Za-z0-9_:]/.test(text[pos])) pos++;
		const name = text.slice(start, pos);
		if (!name)
			throw new FieldSyntaxError(`Syntax error "Expected name." at character ${pos}: ${text}`);
		const field: FieldSelection = { name };
		while (text[pos] === '.') {
			pos++;
			const modStart = pos;
			while (pos < text.length && /[A-Za-z_]/.test(text[pos])) pos++;
			const modifier = text.slice(modStart, pos);
			if (text[pos] !== '(')
				throw new FieldSyntaxError(`Syntax error "Expected (." at character ${pos}: ${text}`);
			pos++;
			if (modifier === 'fields') {
				field.children = parseList(')');
				pos++;
				continue;
			}
			const argStart = pos;
			while (pos < text.length && text[pos] !== ')') pos++;
			const arg = text.slice(argStart, pos).trim();
			pos++;
			if (modifier === 'limit') {
				const n = Number(arg);
				if (!Number.isInteger(n) || n < 0)
					throw new FieldSyntaxError(`Invalid limit modifier: ${arg}`);
				field.limit = n;
			} else {
				field.modifiers = { ...field.modifiers, [modifier]: arg };
			}
		}
		skipSpace();
		if (text[pos] === '{') {
			pos++;
			field.children = parseList('}');
			if (text[pos] !== '}')
				throw new FieldSyntaxError(`Syntax error "Expected }." at character ${pos}: ${text}`);
			pos++;
		}
		return field;
	}

	const result = parseList(undefined);
	return result;
}

/** Serialises a selection back to Meta's syntax (for `paging.next` of nested edges). */
export function serializeFields(fields: FieldSelection[]): string {
	return fields
		.map((field) => {
			let out = field.name;
			if (field.limit !== undefined) out += `.limit(${field.limit})`;
			for (const [key, value] of Object.entries(field.modifiers ?? {})) out += `.${key}(${value})`;
			if (field.children) out += `{${serializeFields(field.children)}}`;
			return out;
		})
		.join(',');
}
