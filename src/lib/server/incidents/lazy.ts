/** A value computed on its first read, then kept: encrypted fields that most screens of a case never show. */
export function onFirstRead<T>(compute: () => T): () => T {
	let computed = false;
	let value: T;
	return () => {
		if (!computed) {
			value = compute();
			computed = true;
		}
		return value;
	};
}
