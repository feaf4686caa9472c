package ucdp

// gwno maps Gleditsch and Ward country numbers, which UCDP uses in
// country_id, gwnoa and gwnob, to ISO 3166-1 alpha-2 codes. Historical
// states map to their successors where UCDP does so (Russia (Soviet
// Union) 365 → RU, Yemen (North Yemen) 678 → YE, Serbia (Yugoslavia) 345 → RS).
var gwno = map[int]string{
	2: "US", 20: "CA", 31: "BS", 40: "CU", 41: "HT", 42: "DO", 51: "JM", 52: "TT", 53: "BB",
	54: "DM", 55: "GD", 56: "LC", 57: "VC", 58: "AG", 60: "KN", 70: "MX", 80: "BZ", 90: "GT",
	91: "HN", 92: "SV", 93: "NI", 94: "CR", 95: "PA", 100: "CO", 101: "VE", 110: "GY", 115: "SR",
	130: "EC", 135: "PE", 140: "BR", 145: "BO", 150: "PY", 155: "CL", 160: "AR", 165: "UY",
	200: "GB", 205: "IE", 210: "NL", 211: "BE", 212: "LU", 220: "FR", 221: "MC", 223: "LI",
	225: "CH", 230: "ES", 232: "AD", 235: "PT", 255: "DE", 260: "DE", 265: "DE", 290: "PL",
	305: "AT", 310: "HU", 315: "CZ", 316: "CZ", 317: "SK", 325: "IT", 331: "SM", 338: "MT",
	339: "AL", 340: "RS", 341: "ME", 343: "MK", 344: "HR", 345: "RS", 346: "BA", 347: "XK",
	349: "SI", 350: "GR", 352: "CY", 355: "BG", 359: "MD", 360: "RO", 365: "RU", 366: "EE",
	367: "LV", 368: "LT", 369: "UA", 370: "BY", 371: "AM", 372: "GE", 373: "AZ", 375: "FI",
	380: "SE", 385: "NO", 390: "DK", 395: "IS", 402: "CV", 403: "ST", 404: "GW", 411: "GQ",
	420: "GM", 432: "ML", 433: "SN", 434: "BJ", 435: "MR", 436: "NE", 437: "CI", 438: "GN",
	439: "BF", 450: "LR", 451: "SL", 452: "GH", 461: "TG", 471: "CM", 475: "NG", 481: "GA",
	482: "CF", 483: "TD", 484: "CG", 490: "CD", 500: "UG", 501: "KE", 510: "TZ", 511: "TZ",
	516: "BI", 517: "RW", 520: "SO", 522: "DJ", 530: "ET", 531: "ER", 540: "AO", 541: "MZ",
	551: "ZM", 552: "ZW", 553: "MW", 560: "ZA", 565: "NA", 570: "LS", 571: "BW", 572: "SZ",
	580: "MG", 581: "KM", 590: "MU", 591: "SC", 600: "MA", 615: "DZ", 616: "TN", 620: "LY",
	625: "SD", 626: "SS", 630: "IR", 640: "TR", 645: "IQ", 651: "EG", 652: "SY", 660: "LB",
	663: "JO", 666: "IL", 670: "SA", 678: "YE", 680: "YE", 690: "KW", 692: "BH", 694: "QA",
	696: "AE", 698: "OM", 700: "AF", 701: "TM", 702: "TJ", 703: "KG", 704: "UZ", 705: "KZ",
	710: "CN", 712: "MN", 713: "TW", 730: "KR", 731: "KP", 732: "KR", 740: "JP", 750: "IN",
	760: "BT", 770: "PK", 771: "BD", 775: "MM", 780: "LK", 781: "MV", 790: "NP", 800: "TH",
	811: "KH", 812: "LA", 816: "VN", 817: "VN", 820: "MY", 830: "SG", 835: "BN", 840: "PH",
	850: "ID", 860: "TL", 900: "AU", 910: "PG", 920: "NZ", 940: "SB", 950: "FJ",
}

// isoToGWNO is the inverse of gwno for the codes a writer needs, built
// from the current state of each code.
var isoToGWNO = func() map[string]int {
	m := map[string]int{}
	for n, iso := range gwno {
		if old, ok := m[iso]; !ok || n < old {
			m[iso] = n
		}
	}
	// Successor states that share an ISO code keep their current number.
	m["DE"], m["RS"], m["YE"], m["VN"], m["TZ"], m["CZ"], m["KR"] = 255, 345, 678, 816, 510, 316, 732
	return m
}()

// CountryISO returns the ISO 3166-1 alpha-2 code for a Gleditsch and Ward
// number, or "".
func CountryISO(gw int) string { return gwno[gw] }

// CountryGWNO returns the Gleditsch and Ward number for an ISO code, or 0.
func CountryGWNO(iso string) int { return isoToGWNO[iso] }
