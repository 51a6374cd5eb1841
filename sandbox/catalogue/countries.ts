// Countries: the ISO codes Electio accepts, their names and numeric codes, and the pricing zone
// (GB, the EU and Europe's other neighbours, the rest of the world).

const ISO2 = (
	'AD AE AF AG AI AL AM AO AQ AR AS AT AU AW AX AZ BA BB BD BE BF BG BH BI BJ BL BM BN BO BQ BR BS BT BV BW BY BZ ' +
	'CA CC CD CF CG CH CI CK CL CM CN CO CR CU CV CW CX CY CZ DE DJ DK DM DO DZ EC EE EG EH ER ES ET FI FJ FK FM FO FR ' +
	'GA GB GD GE GF GG GH GI GL GM GN GP GQ GR GS GT GU GW GY HK HM HN HR HT HU ID IE IL IM IN IO IQ IR IS IT JE JM JO JP ' +
	'KE KG KH KI KM KN KP KR KW KY KZ LA LB LC LI LK LR LS LT LU LV LY MA MC MD ME MF MG MH MK ML MM MN MO MP MQ MR MS MT ' +
	'MU MV MW MX MY MZ NA NC NE NF NG NI NL NO NP NR NU NZ OM PA PE PF PG PH PK PL PM PN PR PS PT PW PY QA RE RO RS RU RW ' +
	'SA SB SC SD SE SG SH SI SJ SK SL SM SN SO SR SS ST SV SX SY SZ TC TD TF TG TH TJ TK TL TM TN TO TR TT TV TW TZ UA UG ' +
	'UM US UY UZ VA VC VE VG VI VN VU WF WS YE YT ZA ZM ZW'
).split(' ');
const ISO2_SET = new Set(ISO2);

// Three-letter and numeric codes for the countries the quotes most often show.
const ISO3: Record<string, [string, string]> = {
	GB: ['GBR', '826'],
	IE: ['IRL', '372'],
	FR: ['FRA', '250'],
	DE: ['DEU', '276'],
	ES: ['ESP', '724'],
	IT: ['ITA', '380'],
	NL: ['NLD', '528'],
	BE: ['BEL', '056'],
	PT: ['PRT', '620'],
	PL: ['POL', '616'],
	SE: ['SWE', '752'],
	DK: ['DNK', '208'],
	NO: ['NOR', '578'],
	CH: ['CHE', '756'],
	AT: ['AUT', '040'],
	US: ['USA', '840'],
	CA: ['CAN', '124'],
	AU: ['AUS', '036'],
	NZ: ['NZL', '554'],
	JP: ['JPN', '392'],
	CN: ['CHN', '156'],
	IN: ['IND', '356'],
	JE: ['JEY', '832'],
	GG: ['GGY', '831'],
	IM: ['IMN', '833'],
};

const EUROPE = new Set(
	'AT BE BG HR CY CZ DK EE FI FR DE GR HU IE IT LV LT LU MT NL PL PT RO SK SI ES SE NO CH IS LI MC AD SM VA'.split(
		' ',
	),
);

let regionNames: Intl.DisplayNames | undefined;
try {
	regionNames = new Intl.DisplayNames(['en'], { type: 'region' });
} catch {
	regionNames = undefined;
}

export function isIsoCountry(code: unknown): code is string {
	return typeof code === 'string' && ISO2_SET.has(code);
}

export function countryName(code: string): string {
	if (code === 'GB') return 'United Kingdom';
	return regionNames?.of(code) ?? code;
}

export function countryIso(code: string): {
	TwoLetterCode: string;
	ThreeLetterCode: string | null;
	NumericCode: string | null;
} {
	const x = ISO3[code];
	return { TwoLetterCode: code, ThreeLetterCode: x ? x[0] : null, NumericCode: x ? x[1] : null };
}

export type Zone = 'GB' | 'EU' | 'ROW';
export function zoneOf(code: string): Zone {
	if (code === 'GB') return 'GB';
	return EUROPE.has(code) ? 'EU' : 'ROW';
}
