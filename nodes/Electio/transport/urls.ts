/** Joins a path template, encoding every interpolated value as one literal path segment. */
export function apiPath(strings: TemplateStringsArray, ...segments: string[]): string {
	let path = strings[0];
	segments.forEach((segment, index) => {
		path += encodePathSegment(segment) + strings[index + 1];
	});
	return path;
}

/** A query string from the values that are set, in the order given; empty when none is. */
export function queryString(values: Record<string, string | number | boolean | undefined>): string {
	const parts = Object.entries(values)
		.filter(([, value]) => value !== undefined && value !== '')
		.map(([name, value]) => `${encodeURIComponent(name)}=${encodeURIComponent(String(value))}`);
	return parts.length ? `?${parts.join('&')}` : '';
}

function encodePathSegment(value: string): string {
	// "." and ".." are dot-segments even when percent-encoded: URL parsers would climb the path.
	if (/^\.{1,2}$/.test(value)) {
		throw new Error(`"${value}" cannot be used as a reference`);
	}
	return encodeURIComponent(value).replace(
		/[!'()*]/g,
		(character) => `%${character.charCodeAt(0).toString(16).toUpperCase()}`,
	);
}

/** The host of a base URL, for messages; the text itself when it is not a URL. */
export function hostOf(baseUrl: string): string {
	try {
		return new URL(baseUrl).host;
	} catch {
		return baseUrl;
	}
}

/** Defence in depth: the key is only ever sent below the configured base URL. */
export function urlBelow(baseUrl: string, path: string): string | undefined {
	const url = `${baseUrl}${path}`;
	return path.startsWith('/') && new URL(url).origin === new URL(baseUrl).origin ? url : undefined;
}
