/**
 * Baked SVG badges (Open Badges 3.0): the credential goes in an <openbadges:credential> element in the
 * namespace https://purl.imsglobal.org/ob/v3p0, as CDATA, right after the opening <svg> tag.
 */
export const OB_SVG_NS = 'https://purl.imsglobal.org/ob/v3p0';

export function bakeSvg(svg: string, credentialJson: string): string {
	const cleaned = svg.replace(/<openbadges:credential[\s\S]*?<\/openbadges:credential>/g, '');
	const open = /<svg\b[^>]*>/.exec(cleaned);
	if (!open) throw new Error('not an SVG document');
	let tag = open[0];
	if (!/xmlns:openbadges=/.test(tag)) tag = tag.replace(/^<svg\b/, `<svg xmlns:openbadges="${OB_SVG_NS}"`);
	// "]]>" cannot appear inside CDATA: split it across two sections.
	const cdata = credentialJson.replaceAll(']]>', ']]]]><![CDATA[>');
	const element = `<openbadges:credential><![CDATA[${cdata}]]></openbadges:credential>`;
	const at = open.index;
	return cleaned.slice(0, at) + tag + element + cleaned.slice(at + open[0].length);
}

export type SvgExtraction = { ok: true; json: string } | { ok: false; problem: 'not_svg' | 'no_credential' | 'wrong_namespace' };

function unescapeXml(text: string): string {
	return text
		.replace(/&lt;/g, '<')
		.replace(/&gt;/g, '>')
		.replace(/&quot;/g, '"')
		.replace(/&apos;/g, "'")
		.replace(/&#x([0-9a-f]+);/gi, (_, h: string) => String.fromCodePoint(parseInt(h, 16)))
		.replace(/&#(\d+);/g, (_, d: string) => String.fromCodePoint(parseInt(d, 10)))
		.replace(/&amp;/g, '&');
}

/** Reads the embedded credential (CDATA or escaped text), checking the prefix is bound to the OB namespace. */
export function extractFromSvg(svg: string): SvgExtraction {
	const open = /<svg\b[^>]*>/.exec(svg);
	if (!open) return { ok: false, problem: 'not_svg' };
	const match = /<openbadges:credential\b[^>]*>([\s\S]*?)<\/openbadges:credential>/.exec(svg);
	if (!match) return { ok: false, problem: 'no_credential' };
	const ns = /xmlns:openbadges\s*=\s*"([^"]*)"/.exec(svg);
	if (!ns || ns[1] !== OB_SVG_NS) return { ok: false, problem: 'wrong_namespace' };
	const body = match[1]!;
	let json = '';
	const re = /<!\[CDATA\[([\s\S]*?)\]\]>|([^<]+)/g;
	for (let m = re.exec(body); m; m = re.exec(body)) json += m[1] ?? unescapeXml(m[2]!);
	return { ok: true, json: json.trim() };
}
